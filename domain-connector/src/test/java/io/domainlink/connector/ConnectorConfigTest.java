package io.domainlink.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.domainlink.common.config.ServiceConfig;

class ConnectorConfigTest {

    static Map<String, String> minimal() {
        Map<String, String> env = new HashMap<>();
        env.put("BOOTSTRAP_SERVERS", "localhost:9092");
        env.put("SCHEMA_REGISTRY_URL", "http://localhost:8082/apis/ccompat/v7");
        env.put("WIX_API_KEY", "k-123");
        return env;
    }

    @Test
    void defaultsFollowTheIssueAndWixsLimits() {
        ConnectorConfig c = ConnectorConfig.load(minimal());

        assertThat(c.getString(ConnectorConfig.WIX_BASE_URL)).isEqualTo("https://www.wixapis.com");
        assertThat(c.getInt(ConnectorConfig.MAX_IN_FLIGHT)).isEqualTo(64);
        assertThat(c.getInt(ConnectorConfig.WIX_RATE_LIMIT)).isEqualTo(200);
        assertThat(c.retryPolicy().maxAttempts()).isEqualTo(6);
        assertThat(c.retryPolicy().maxElapsed()).contains(Duration.ofMinutes(2));
        assertThat(c.transactionalId()).startsWith("domain-connector-");
        assertThat(c.cancelPackageOnFailure()).as("compensation is off unless asked for").isFalse();
        assertThat(c.toString()).doesNotContain("k-123");
    }

    @Test
    void missingApiKeyAndBadValuesAreAllListedAtOnce() {
        Map<String, String> env = minimal();
        env.remove("WIX_API_KEY");
        env.put("MAX_IN_FLIGHT", "0");
        env.put("WIX_BASE_URL", "ftp://nope");

        assertThatThrownBy(() -> ConnectorConfig.load(env)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("MAX_IN_FLIGHT").hasMessageContaining("WIX_BASE_URL");
        env.put("MAX_IN_FLIGHT", "8");
        env.put("WIX_BASE_URL", "http://127.0.0.1:1");
        assertThatThrownBy(() -> ConnectorConfig.load(env)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("WIX_API_KEY or WIX_API_KEY_FILE: give exactly one (neither is set)");
    }

    @Test
    void packageCompensationIsSwitchedOnByItsEnvironmentVariableAndRejectsNonBooleans() {
        Map<String, String> env = minimal();
        env.put("COMPENSATION_CANCEL_PACKAGE", "true");
        assertThat(ConnectorConfig.load(env).cancelPackageOnFailure()).isTrue();

        env.put("COMPENSATION_CANCEL_PACKAGE", "sometimes");
        assertThatThrownBy(() -> ConnectorConfig.load(env)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("COMPENSATION_CANCEL_PACKAGE");
    }

    @Test
    void apiKeyIsReadFromAFileWhenOneIsNamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("wix.key");
        Files.writeString(file, "from-file\n");
        Map<String, String> env = minimal();
        env.remove("WIX_API_KEY");
        env.put("WIX_API_KEY_FILE", file.toString());

        assertThat(ConnectorConfig.load(env).apiKey().redact("x from-file y")).isEqualTo("x *** y");
    }

    @Test
    void readmeConfigurationTableIsTheGeneratedOne() throws Exception {
        String readme = Files.readString(Path.of("README.md"));

        assertThat(readme).contains(ServiceConfig.markdownReference(ConnectorConfig.definition()));
    }
}
