package io.domainlink.deploy.topics;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.config.TopicConfig;

import io.domainlink.common.TopicSpec;
import io.domainlink.common.Topics;

/**
 * What one topic should look like on a cluster: name, partitions, replication factor ({@code -1}: the broker default,
 * not checked) and the topic-level configs that are checked (retention, cleanup policy, optionally
 * {@code min.insync.replicas}). Built from {@link Topics#all()}, the single declaration.
 */
public record DesiredTopic(String name, int partitions, short replicationFactor, Map<String, String> configs) {

    /** Replication the production manifests use. */
    public static final short PRODUCTION_REPLICAS = 3;
    /** {@code min.insync.replicas} the production manifests use: with acks=all, one broker may be down. */
    public static final int PRODUCTION_MIN_INSYNC_REPLICAS = 2;

    public DesiredTopic {
        configs = Map.copyOf(configs);
    }

    /**
     * Every declared topic.
     *
     * @param partitionsOverride null: each topic's declared partitions; otherwise this count for every topic (one count
     *                           for all keeps the request-ingestor's co-partitioning of its input and domains.outcomes)
     * @param replicationFactor  -1: broker default (not verified)
     * @param minInsyncReplicas  null: broker default (not verified)
     */
    public static List<DesiredTopic> fromTopics(Integer partitionsOverride, short replicationFactor, Integer minInsyncReplicas) {
        return Topics.all().stream().map(t -> of(t, partitionsOverride, replicationFactor, minInsyncReplicas)).toList();
    }

    static DesiredTopic of(TopicSpec<?> spec, Integer partitionsOverride, short replicationFactor, Integer minInsyncReplicas) {
        Map<String, String> configs = new TreeMap<>(spec.configs());
        if (minInsyncReplicas != null) {
            configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInsyncReplicas));
        }
        return new DesiredTopic(spec.name(), partitionsOverride == null ? spec.defaultPartitions() : partitionsOverride,
                replicationFactor, configs);
    }

    /** The configs in a stable order (for output and generated files). */
    public Map<String, String> sortedConfigs() {
        return new TreeMap<>(configs);
    }
}
