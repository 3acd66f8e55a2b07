package io.domainlink.ingestor;

import static io.domainlink.ingestor.Requests.apex;
import static io.domainlink.ingestor.Requests.subdomain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.domainlink.common.DeadLetters;
import io.domainlink.common.Topics;
import io.domainlink.common.config.ServiceConfig;
import io.domainlink.common.registry.RegistryConfig;
import io.domainlink.common.registry.SchemaRegistryClient;
import io.domainlink.events.ConnectionAccepted;
import io.domainlink.events.ConnectionRequested;
import io.domainlink.events.ConnectionType;
import io.domainlink.events.DomainConnected;
import io.domainlink.events.DomainFailed;
import io.domainlink.events.FailureReason;
import io.domainlink.events.Flow;
import io.domainlink.events.RequestContext;
import io.domainlink.testsupport.KafkaCluster;
import io.domainlink.testsupport.KafkaClusterExtension;
import io.domainlink.testsupport.SchemaRegistryExtension;
import io.domainlink.testsupport.SchemaRegistryProcess;

/**
 * The real wiring ({@link RequestIngestorApp#start}) on an in-JVM KRaft broker and the real registry process: a
 * mixed batch in, and exactly the expected accepted events, failures and dead letters out (read_committed).
 */
@ExtendWith({KafkaClusterExtension.class, SchemaRegistryExtension.class})
class RequestIngestorIT {

    static final String APP_ID = "request-ingestor-it";
    static final Duration QUIET = Duration.ofSeconds(3);

    static KafkaCluster kafka;
    static SchemaRegistryProcess registryProcess;
    static SchemaRegistryClient registry;
    static KafkaProducer<String, byte[]> producer;

    @TempDir
    Path stateDir;

    @BeforeAll
    static void topics() {
        kafka.createTopics(Topics.all().stream().map(t -> t.newTopic(t.defaultPartitions(), (short) 1, Map.of())).toList());
        registry = new SchemaRegistryClient(RegistryConfig.of(registryProcess.confluentUrl()));
        producer = new KafkaProducer<>(kafka.producerProperties(StringSerializer.class, ByteArraySerializer.class));
    }

    @AfterAll
    static void close() {
        producer.close();
        registry.close();
    }

