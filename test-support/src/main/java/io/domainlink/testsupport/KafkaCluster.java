package io.domainlink.testsupport;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A running Kafka cluster a test talks to: the embedded KRaft cluster ({@link EmbeddedKafkaCluster}, injected by
 * {@link KafkaClusterExtension}) or a Testcontainers broker ({@link KafkaContainerTestBase#kafka()}).
 *
 * <p>Client helpers are shared; the fault operations ({@link #stopBroker}, {@link #killBroker},
 * {@link #startBroker}) are only supported by the embedded cluster.
 */
public interface KafkaCluster extends AutoCloseable {

    Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /** {@code host:port,...} of every broker, for {@code bootstrap.servers}. */
    String bootstrapServers();

    /** An admin client owned by the cluster (do not close it; it is closed with the cluster). */
    Admin admin();

    /** Broker node ids, ascending. */
    Set<Integer> brokerIds();

    // ---- topics ---------------------------------------------------------------------------------------------

    /** Creates the topics (no-op for a topic that already exists) and waits until every partition's leader serves it. */
    default void createTopics(Collection<NewTopic> topics) {
        try {
            admin().createTopics(topics).values().forEach((name, future) -> {
                try {
                    future.get(DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("could not create topic " + name, e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                } catch (TimeoutException e) {
                    throw new IllegalStateException("timed out creating topic " + name, e);
                }
            });
        } finally {
            // describe until every broker's metadata has the topics, so a producer right after sees them
            awaitTopics(topics.stream().map(NewTopic::name).collect(Collectors.toList()));
        }
    }

    /** Creates topics with the given partitions and replication factor. */
    default void createTopics(int partitions, int replicationFactor, String... names) {
        createTopics(Stream.of(names).map(n -> new NewTopic(n, partitions, (short) replicationFactor)).collect(Collectors.toList()));
    }

    /** Creates one topic with topic configs such as {@code min.insync.replicas} or {@code cleanup.policy}. */
    default void createTopic(String name, int partitions, int replicationFactor, Map<String, String> configs) {
        createTopics(List.of(new NewTopic(name, partitions, (short) replicationFactor).configs(configs)));
    }

    private void awaitTopics(Collection<String> names) {
        long deadline = System.nanoTime() + DEFAULT_TIMEOUT.toNanos();
        while (true) {
            try {
                Map<String, TopicDescription> described = admin().describeTopics(names).allTopicNames().get(5, TimeUnit.SECONDS);
                // The metadata can name a leader before that broker's replica manager serves the partition. A produce in
                // that window gets NOT_LEADER_OR_FOLLOWER, and an idempotent producer's next in-flight batch can then land
                // first (a partition new to the producer accepts any first sequence): records reorder or fail. ListOffsets
                // is answered by the leader's replica manager, so once it answers for every partition, produce is safe.
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                described.values().forEach(d -> d.partitions().forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
                admin().listOffsets(latest).all().get(5, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topics " + names + " not visible in time", e);
                }
                Wait.sleep(Duration.ofMillis(50));
            }
        }
    }

    // ---- client properties ----------------------------------------------------------------------------------

    /** {@code bootstrap.servers}; the base of every other property helper. */
    default Map<String, Object> clientProperties() {
        Map<String, Object> p = new HashMap<>();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return p;
    }

    /** Producer with the pipeline's reliability defaults: acks=all, idempotence on, String key/value. */
    default Map<String, Object> producerProperties() {
        return producerProperties(StringSerializer.class, StringSerializer.class);
    }

    default Map<String, Object> producerProperties(Class<?> keySerializer, Class<?> valueSerializer) {
        Map<String, Object> p = clientProperties();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, keySerializer.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, valueSerializer.getName());
        return p;
    }

    /** Byte-array producer (for wire-format tests). */
    default Map<String, Object> byteProducerProperties() {
        return producerProperties(ByteArraySerializer.class, ByteArraySerializer.class);
    }

    /**
     * Consumer in {@code groupId}: earliest, no auto-commit, {@code read_committed}, String key/value.
     */
    default Map<String, Object> consumerProperties(String groupId) {
        return consumerProperties(groupId, StringDeserializer.class, StringDeserializer.class);
    }

    default Map<String, Object> consumerProperties(String groupId, Class<?> keyDeserializer, Class<?> valueDeserializer) {
        Map<String, Object> p = clientProperties();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, keyDeserializer.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, valueDeserializer.getName());
        return p;
    }

    /** Byte-array consumer (for wire-format tests). */
    default Map<String, Object> byteConsumerProperties(String groupId) {
        return consumerProperties(groupId, ByteArrayDeserializer.class, ByteArrayDeserializer.class);
    }

    // ---- faults (embedded cluster only) ---------------------------------------------------------------------

    /** Clean stop: controlled shutdown (leaders move away first), then the broker is gone until {@link #startBroker}. */
    default void stopBroker(int brokerId) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not support stopping brokers");
    }

    /** Abrupt stop: no controlled shutdown; the controller notices through the missed heartbeats. */
    default void killBroker(int brokerId) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not support killing brokers");
    }

    /** Starts a stopped/killed broker again on the same port and waits until it is registered and unfenced. */
    default void startBroker(int brokerId) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not support starting brokers");
    }

    /** Whether the broker is running (not stopped or killed by a fault operation). */
    default boolean isBrokerRunning(int brokerId) {
        return brokerIds().contains(brokerId);
    }

    /** Waits until every partition of the topics has its full replica set in the ISR (e.g. after a restart). */
    default void awaitInSync(Duration timeout, String... topics) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                boolean allInSync = admin().describeTopics(List.of(topics)).allTopicNames().get(5, TimeUnit.SECONDS)
                        .values().stream().flatMap(d -> d.partitions().stream())
                        .allMatch(p -> p.isr().size() == p.replicas().size() && p.leader() != null && !p.leader().isEmpty());
                if (allInSync) {
                    return;
                }
            } catch (Exception e) {
                // broker still starting: retry
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topics " + List.of(topics) + " not fully in sync within " + timeout);
            }
            Wait.sleep(Duration.ofMillis(100));
        }
    }

    /** Stops the cluster. Idempotent. */
    @Override
    void close();
}
