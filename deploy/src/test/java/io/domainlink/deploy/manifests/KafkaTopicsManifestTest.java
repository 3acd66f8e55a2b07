package io.domainlink.deploy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.domainlink.common.TopicSpec;
import io.domainlink.common.Topics;
import io.domainlink.deploy.topics.StrimziTopics;

/** deploy/k8s/kafka-topics.yaml is exactly what StrimziTopics generates from Topics.all(). */
class KafkaTopicsManifestTest {

    static final Path FILE = Path.of("k8s", "kafka-topics.yaml");

    @Test
    void committedKafkaTopicsAreWhatTheGeneratorProducesFromTopics() throws Exception {
        String committed = Files.readString(FILE, StandardCharsets.UTF_8);

        assertThat(committed)
                .as("deploy/k8s/kafka-topics.yaml is out of date with Topics.all(). Regenerate it from the repository root:%n"
                        + "  mvn -B -q -pl deploy -am package -DskipTests && java -cp \"deploy/target/classes:$(cat deploy/target/local-stack.classpath)\" "
                        + "io.domainlink.deploy.topics.StrimziTopics%n")
                .isEqualTo(StrimziTopics.render());
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyGeneratedKafkaTopicCarriesTheDeclaredPartitionsRetentionAndCleanupPolicyWithProductionReplication() {
        List<Object> docs = ManifestChecker.load(StrimziTopics.render());

        assertThat(docs).hasSize(Topics.all().size());
        for (int i = 0; i < docs.size(); i++) {
            TopicSpec<?> spec = Topics.all().get(i);
            Map<String, Object> doc = (Map<String, Object>) docs.get(i);
            Map<String, Object> topicSpec = (Map<String, Object>) doc.get("spec");
            Map<String, Object> config = (Map<String, Object>) topicSpec.get("config");
            assertThat(doc).containsEntry("kind", "KafkaTopic").containsEntry("apiVersion", "kafka.strimzi.io/v1beta2");
            assertThat(topicSpec).containsEntry("topicName", spec.name()).containsEntry("partitions", spec.defaultPartitions())
                    .containsEntry("replicas", 3);
            assertThat(config).containsEntry("retention.ms", spec.retention().toMillis())
                    .containsEntry("cleanup.policy", spec.cleanupPolicy()).containsEntry("min.insync.replicas", 2);
        }
    }
}
