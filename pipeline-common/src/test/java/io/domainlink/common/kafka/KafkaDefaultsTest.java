package io.domainlink.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;

import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import io.domainlink.common.config.ServiceConfig;

class KafkaDefaultsTest {

    @Test
    void everyStreamsServiceDeadLettersWhatItCannotReadAndWhatItCannotWrite() {
        ServiceConfig config = ServiceConfig.load(ServiceConfig.common(),
                Map.of("BOOTSTRAP_SERVERS", "broker:9092", "SCHEMA_REGISTRY_URL", "http://registry:8081"));
        Properties p = KafkaDefaults.streams(config, "app", "stage");
        assertThat(p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(p.get(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG)).isEqualTo(DeadLetterDeserializationHandler.class);
        assertThat(p.get(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG)).isEqualTo(DeadLetterProductionHandler.class);
        assertThat(p.get(DeadLetterDeserializationHandler.STAGE_CONFIG)).isEqualTo("stage");
    }
}
