package io.domainlink.connector;

import io.domainlink.testsupport.ServiceProcess;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.domainlink.events.ConnectionAccepted;
import io.domainlink.testsupport.KafkaCluster;
import io.domainlink.testsupport.KafkaClusterExtension;
import io.domainlink.testsupport.SchemaRegistryExtension;
import io.domainlink.testsupport.SchemaRegistryProcess;
import io.domainlink.wix.sandbox.SandboxConfig;
import io.domainlink.wix.sandbox.Scenario;
import io.domainlink.wix.sandbox.WixSandbox;

/** {@code target/domain-connector.jar} run with {@code java -jar}, as in production. */
@ExtendWith({KafkaClusterExtension.class, SchemaRegistryExtension.class})
class ConnectorJarIT {

    static KafkaCluster kafka;
    static SchemaRegistryProcess registry;

    @Test
    void withoutConfigurationItExitsNonZeroListingEveryMissingKey(@TempDir Path logs) throws Exception {
        try (ServiceProcess p = ServiceProcess.start("domain-connector", Map.of(), logs)) {
            assertThat(p.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
            assertThat(p.stderr()).contains("BOOTSTRAP_SERVERS", "SCHEMA_REGISTRY_URL", "WIX_API_KEY or WIX_API_KEY_FILE")
                    .contains("3 problem(s)");
        }
    }

    @Test
    void configuredFromTheEnvironmentItBecomesReadyServesMetricsAndLogsJsonWithTheRecordsIds(@TempDir Path logs) throws Exception {
        try (WixSandbox sandbox = WixSandbox.start(SandboxConfig.defaults().withScenario(new Scenario().premiumSite(Requests.SITE)));
             Harness h = new Harness(kafka, registry.confluentUrl(), sandbox)) {
            int port = freePort();
            Map<String, String> env = new HashMap<>();
            env.put("BOOTSTRAP_SERVERS", kafka.bootstrapServers());
            env.put("SCHEMA_REGISTRY_URL", registry.confluentUrl());
            env.put("WIX_BASE_URL", sandbox.baseUrl());
            env.put("WIX_API_KEY", Scenario.DEFAULT_API_KEY);
            env.put("INSTANCE_ID", "jar-it");
            env.put("CONSUMER_GROUP_ID", "domain-connector-jar-it");
            env.put("HTTP_PORT", Integer.toString(port));
            env.put("LOG_FORMAT", "json");
            try (ServiceProcess p = ServiceProcess.start("domain-connector", env, logs)) {
                p.awaitOk(port, "/health/live", Duration.ofSeconds(60));
                p.awaitOk(port, "/health/ready", Duration.ofSeconds(60));

                ConnectionAccepted request = Requests.pointing("jar-flow.test");
                h.publish(request);
                String id = request.getContext().getRequestId();
                Harness.await(Duration.ofSeconds(60), "configured " + id, () -> !h.configured(id).isEmpty());
                Harness.await(Duration.ofSeconds(30), "events counted", () ->
                        p.get(port, "/metrics").body().contains("domainlink_events_out_total{service=\"domain-connector\",topic=\"domains.configured\"} 1.0"));

                HttpResponse<String> metrics = p.get(port, "/metrics");
                assertThat(metrics.statusCode()).isEqualTo(200);
                assertThat(metrics.body())
                        .contains("domainlink_events_in_total{service=\"domain-connector\",topic=\"domains.accepted\"} 1.0")
                        .contains("domainlink_events_out_total{service=\"domain-connector\",topic=\"domains.owner-actions\"} 1.0")
                        .contains("domainlink_failures_total{reason=\"WIX_REJECTED\",service=\"domain-connector\"} 0.0")
                        .contains("domainlink_dead_letters_total{service=\"domain-connector\"} 0.0")
                        .containsPattern("(?m)^domainlink_wix_calls_seconds_count\\{endpoint=\"createConnectedDomain\",service=\"domain-connector\",status=\"200\"} 1$")
                        .containsPattern("domainlink_wix_calls_seconds_bucket\\{endpoint=\"getConnectedDomainSetupInfo\",service=\"domain-connector\",status=\"200\",le=")
                        .contains("domainlink_wix_retries_total{endpoint=\"createConnectedDomain\",service=\"domain-connector\"} 0.0")
                        .contains("domainlink_wix_ratelimiter_wait_seconds_count{service=\"domain-connector\"}")
                        .contains("kafka_consumer_fetch_manager_records_lag");

                // one JSON object per line; the lines about the record carry its ids
                ObjectMapper json = new ObjectMapper();
                JsonNode about = null;
                for (String line : p.stdout().split("\n")) {
                    JsonNode n = json.readTree(line);
                    assertThat(n.has("@timestamp") && n.has("message")).as("JSON log line: %s", line).isTrue();
                    if (id.equals(n.path("request_id").asText())) {
                        about = n;
                    }
                }
                assertThat(about).as("a log line with request_id=%s in%n%s", id, p.stdout()).isNotNull();
                assertThat(about.path("domain").asText()).isEqualTo("jar-flow.test");
                assertThat(about.path("topic").asText()).isEqualTo("domains.accepted");
                assertThat(about.path("offset").asText()).isNotEmpty();
                assertThat(about.path("trace_id").asText()).hasSize(32);
                assertThat(p.stdout()).doesNotContain(Scenario.DEFAULT_API_KEY);
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
