package io.domainlink.common.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

import io.domainlink.common.config.ServiceConfig;
import io.domainlink.common.registry.RegistryConfig;
import io.domainlink.common.registry.SchemaRegistryClient;

/**
 * The reliability baseline of every client of the pipeline, in one place (see docs/reliability.md):
 * producers {@code acks=all} with idempotence set explicitly, consumers {@code read_committed} without auto
 * commit, Kafka Streams {@code exactly_once_v2}. Pass-through Kafka properties (security) are applied first and
 * may tune but not weaken these.
 */
public final class KafkaDefaults {

    private KafkaDefaults() {
    }

    public static Map<String, Object> producer(ServiceConfig config, String clientId) {
        Map<String, Object> p = base(config, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return p;
    }

    /** A transactional producer with a stable id per instance (and per task or partition where the caller adds one). */
    public static Map<String, Object> transactionalProducer(ServiceConfig config, String clientId, String transactionalId) {
        Map<String, Object> p = producer(config, clientId);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        return p;
    }

    public static Map<String, Object> consumer(ServiceConfig config, String clientId, String groupId) {
        Map<String, Object> c = base(config, clientId);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return c;
    }

    public static Properties streams(ServiceConfig config, String applicationId, String stage) {
        Properties p = new Properties();
        p.putAll(config.kafkaPassthrough());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", config.getList(ServiceConfig.BOOTSTRAP_SERVERS)));
        p.put(StreamsConfig.CLIENT_ID_CONFIG, applicationId + "-" + config.getString(ServiceConfig.INSTANCE_ID));
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.getShort(ServiceConfig.REPLICATION_FACTOR));
        p.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class);
        p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProductionHandler.class);
        p.put(DeadLetterDeserializationHandler.STAGE_CONFIG, stage);
        return p;
    }

    public static SchemaRegistryClient registry(ServiceConfig config) {
        return new SchemaRegistryClient(new RegistryConfig(config.getString(ServiceConfig.SCHEMA_REGISTRY_URL),
                config.getString(ServiceConfig.SCHEMA_REGISTRY_USER_INFO), config.getString(ServiceConfig.SCHEMA_REGISTRY_BEARER_TOKEN),
                null, null));
    }

    private static Map<String, Object> base(ServiceConfig config, String clientId) {
        Map<String, Object> m = new HashMap<>(config.kafkaPassthrough());
        m.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", config.getList(ServiceConfig.BOOTSTRAP_SERVERS)));
        m.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        return m;
    }
}
