package io.domainlink.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceConfigTest {

    static ConfigDef def() {
        return ServiceConfig.common()
                .define("wix.api.key", ConfigDef.Type.PASSWORD, ConfigDef.NO_DEFAULT_VALUE, ConfigDef.Importance.HIGH, "key")
                .define("max.in.flight", ConfigDef.Type.INT, 64, ConfigDef.Range.atLeast(1), ConfigDef.Importance.LOW, "n");
    }

    @Test
    void listsEveryMissingOrInvalidKeyInOneMessage() {
        assertThatThrownBy(() -> ServiceConfig.load(def(), Map.of("MAX_IN_FLIGHT", "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("BOOTSTRAP_SERVERS")
                .hasMessageContaining("SCHEMA_REGISTRY_URL")
                .hasMessageContaining("WIX_API_KEY")
                .hasMessageContaining("MAX_IN_FLIGHT")
                .hasMessageContaining("4 problem(s)");
    }

    @Test
    void reportsAnUnparsableNumberOnceWithTheParseError() {
        assertThatThrownBy(() -> ServiceConfig.load(def(), Map.of("BOOTSTRAP_SERVERS", "b:9092", "SCHEMA_REGISTRY_URL", "http://r",
                "WIX_API_KEY", "k", "MAX_IN_FLIGHT", "lots")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("1 problem(s)")
                .hasMessageContaining("MAX_IN_FLIGHT (max.in.flight)");
    }

    @Test
    void readsEnvironmentOverFileOverDefaultsAndPassesKafkaPropertiesThrough(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("svc.properties");
        Files.writeString(file, "schema.registry.url=http://file\nmax.in.flight=8\nkafka.sasl.mechanism=PLAIN\nwix.api.key=from-file\n");
        ServiceConfig c = ServiceConfig.load(def(), Map.of(
                "CONFIG_FILE", file.toString(),
                "BOOTSTRAP_SERVERS", "b1:9092,b2:9092",
                "MAX_IN_FLIGHT", "16",
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL"));
        assertThat(c.getList("bootstrap.servers")).containsExactly("b1:9092", "b2:9092");
        assertThat(c.getString("schema.registry.url")).isEqualTo("http://file");
        assertThat(c.getInt("max.in.flight")).isEqualTo(16);
        assertThat(c.getInt("http.port")).isEqualTo(8080);
        assertThat(c.kafkaPassthrough()).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "PLAIN");
        assertThat(c.getString("wix.api.key")).isEqualTo("from-file");
        assertThat(c.toString()).doesNotContain("from-file");
    }

    @Test
    void documentsEveryKeyWithItsEnvironmentVariable() {
        String md = ServiceConfig.markdownReference(def());
        assertThat(md).contains("`BOOTSTRAP_SERVERS`").contains("(required)").contains("`MAX_IN_FLIGHT`").contains("`64`");
    }
}
