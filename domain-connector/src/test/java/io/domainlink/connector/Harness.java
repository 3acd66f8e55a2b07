package io.domainlink.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;

import io.domainlink.common.TopicSpec;
import io.domainlink.common.Topics;
import io.domainlink.common.config.ServiceConfig;
import io.domainlink.common.registry.RegistryConfig;
import io.domainlink.common.registry.SchemaRegistryClient;
import io.domainlink.events.ConnectionAccepted;
import io.domainlink.events.ConnectionConfigured;
import io.domainlink.events.DomainFailed;
import io.domainlink.events.OwnerActionRequired;
import io.domainlink.testsupport.KafkaCluster;
import io.domainlink.wix.sandbox.Scenario;
import io.domainlink.wix.sandbox.WixSandbox;

/** What the connector ITs share: topics, config, publishing, and a read_committed view of the outputs. */
final class Harness implements AutoCloseable {

    static final int PARTITIONS = 6;
    static final String GROUP = "domain-connector-it";

    final KafkaCluster kafka;
    final String registryUrl;
    final WixSandbox sandbox;
    final SchemaRegistryClient registry;
    private final KafkaProducer<byte[], byte[]> producer;

    Harness(KafkaCluster kafka, String registryUrl, WixSandbox sandbox) {
        this.kafka = kafka;
        this.registryUrl = registryUrl;
        this.sandbox = sandbox;
        this.registry = new SchemaRegistryClient(RegistryConfig.of(registryUrl));
        kafka.createTopics(Topics.all().stream().map(t -> t.newTopic(PARTITIONS, (short) 1, Map.of())).toList());
        this.producer = new KafkaProducer<>(kafka.byteProducerProperties());
    }

    /** Service config as the environment would give it, plus overrides by key. */
    ServiceConfig config(String instanceId, Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        env.put(ServiceConfig.envName(ServiceConfig.BOOTSTRAP_SERVERS), kafka.bootstrapServers());
        env.put(ServiceConfig.envName(ServiceConfig.SCHEMA_REGISTRY_URL), registryUrl);
        env.put(ServiceConfig.envName(ServiceConfig.INSTANCE_ID), instanceId);
        env.put(ServiceConfig.envName(ServiceConfig.HTTP_PORT), "-1");
        env.put(ServiceConfig.envName(ConnectorConfig.GROUP_ID), GROUP);
        env.put(ServiceConfig.envName(ConnectorConfig.WIX_BASE_URL), sandbox.baseUrl());
        env.put(ServiceConfig.envName(ConnectorConfig.WIX_API_KEY), Scenario.DEFAULT_API_KEY);
        env.put("KAFKA_SESSION_TIMEOUT_MS", "6000");
        env.put("KAFKA_HEARTBEAT_INTERVAL_MS", "1000");
        overrides.forEach((k, v) -> env.put(ServiceConfig.envName(k), v));
        return ServiceConfig.load(ConnectorConfig.definition(), env);
    }

    DomainConnectorApp start(String instanceId, Map<String, String> overrides, AfterWixCall hook, ConnectorLoop.BeforeCommit beforeCommit)
            throws InterruptedException {
        DomainConnectorApp app = DomainConnectorApp.start(config(instanceId, overrides), hook, beforeCommit);
        assertThat(app.awaitRunning(Duration.ofSeconds(60))).as("connector running").isTrue();
        return app;
    }

    void publish(ConnectionAccepted... requests) {
        var serializer = Topics.ACCEPTED.valueSerializer(registry, true);
        for (ConnectionAccepted r : requests) {
            producer.send(new ProducerRecord<>(Topics.ACCEPTED.name(), key(r.getContext().getDomain()),
                    serializer.serialize(Topics.ACCEPTED.name(), r)));
        }
        producer.flush();
    }

