package io.domainlink.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaClusterExtension.class)
class SingleNodeClusterIT {

    static KafkaCluster kafka;        // injected before @BeforeAll
    EmbeddedKafkaCluster sameCluster; // instance fields are injected too

    @Test
    void injectsOneCombinedNodeIntoStaticInstanceFieldsAndParameters(KafkaCluster asParameter) {
        assertThat(kafka).isSameAs(asParameter).isSameAs(sameCluster);
        assertThat(kafka.brokerIds()).containsExactly(0);
        assertThat(sameCluster.controllerIds()).containsExactly(0);
        assertThat(sameCluster.spec().combined()).isTrue();
        assertThat(kafka.bootstrapServers()).matches("localhost:\\d+");
    }

    @Test
    void producesAndConsumesOnOneNode() throws Exception {
        kafka.createTopics(2, 1, "single-roundtrip");
        Records.produce(kafka.producerProperties(), "single-roundtrip", "v", 100);

        List<String> values = Records.consume(kafka.consumerProperties("g-single"), "single-roundtrip", 100, Duration.ofSeconds(30));

        assertThat(values).containsExactlyInAnyOrderElementsOf(IntStream.range(0, 100).mapToObj(i -> "v" + i).toList());
    }

    @Test
    void createsTopicsWithConfigsAndToleratesExistingOnes() throws Exception {
        kafka.createTopic("single-compacted", 1, 1, Map.of("cleanup.policy", "compact"));
        kafka.createTopic("single-compacted", 1, 1, Map.of("cleanup.policy", "compact"));   // exists: no error

        TopicDescription d = kafka.admin().describeTopics(List.of("single-compacted")).allTopicNames().get().get("single-compacted");
        assertThat(d.partitions()).hasSize(1);
        var config = kafka.admin().describeConfigs(List.of(new org.apache.kafka.common.config.ConfigResource(
                org.apache.kafka.common.config.ConfigResource.Type.TOPIC, "single-compacted"))).all().get();
        assertThat(config.values().iterator().next().get("cleanup.policy").value()).isEqualTo("compact");
    }
}
