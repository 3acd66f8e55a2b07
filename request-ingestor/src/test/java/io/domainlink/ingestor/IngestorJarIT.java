package io.domainlink.ingestor;

import io.domainlink.testsupport.ServiceProcess;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.domainlink.common.Topics;
import io.domainlink.common.registry.RegistryConfig;
import io.domainlink.common.registry.SchemaRegistryClient;
import io.domainlink.events.ConnectionRequested;
import io.domainlink.events.ConnectionType;
import io.domainlink.testsupport.KafkaCluster;
import io.domainlink.testsupport.KafkaClusterExtension;
import io.domainlink.testsupport.SchemaRegistryExtension;
import io.domainlink.testsupport.SchemaRegistryProcess;

/** {@code target/request-ingestor.jar} run with {@code java -jar}, as in production. */
@ExtendWith({KafkaClusterExtension.class, SchemaRegistryExtension.class})
class IngestorJarIT {

    static KafkaCluster kafka;
    static SchemaRegistryProcess registry;

    @Test
    void withoutConfigurationItExitsNonZeroListingEveryMissingKey(@TempDir Path logs) throws Exception {
        try (ServiceProcess p = ServiceProcess.start("request-ingestor", Map.of(), logs)) {
            assertThat(p.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
            assertThat(p.stderr()).contains("2 problem(s)", "BOOTSTRAP_SERVERS", "SCHEMA_REGISTRY_URL");
        }
    }

    @Test
    void withAnInvalidValueItExitsNonZeroNamingTheVariable(@TempDir Path logs) throws Exception {
        try (ServiceProcess p = ServiceProcess.start("request-ingestor", Map.of("BOOTSTRAP_SERVERS", "localhost:9092",
                "HTTP_PORT", "not-a-port", "DEDUP_RETENTION_MS", "5"), logs)) {
            assertThat(p.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
            assertThat(p.stderr()).contains("SCHEMA_REGISTRY_URL", "HTTP_PORT (http.port): Invalid value not-a-port",
                    "DEDUP_RETENTION_MS (dedup.retention.ms): Invalid value 5");
        }
    }

    @Test
    void configuredFromTheEnvironmentItBecomesReadyServesMetricsAndLogsJson(@TempDir Path dir) throws Exception {
        kafka.createTopics(Topics.all().stream().map(t -> t.newTopic(t.defaultPartitions(), (short) 1, Map.of())).toList());
        int port = freePort();
        Map<String, String> env = new HashMap<>();
        env.put("BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("SCHEMA_REGISTRY_URL", registry.confluentUrl());
        env.put("INSTANCE_ID", "jar-it");
        env.put("APPLICATION_ID", "request-ingestor-jar-it");
        env.put("STATE_DIR", dir.resolve("state").toString());
        env.put("HTTP_PORT", Integer.toString(port));
        env.put("LOG_FORMAT", "json");
        try (ServiceProcess p = ServiceProcess.start("request-ingestor", env, dir);
             SchemaRegistryClient client = new SchemaRegistryClient(RegistryConfig.of(registry.confluentUrl()))) {
            p.awaitOk(port, "/health/live", Duration.ofSeconds(60));
            p.awaitOk(port, "/health/ready", Duration.ofSeconds(90));

            ConnectionRequested request = Requests.apex("jar-it-1", "jar-ingest.com", ConnectionType.POINTING).build();
            try (KafkaProducer<String, ConnectionRequested> producer = new KafkaProducer<>(kafka.producerProperties(),
                    new StringSerializer(), Topics.REQUESTS.valueSerializer(client, true))) {
                producer.send(new ProducerRecord<>(Topics.REQUESTS.name(), "k", request));
                producer.flush();
            }
            String accepted = "domainlink_events_out_total{service=\"request-ingestor\",topic=\"domains.accepted\"} 1.0";
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!p.get(port, "/metrics").body().contains(accepted) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(p.get(port, "/metrics").body()).as("stdout:%n%s", p.stdout())
                    .contains(accepted)
                    .contains("domainlink_events_in_total{service=\"request-ingestor\",topic=\"domains.requests\"} 1.0")
                    .contains("domainlink_events_out_total{service=\"request-ingestor\",topic=\"domains.outcomes\"} 0.0")
                    .contains("domainlink_failures_total{reason=\"INVALID_REQUEST\",service=\"request-ingestor\"} 0.0")
                    .contains("domainlink_dead_letters_total{service=\"request-ingestor\"} 0.0")
                    .contains("kafka_consumer_fetch_manager_records_lag");

            ObjectMapper json = new ObjectMapper();
            JsonNode admitted = null;
            for (String line : p.stdout().split("\n")) {
                JsonNode n = json.readTree(line);
                if (n.path("message").asText().startsWith("admitted ")) {
                    admitted = n;
                }
            }
            assertThat(admitted).as("the admission's JSON log line in%n%s", p.stdout()).isNotNull();
            assertThat(admitted.path("request_id").asText()).isEqualTo("jar-it-1");
            assertThat(admitted.path("domain").asText()).isEqualTo("jar-ingest.com");
            assertThat(admitted.path("topic").asText()).startsWith("request-ingestor-jar-it-by-domain");
            assertThat(admitted.path("trace_id").asText()).hasSize(32);
            assertThat(admitted.path("service.name").asText()).isEqualTo("request-ingestor");
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
