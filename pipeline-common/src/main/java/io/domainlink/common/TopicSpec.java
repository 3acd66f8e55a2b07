package io.domainlink.common;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import io.domainlink.common.registry.SchemaRegistryClient;
import io.domainlink.common.serde.AvroDeserializer;
import io.domainlink.common.serde.AvroSerde;
import io.domainlink.common.serde.AvroSerializer;

/**
 * One topic of the pipeline: its name, key (always the normalized domain, a UTF-8 string), value schema (null for
 * the dead-letter topic, whose values are the original bytes), who writes and reads it, and its provisioning.
 *
 * @param <V> the Java type of the value
 */
public record TopicSpec<V>(
        String name,
        Schema valueSchema,
        String description,
        String producedBy,
        List<String> consumedBy,
        int defaultPartitions,
        Duration retention,
        String cleanupPolicy) {

    /** Schema subject of the value under TopicNameStrategy. */
    public String valueSubject() {
        return name + "-value";
    }

    public Optional<Schema> schema() {
        return Optional.ofNullable(valueSchema);
    }

    public Serde<V> valueSerde(SchemaRegistryClient registry, boolean autoRegister) {
        return AvroSerde.of(registry, requireSchema(), autoRegister);
    }

    public Serializer<V> valueSerializer(SchemaRegistryClient registry, boolean autoRegister) {
        return new AvroSerializer<>(registry, requireSchema(), autoRegister);
    }

    public Deserializer<V> valueDeserializer(SchemaRegistryClient registry) {
        return new AvroDeserializer<>(registry, requireSchema());
    }

    /** Topic-level configs this topic is created with. */
    public Map<String, String> configs() {
        return Map.of(
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.isNegative() ? -1 : retention.toMillis()),
                TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy);
    }

    public NewTopic newTopic(int partitions, short replicationFactor, Map<String, String> extraConfigs) {
        Map<String, String> all = new java.util.HashMap<>(configs());
        all.putAll(extraConfigs);
        return new NewTopic(name, partitions, replicationFactor).configs(all);
    }

    private Schema requireSchema() {
        if (valueSchema == null) {
            throw new IllegalStateException(name + " carries raw bytes, not Avro");
        }
        return valueSchema;
    }
}
