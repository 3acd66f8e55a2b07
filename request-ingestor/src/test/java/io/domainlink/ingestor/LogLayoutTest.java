package io.domainlink.ingestor;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.properties.PropertiesConfigurationFactory;
import org.apache.logging.log4j.core.impl.ContextDataFactory;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.apache.logging.log4j.util.StringMap;
import org.junit.jupiter.api.Test;

/** The service's text log layout (src/main/resources/log4j2.properties) writes one event on one line. */
class LogLayoutTest {

    @Test
    void encodesCrAndLfInTheMessageAndTheContext() throws Exception {
        ConfigurationSource source = ConfigurationSource.fromResource("log4j2.properties", getClass().getClassLoader());
        Configuration config = new PropertiesConfigurationFactory().getConfiguration(new LoggerContext("layout-test"), source);
        config.initialize();
        Layout<?> layout = config.getAppender("text").getLayout();
        StringMap context = ContextDataFactory.createContextData();
        context.putValue("request_id", "r-1\r\n2026-01-01 INFO fake line request_id=r-2");
        Log4jLogEvent event = Log4jLogEvent.newBuilder().setLoggerName("io.domainlink.ingestor.Test").setLevel(Level.WARN)
                .setMessage(new SimpleMessage("rejected domain=evil.com\nFAKE ERROR admin logged in")).setContextData(context).build();

        String line = layout.toSerializable(event).toString();

        assertThat(line).endsWith(System.lineSeparator());
        assertThat(line.substring(0, line.length() - System.lineSeparator().length())).doesNotContain("\n").doesNotContain("\r")
                .contains("rejected domain=evil.com\\nFAKE ERROR admin logged in")
                .contains("request_id=r-1\\r\\n2026-01-01 INFO fake line");
    }
}
