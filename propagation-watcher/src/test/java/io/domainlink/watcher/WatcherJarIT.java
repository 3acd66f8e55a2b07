package io.domainlink.watcher;

import io.domainlink.testsupport.ServiceProcess;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.domainlink.common.Topics;
import io.domainlink.common.registry.RegistryConfig;
import io.domainlink.common.registry.SchemaRegistryClient;
import io.domainlink.events.ConnectionConfigured;
import io.domainlink.events.Flow;
import io.domainlink.events.PropagationStatus;
import io.domainlink.events.RequestContext;
import io.domainlink.testsupport.KafkaCluster;
import io.domainlink.testsupport.KafkaClusterExtension;
import io.domainlink.testsupport.SchemaRegistryExtension;
import io.domainlink.testsupport.SchemaRegistryProcess;
import io.domainlink.wix.sandbox.SandboxConfig;
import io.domainlink.wix.sandbox.Scenario;
import io.domainlink.wix.sandbox.WixSandbox;

/** {@code target/propagation-watcher.jar} run with {@code java -jar}, as in production. */
@ExtendWith({KafkaClusterExtension.class, SchemaRegistryExtension.class})
class WatcherJarIT {

    static KafkaCluster kafka;
    static SchemaRegistryProcess registry;

    @Test
    void withoutConfigurationItExitsNonZeroListingEveryMissingKey(@TempDir Path logs) throws Exception {
        try (ServiceProcess p = ServiceProcess.start("propagation-watcher", Map.of(), logs)) {
            assertThat(p.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
            assertThat(p.stderr()).contains("3 problem(s)", "BOOTSTRAP_SERVERS", "SCHEMA_REGISTRY_URL", "WIX_API_KEY or WIX_API_KEY_FILE");
        }
    }

    @Test
    void configuredFromTheEnvironmentItBecomesReadyAndItsMetricsShowTheWatchAndItsWixCheck(@TempDir Path dir) throws Exception {
        kafka.createTopics(Topics.all().stream().map(t -> t.newTopic(6, (short) 1, Map.of())).toList());
        try (WixSandbox sandbox = WixSandbox.start(SandboxConfig.defaults());
             SchemaRegistryClient client = new SchemaRegistryClient(RegistryConfig.of(registry.confluentUrl()))) {
            int port = freePort();
            Map<String, String> env = new HashMap<>();
            env.put("BOOTSTRAP_SERVERS", kafka.bootstrapServers());
            env.put("SCHEMA_REGISTRY_URL", registry.confluentUrl());
            env.put("WIX_BASE_URL", sandbox.baseUrl());
            env.put("WIX_API_KEY", Scenario.DEFAULT_API_KEY);
            env.put("INSTANCE_ID", "jar-it");
            env.put("APPLICATION_ID", "propagation-watcher-jar-it");
            env.put("STATE_DIR", dir.resolve("state").toString());
            env.put("HTTP_PORT", Integer.toString(port));
            env.put("CHECK_FIRST_DELAY_MS", "200");
            env.put("SCAN_INTERVAL_MS", "100");
            try (ServiceProcess p = ServiceProcess.start("propagation-watcher", env, dir)) {
                p.awaitOk(port, "/health/live", Duration.ofSeconds(60));
                p.awaitOk(port, "/health/ready", Duration.ofSeconds(90));

                String domain = "jar-watch.test"; // unknown to the sandbox: the check answers 404
                try (KafkaProducer<String, ConnectionConfigured> producer = new KafkaProducer<>(kafka.producerProperties(),
                        new StringSerializer(), Topics.CONFIGURED.valueSerializer(client, true))) {
                    long now = System.currentTimeMillis();
                    producer.send(new ProducerRecord<>(Topics.CONFIGURED.name(), domain, ConnectionConfigured.newBuilder()
                            .setContext(RequestContext.newBuilder().setRequestId("jar-1").setDomain(domain).setFlow(Flow.POINTING)
                                    .setAccountId("11111111-2222-3333-4444-555555555555").setSiteId("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee")
                                    .setCorrelation(Map.of()).setGeneration(1).build())
                            .setOccurredAt(Instant.ofEpochMilli(now)).setRequestedAt(Instant.ofEpochMilli(now - 1_000))
                            .setWixStatus(PropagationStatus.UNKNOWN_DNS_PROPAGATION_STATUS).build()));
                    producer.flush();
                }
                String wixCall = "domainlink_wix_calls_seconds_count{endpoint=\"getConnectedDomain\",service=\"propagation-watcher\",status=\"404\"}";
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!p.get(port, "/metrics").body().contains(wixCall) && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                String metrics = p.get(port, "/metrics").body();
                assertThat(metrics).as("stdout:%n%s", p.stdout())
                        .contains(wixCall)
                        .contains("domainlink_events_in_total{service=\"propagation-watcher\",topic=\"domains.configured\"} 1.0")
                        .contains("domainlink_events_out_total{service=\"propagation-watcher\",topic=\"domains.outcomes\"}")
                        .contains("domainlink_failures_total{reason=\"PROPAGATION_TIMEOUT\",service=\"propagation-watcher\"}")
                        .contains("domainlink_dead_letters_total{service=\"propagation-watcher\"} 0.0")
                        .contains("domainlink_watcher_watches_pending{service=\"propagation-watcher\"}")
                        .containsPattern("(?m)^domainlink_watcher_due_delay_seconds_count\\{service=\"propagation-watcher\"} [1-9]")
                        .contains("domainlink_watcher_due_delay_seconds_bucket{service=\"propagation-watcher\",le=")
                        .contains("kafka_consumer_fetch_manager_records_lag");
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
