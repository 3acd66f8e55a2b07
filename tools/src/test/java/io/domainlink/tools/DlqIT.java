package io.domainlink.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.domainlink.common.DeadLetters;
import io.domainlink.common.Topics;
import io.domainlink.common.serde.SerdeException;
import io.domainlink.events.ConnectionAccepted;
import io.domainlink.events.ConnectionRequested;
import io.domainlink.events.ConnectionType;
import io.domainlink.ingestor.IngestorConfig;
import io.domainlink.ingestor.RequestIngestorApp;
import io.domainlink.testsupport.KafkaCluster;
import io.domainlink.testsupport.KafkaClusterExtension;
import io.domainlink.testsupport.SchemaRegistryExtension;
import io.domainlink.testsupport.SchemaRegistryProcess;

/**
 * {@code dlq list / show / redrive} with the real request-ingestor: a real poison record it dead-letters, and a dead
 * letter of a readable request (what a stage leaves behind when the registry had lost the schema, restored since),
 * re-driven once, refused the second time, and processed once even when forced.
 */
@ExtendWith({KafkaClusterExtension.class, SchemaRegistryExtension.class})
class DlqIT {

    static final Duration QUIET = Duration.ofSeconds(4);

    static KafkaCluster kafka;
    static SchemaRegistryProcess registryProcess;
    static PipelineTopics topics;
    static RequestIngestorApp ingestor;

    @TempDir
    static Path stateDir;

    @BeforeAll
    static void start() {
        topics = new PipelineTopics(kafka, registryProcess);
        ingestor = RequestIngestorApp.start(IngestorConfig.load(Map.of(
                "BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", registryProcess.confluentUrl(),
                "APPLICATION_ID", "tools-dlq-it",
                "INSTANCE_ID", "it-1",
                "STATE_DIR", stateDir.toString(),
                "SHUTDOWN_TIMEOUT_MS", "20000",
                "HTTP_PORT", "-1")));
        await().atMost(60, TimeUnit.SECONDS).until(() -> ingestor.streams().state() == KafkaStreams.State.RUNNING);
    }

    @AfterAll
    static void stop() {
        ingestor.close();
        topics.close();
    }

    @Test
    void listsShowsAndReDrivesADeadLetterOnceAndTheIngestorProcessesItOnce() {
        // 1. a real poison record: the ingestor dead-letters it
        topics.raw(Topics.REQUESTS.name(), null, "poison.example.com".getBytes(StandardCharsets.UTF_8),
                "not avro at all".getBytes(StandardCharsets.UTF_8), null);
        await().atMost(30, TimeUnit.SECONDS).until(() -> read(Topics.DEAD_LETTER.name()).size() == 1);

        // 2. a readable request that a stage could not read at the time, dead-lettered with the stages' own DeadLetters
        ConnectionRequested request = Events.requested("r-redrive", "redrive-shop.com", ConnectionType.POINTING, Instant.now());
        byte[] value = Topics.REQUESTS.valueSerializer(topics.registry, true).serialize(Topics.REQUESTS.name(), request);
        RecordHeaders original = new RecordHeaders();
        original.add("origin", "crm-7".getBytes(StandardCharsets.UTF_8));
        ProducerRecord<byte[], byte[]> dead = DeadLetters.record(RequestIngestorApp.STAGE, Topics.REQUESTS.name(), 2, 41,
                System.currentTimeMillis(), "redrive-shop.com".getBytes(StandardCharsets.UTF_8), value, original,
                new SerdeException(SerdeException.Kind.UNKNOWN_SCHEMA_ID, "the registry does not know schema id 7"));
        var meta = topics.raw(dead.topic(), 0, dead.key(), dead.value(), dead.headers());
        String id = "0@" + meta.offset();

        PipelineTopics.Run list = topics.cli("dlq", "list");
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).contains("UNKNOWN_MAGIC_BYTE").contains("poison.example.com").contains("request-ingestor")
                .contains("2 dead letters (2 shown), 0 re-driven");
        assertThat(list.lines()).anySatisfy(l -> assertThat(l).startsWith(id + " ").contains("domains.requests-2@41", "UNKNOWN_SCHEMA_ID",
                "redrive-shop.com", "the registry does not know schema id 7"));
        PipelineTopics.Run filtered = topics.cli("dlq", "list", "--kind", "UNKNOWN_SCHEMA_ID");
        assertThat(filtered.out()).contains("2 dead letters (1 shown)").doesNotContain("poison.example.com");

        PipelineTopics.Run show = topics.cli("dlq", "show", id);
        assertThat(show.exitCode()).as(show.err()).isZero();
        assertThat(show.out()).contains("source         domains.requests-2@41", "origin = crm-7", "dlq.error.kind = UNKNOWN_SCHEMA_ID",
                "Confluent frame, schema id", "redriven       never");

        // 3. re-drive it: the ingestor admits the request once
        PipelineTopics.Run redrive = topics.cli("dlq", "redrive", id);
        assertThat(redrive.exitCode()).as(redrive.out() + redrive.err()).isZero();
        assertThat(redrive.out()).contains("re-drove " + id + " (from domains.requests-2@41) -> domains.requests-").contains("re-drove 1, refused 0");
        await().atMost(30, TimeUnit.SECONDS).until(() -> accepted("r-redrive") == 1);

        ConsumerRecord<byte[], byte[]> republished = read(Topics.REQUESTS.name()).stream()
                .filter(r -> r.headers().lastHeader("dlq.redriven.from.offset") != null).findFirst().orElseThrow();
        assertThat(header(republished, "dlq.redriven.from.offset")).isEqualTo(Long.toString(meta.offset()));
        assertThat(header(republished, "dlq.redriven.from.partition")).isEqualTo("0");
        assertThat(header(republished, "origin")).isEqualTo("crm-7");
        assertThat(republished.headers().lastHeader(DeadLetters.SOURCE_TOPIC)).as("dlq.source.* headers are not re-published").isNull();
        assertThat(republished.value()).isEqualTo(value);

        // 4. a second redrive is refused; forced, the ingestor drops the identical request: still one admission
        PipelineTopics.Run again = topics.cli("dlq", "redrive", id);
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("refused " + id + ": re-driven already at").contains("--force");
        PipelineTopics.Run forced = topics.cli("dlq", "redrive", id, "--force");
        assertThat(forced.exitCode()).as(forced.err()).isZero();
        sleep(QUIET);
        assertThat(accepted("r-redrive")).isEqualTo(1);
        assertThat(read(Topics.REQUESTS.name()).stream().filter(r -> r.headers().lastHeader("dlq.redriven.from.offset") != null)).hasSize(2);

        PipelineTopics.Run after = topics.cli("dlq", "list", "--not-redriven");
        assertThat(after.out()).contains("poison.example.com").doesNotContain("redrive-shop.com").contains("1 re-driven");
    }

    private static long accepted(String requestId) {
        var decoder = Topics.ACCEPTED.valueDeserializer(topics.registry);
        return read(Topics.ACCEPTED.name()).stream().map(r -> (ConnectionAccepted) decoder.deserialize(r.topic(), r.value()))
                .filter(a -> a.getContext().getRequestId().equals(requestId)).count();
    }

    static List<ConsumerRecord<byte[], byte[]>> read(String topic) {
        return topics.read(topic);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
        return DeadLetters.header(r.headers(), key);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