    /** Publishes with a {@code traceparent} header, as an upstream stage would. */
    void publishTraced(String traceparent, ConnectionAccepted request) {
        var serializer = Topics.ACCEPTED.valueSerializer(registry, true);
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(Topics.ACCEPTED.name(), key(request.getContext().getDomain()),
                serializer.serialize(Topics.ACCEPTED.name(), request));
        record.headers().add(io.domainlink.common.tracing.TraceContext.HEADER, traceparent.getBytes(StandardCharsets.UTF_8));
        producer.send(record);
        producer.flush();
    }

    void publishRaw(byte[] value, String key) {
        producer.send(new ProducerRecord<>(Topics.ACCEPTED.name(), key(key), value));
        producer.flush();
    }

    static byte[] key(String domain) {
        return domain.getBytes(StandardCharsets.UTF_8);
    }

    /** The partition Kafka's default partitioner picks for a domain key. */
    static int partitionOf(String domain) {
        return Utils.toPositive(Utils.murmur2(key(domain))) % PARTITIONS;
    }

    /** Everything committed on a topic, from the beginning, as a read_committed reader sees it. */
    List<ConsumerRecord<byte[], byte[]>> readCommitted(TopicSpec<?> topic) {
        Map<String, Object> props = kafka.byteConsumerProperties("reader-" + System.nanoTime());
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                tps.add(new TopicPartition(topic.name(), p));
            }
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps); // read_committed: the last stable offset
            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                c.poll(Duration.ofMillis(100)).forEach(out::add);
                assertThat(System.nanoTime()).as("read " + topic.name() + " to its end").isLessThan(deadline);
            }
            return out;
        }
    }

    @SuppressWarnings("unchecked")
    <V> List<V> values(TopicSpec<V> topic) {
        var d = topic.valueDeserializer(registry);
        return readCommitted(topic).stream().map(r -> (V) d.deserialize(topic.name(), r.value())).toList();
    }

    List<ConnectionConfigured> configured(String requestId) {
        return values(Topics.CONFIGURED).stream().filter(c -> c.getContext().getRequestId().equals(requestId)).toList();
    }

    List<OwnerActionRequired> ownerActions(String requestId) {
        return values(Topics.OWNER_ACTIONS).stream().filter(c -> c.getContext().getRequestId().equals(requestId)).toList();
    }

    List<DomainFailed> failed(String requestId) {
        return values(Topics.OUTCOMES).stream().filter(o -> o instanceof DomainFailed).map(o -> (DomainFailed) o)
                .filter(f -> f.getContext().getRequestId().equals(requestId)).toList();
    }

    /** Request ids that have an event on configured or outcomes, with how many. */
    Map<String, Long> terminalCounts() {
        List<String> ids = new ArrayList<>();
        values(Topics.CONFIGURED).forEach(c -> ids.add(c.getContext().getRequestId()));
        for (SpecificRecord o : values(Topics.OUTCOMES)) {
            if (o instanceof DomainFailed f) {
                ids.add(f.getContext().getRequestId());
            }
        }
        return ids.stream().collect(Collectors.groupingBy(i -> i, Collectors.counting()));
    }

    /** Waits until the connector group has committed every record of domains.accepted. */
    void awaitNoLag(Duration timeout) {
        await(timeout, "consumer group lag 0", () -> {
            Map<TopicPartition, OffsetAndMetadata> committed = kafka.admin().listConsumerGroupOffsets(GROUP)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, Long> end = endOffsets();
            return end.entrySet().stream().allMatch(e -> e.getValue() == 0
                    || committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() >= e.getValue());
        });
    }

    private Map<TopicPartition, Long> endOffsets() {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(kafka.byteConsumerProperties("end-" + System.nanoTime()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Set<TopicPartition> tps = new java.util.HashSet<>();
            for (int p = 0; p < PARTITIONS; p++) {
                tps.add(new TopicPartition(Topics.ACCEPTED.name(), p));
            }
            return c.endOffsets(tps);
        }
    }

    static void await(Duration timeout, String what, io.domainlink.testsupport.Await.Check check) {
        io.domainlink.testsupport.Await.until(timeout, what, check);
    }

    static <T> Predicate<T> any() {
        return t -> true;
    }

    @Override
    public void close() {
        producer.close();
    }
}
