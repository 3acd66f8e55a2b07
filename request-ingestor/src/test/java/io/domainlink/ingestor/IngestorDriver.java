package io.domainlink.ingestor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import io.domainlink.common.Topics;
import io.domainlink.common.config.ServiceConfig;
import io.domainlink.common.kafka.StreamsSupervisor;
import io.domainlink.common.registry.RegistryConfig;
import io.domainlink.common.registry.SchemaRegistryClient;
import io.domainlink.events.ConnectionAccepted;
import io.domainlink.events.ConnectionRequested;
import io.domainlink.events.DomainConnected;
import io.domainlink.events.DomainFailed;
import io.domainlink.events.RequestContext;
import io.domainlink.events.Stage;
import io.domainlink.testsupport.FakeSchemaRegistry;

/** The ingestor's topology on a {@code TopologyTestDriver} with the fake registry: the topics and helpers its tests share. */
abstract class IngestorDriver {

    static final Instant START = Instant.parse("2026-03-01T12:00:00Z");

    @TempDir
    Path stateDir;

    FakeSchemaRegistry fake;
    SchemaRegistryClient registry;
    IngestorMetrics metrics;
    IngestorSerdes serdes;
    TopologyTestDriver driver;
    TestInputTopic<String, ConnectionRequested> requests;
    TestInputTopic<String, byte[]> rawRequests;
    TestInputTopic<String, SpecificRecord> outcomesIn;
    TestOutputTopic<String, ConnectionAccepted> accepted;
    TestOutputTopic<String, SpecificRecord> outcomes;
    TestOutputTopic<byte[], byte[]> deadLetters;

    @BeforeEach
    void start() {
        fake = FakeSchemaRegistry.start();
        registry = new SchemaRegistryClient(RegistryConfig.of(fake.url()));
        startDriver(Duration.ofDays(7));
    }

    void startDriver(Duration retention) {
        startDriver(retention, Map.of());
    }

    void startDriver(Duration retention, Map<String, Object> overrides) {
        ServiceConfig config = IngestorConfig.load(Map.of(
                "BOOTSTRAP_SERVERS", "unused:9092",
                "SCHEMA_REGISTRY_URL", fake.url(),
                "STATE_DIR", stateDir.toString(),
                "DEDUP_RETENTION_MS", Long.toString(retention.toMillis()),
                "INSTANCE_ID", "test"));
        metrics = new IngestorMetrics();
        serdes = IngestorSerdes.from(registry, true);
        Properties props = RequestIngestorApp.streamsProperties(config, metrics, StreamsSupervisor.of(config, RequestIngestorApp.STAGE));
        props.putAll(overrides);
        driver = new TopologyTestDriver(IngestorTopology.build(IngestorConfig.settings(config), serdes, metrics), props, START);
        requests = driver.createInputTopic(Topics.REQUESTS.name(), new StringSerializer(), serdes.requests().serializer());
        rawRequests = driver.createInputTopic(Topics.REQUESTS.name(), new StringSerializer(), new ByteArraySerializer());
        outcomesIn = driver.createInputTopic(Topics.OUTCOMES.name(), new StringSerializer(), serdes.outcomes().serializer());
        accepted = driver.createOutputTopic(Topics.ACCEPTED.name(), new StringDeserializer(), serdes.accepted().deserializer());
        outcomes = driver.createOutputTopic(Topics.OUTCOMES.name(), new StringDeserializer(), serdes.outcomes().deserializer());
        deadLetters = driver.createOutputTopic(Topics.DEAD_LETTER.name(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
        registry.close();
        fake.close();
    }

    void publish(ConnectionRequested request) {
        // the upstream key cannot be trusted: use a wrong one on purpose
        requests.pipeInput("untrusted-key", request);
    }

    DomainFailed onlyFailure() {
        List<KeyValue<String, SpecificRecord>> out = outcomes.readKeyValuesToList();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).value).isInstanceOf(DomainFailed.class);
        DomainFailed f = (DomainFailed) out.get(0).value;
        assertThat(out.get(0).key).isEqualTo(f.getContext().getDomain());
        assertThat(f.getStage()).isEqualTo(Stage.INGESTOR);
        return f;
    }

    KeyValue<String, ConnectionAccepted> onlyAccepted() {
        List<KeyValue<String, ConnectionAccepted>> out = accepted.readKeyValuesToList();
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    static DomainConnected connected(RequestContext ctx) {
        return DomainConnected.newBuilder().setContext(ctx).setOccurredAt(START.plusSeconds(60)).setRequestedAt(Requests.REQUESTED_AT)
                .setDurationMillis(60_000).setChecks(3).build();
    }
}