    @Test
    void admitsRejectsDeduplicatesAndDeadLettersAMixedBatchExactlyOnce() throws Exception {
        ServiceConfig config = IngestorConfig.load(Map.of(
                "BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", registryProcess.confluentUrl(),
                "APPLICATION_ID", APP_ID,
                "INSTANCE_ID", "it-1",
                "STATE_DIR", stateDir.toString(),
                "SHUTDOWN_TIMEOUT_MS", "20000",
                "HTTP_PORT", "0"));
        Serializer<ConnectionRequested> requests = Topics.REQUESTS.valueSerializer(registry, true);
        int otherSchemaId = registry.register("it-unrelated-value", new Schema.Parser().parse(
                "{\"type\":\"record\",\"name\":\"Unrelated\",\"fields\":[{\"name\":\"x\",\"type\":\"int\"}]}"));

        try (RequestIngestorApp app = RequestIngestorApp.start(config);
             Collector collector = new Collector()) {
            await().atMost(60, TimeUnit.SECONDS).until(() -> app.streams().state() == KafkaStreams.State.RUNNING);

            // phase 1: the mixed batch; upstream keys by the raw domain, so a request and its repeats stay in order
            ConnectionRequested ns = apex("r-ns", "Example.COM", ConnectionType.NAMESERVERS).build();
            send(ns.getDomain(), requests.serialize(Topics.REQUESTS.name(), ns));
            ConnectionRequested pt = apex("r-pt", "Bücher.example.", ConnectionType.POINTING).build();
            send(pt.getDomain(), requests.serialize(Topics.REQUESTS.name(), pt));
            send("x", "not avro at all".getBytes(StandardCharsets.UTF_8));
            send("shop.example.org", requests.serialize(Topics.REQUESTS.name(), subdomain("r-sub", "shop.example.org").build()));
            send("co.uk", requests.serialize(Topics.REQUESTS.name(), apex("r-bad", "co.uk", ConnectionType.POINTING).build()));
            send(ns.getDomain(), requests.serialize(Topics.REQUESTS.name(),
                    ConnectionRequested.newBuilder(ns).setRequestedAt(Instant.now()).build()));   // identical duplicate
            send(pt.getDomain(), requests.serialize(Topics.REQUESTS.name(),
                    ConnectionRequested.newBuilder(pt).setCorrelation(Map.of("ticket", "edited")).build()));   // conflict
            send("y", ByteBuffer.allocate(6).put((byte) 0).putInt(987_654).put((byte) 2).array());
            send("site.example.net", requests.serialize(Topics.REQUESTS.name(),
                    subdomain("r-bad-site", "site.example.net").setSiteId("not-a-guid").build()));
            send("z", ByteBuffer.allocate(6).put((byte) 0).putInt(otherSchemaId).put((byte) 2).array());   // last: poison alone

            collector.awaitCounts(3, 3, 3);
            Map<String, ConnectionAccepted> accepted = collector.accepted.stream()
                    .collect(Collectors.toMap(r -> r.value().getContext().getRequestId(), ConsumerRecord::value));
            assertThat(accepted).containsOnlyKeys("r-ns", "r-pt", "r-sub");
            assertThat(collector.accepted).allSatisfy(r -> {
                assertThat(r.key()).isEqualTo(r.value().getContext().getDomain());
                assertThat(r.value().getContext().getGeneration()).isEqualTo(1);
            });
            assertThat(accepted.get("r-ns").getContext().getDomain()).isEqualTo("example.com");
            assertThat(accepted.get("r-ns").getContext().getFlow()).isEqualTo(Flow.NAMESERVERS);
            assertThat(accepted.get("r-pt").getContext().getDomain()).isEqualTo("xn--bcher-kva.example");
            assertThat(accepted.get("r-pt").getContext().getFlow()).isEqualTo(Flow.POINTING);
            assertThat(accepted.get("r-pt").getContext().getCorrelation()).containsEntry("ticket", "T-r-pt");
            assertThat(accepted.get("r-sub").getContext().getFlow()).isEqualTo(Flow.SUBDOMAIN);

            assertThat(failures(collector)).containsExactlyInAnyOrder(
                    "r-bad INVALID_REQUEST co.uk",
                    "r-pt REQUEST_ID_CONFLICT xn--bcher-kva.example",
                    "r-bad-site INVALID_REQUEST site.example.net");

            assertThat(collector.deadLetters).extracting(r -> DeadLetters.header(r.headers(), DeadLetters.ERROR_KIND))
                    .containsExactlyInAnyOrder("UNKNOWN_MAGIC_BYTE", "UNKNOWN_SCHEMA_ID", "UNREADABLE_SCHEMA");
            assertThat(collector.deadLetters).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                    .containsExactlyInAnyOrder("x", "y", "z");
            assertThat(collector.deadLetters).allSatisfy(r -> {
                assertThat(DeadLetters.header(r.headers(), DeadLetters.SOURCE_TOPIC)).isEqualTo(Topics.REQUESTS.name());
                assertThat(DeadLetters.header(r.headers(), DeadLetters.SOURCE_PARTITION)).isNotNull();
                assertThat(DeadLetters.header(r.headers(), DeadLetters.SOURCE_OFFSET)).isNotNull();
            });
            assertThat(collector.deadLetters.stream().filter(r -> "x".equals(new String(r.key(), StandardCharsets.UTF_8))).findFirst().orElseThrow().value())
                    .isEqualTo("not avro at all".getBytes(StandardCharsets.UTF_8));

            // phase 2: the in-flight guard across an outcome, co-partitioned on the real broker
            ConnectionRequested second = apex("r-ns-2", "example.com", ConnectionType.POINTING).build();
            send("example.com", requests.serialize(Topics.REQUESTS.name(), second));
            collector.awaitCounts(3, 4, 3);
            assertThat(failures(collector)).contains("r-ns-2 DOMAIN_IN_FLIGHT example.com");

            RequestContext first = accepted.get("r-ns").getContext();
            Serializer<SpecificRecord> outcomes = Topics.OUTCOMES.valueSerializer(registry, true);
            RecordMetadata outcome = producer.send(new ProducerRecord<>(Topics.OUTCOMES.name(), "example.com",
                    outcomes.serialize(Topics.OUTCOMES.name(), DomainConnected.newBuilder().setContext(first).setOccurredAt(Instant.now())
                            .setRequestedAt(Requests.REQUESTED_AT).setDurationMillis(1).setChecks(1).build()))).get();
            awaitConsumed(new TopicPartition(outcome.topic(), outcome.partition()), outcome.offset() + 1);

            send("example.com", requests.serialize(Topics.REQUESTS.name(), second));
            collector.awaitCounts(4, 5, 3);
            ConsumerRecord<String, ConnectionAccepted> again = collector.accepted.get(3);
            assertThat(again.key()).isEqualTo("example.com");
            assertThat(again.value().getContext().getRequestId()).isEqualTo("r-ns-2");
            assertThat(again.value().getContext().getGeneration()).isEqualTo(2);

            // and nothing else
            Thread.sleep(QUIET.toMillis());
            collector.poll();
            assertThat(collector.accepted).hasSize(4);
            assertThat(collector.outcomes).hasSize(5);
            assertThat(collector.deadLetters).hasSize(3);
            assertThat(app.metrics().duplicatesDroppedCount()).isEqualTo(1);
            assertThat(app.metrics().deadLetteredCount()).isEqualTo(3);
            assertThat(app.metrics().acceptedCount()).isEqualTo(4);
            // the same figures as an operator sees them on the instance's endpoint
            var http = java.net.http.HttpClient.newHttpClient();
            var ready = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    "http://127.0.0.1:" + app.opsPort() + "/health/ready")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);
            String scrape = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    "http://127.0.0.1:" + app.opsPort() + "/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(scrape).contains("domainlink_ingestor_accepted_total{service=\"request-ingestor\"} 4.0")
                    .contains("domainlink_dead_letters_total{service=\"request-ingestor\"} 3.0")
                    .contains("domainlink_ingestor_duplicates_dropped_total{service=\"request-ingestor\"} 1.0")
                    .contains("kafka_consumer");
        }
    }

    static List<String> failures(Collector c) {
        return c.outcomes.stream().filter(r -> r.value() instanceof DomainFailed)
                .map(r -> (DomainFailed) r.value())
                .map(f -> f.getContext().getRequestId() + " " + f.getReason() + " " + f.getContext().getDomain())
                .toList();
    }

    static void send(String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(Topics.REQUESTS.name(), key, value)).get();
    }

    /** Waits until the ingestor's committed offset on {@code tp} reaches {@code offset} (it has read the record before). */
    static void awaitConsumed(TopicPartition tp, long offset) {
        await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(100)).until(() -> {
            Map<TopicPartition, OffsetAndMetadata> committed = kafka.admin().listConsumerGroupOffsets(APP_ID)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            OffsetAndMetadata c = committed.get(tp);
            return c != null && c.offset() >= offset;
        });
    }

    /** A read_committed reader of the three output topics, from the beginning. */
    final class Collector implements AutoCloseable {
        final KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                kafka.consumerProperties("it-verifier", StringDeserializer.class, ByteArrayDeserializer.class));
        final Deserializer<ConnectionAccepted> acceptedDe = Topics.ACCEPTED.valueDeserializer(registry);
        final Deserializer<SpecificRecord> outcomesDe = Topics.OUTCOMES.valueDeserializer(registry);
        final List<ConsumerRecord<String, ConnectionAccepted>> accepted = new ArrayList<>();
        final List<ConsumerRecord<String, SpecificRecord>> outcomes = new ArrayList<>();
        final List<ConsumerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();

        Collector() {
            consumer.subscribe(List.of(Topics.ACCEPTED.name(), Topics.OUTCOMES.name(), Topics.DEAD_LETTER.name()));
        }

        void poll() {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.topic().equals(Topics.ACCEPTED.name())) {
                    accepted.add(typed(r, acceptedDe.deserialize(r.topic(), r.value())));
                } else if (r.topic().equals(Topics.OUTCOMES.name())) {
                    outcomes.add(typed(r, outcomesDe.deserialize(r.topic(), r.value())));
                } else {
                    deadLetters.add(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.timestamp(), r.timestampType(),
                            r.serializedKeySize(), r.serializedValueSize(), r.key() == null ? null : r.key().getBytes(StandardCharsets.UTF_8),
                            r.value(), r.headers(), r.leaderEpoch()));
                }
            }
        }

        void awaitCounts(int acceptedCount, int outcomeCount, int deadLetterCount) {
            await().atMost(90, TimeUnit.SECONDS).pollInterval(Duration.ZERO).until(() -> {
                poll();
                return accepted.size() >= acceptedCount && outcomes.size() >= outcomeCount && deadLetters.size() >= deadLetterCount;
            });
            assertThat(accepted).hasSize(acceptedCount);
            assertThat(outcomes).hasSize(outcomeCount);
            assertThat(deadLetters).hasSize(deadLetterCount);
        }

        private <V> ConsumerRecord<String, V> typed(ConsumerRecord<String, byte[]> r, V value) {
            return new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.timestamp(), r.timestampType(),
                    r.serializedKeySize(), r.serializedValueSize(), r.key(), value, r.headers(), r.leaderEpoch());
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
