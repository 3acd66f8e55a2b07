package io.domainlink.deploy.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.domainlink.common.Topics;

class TopicStateTest {

    private final DesiredTopic requests = DesiredTopic.of(Topics.REQUESTS, null, (short) 3, 2);

    @Test
    void aTopicAsDeclaredHasNoDifferences() {
        TopicState state = new TopicState(6, 3, Map.of("retention.ms", "31536000000", "cleanup.policy", "delete", "min.insync.replicas", "2"));

        assertThat(state.differences(requests)).isEmpty();
    }

    @Test
    void everyDifferenceIsNamedAndOnlyConfigsAreFixable() {
        TopicState state = new TopicState(3, 1, Map.of("retention.ms", "1000", "cleanup.policy", "delete"));

        assertThat(state.differences(requests)).containsExactly(
                new TopicState.Difference("partitions", "3", "6", false),
                new TopicState.Difference("replication factor", "1", "3", false),
                new TopicState.Difference("min.insync.replicas", "(unset)", "2", true),
                new TopicState.Difference("retention.ms", "1000", "31536000000", true));
    }

    @Test
    void replicationAndMinInsyncReplicasAreNotCheckedWhenLeftToTheBroker() {
        DesiredTopic brokerDefaults = DesiredTopic.of(Topics.REQUESTS, null, (short) -1, null);
        TopicState state = new TopicState(6, 1, Map.of("retention.ms", "31536000000", "cleanup.policy", "delete"));

        assertThat(state.differences(brokerDefaults)).isEmpty();
    }

    @Test
    void cleanupPolicyIsComparedAsASetOfPolicies() {
        assertThat(TopicState.sameValue("cleanup.policy", "delete, compact", "compact,delete")).isTrue();
        assertThat(TopicState.sameValue("cleanup.policy", "compact", "delete")).isFalse();
        assertThat(TopicState.sameValue("retention.ms", null, "1")).isFalse();
    }

    @Test
    void aPartitionOverrideAppliesToEveryTopic() {
        assertThat(DesiredTopic.fromTopics(12, (short) -1, null)).extracting(DesiredTopic::partitions).containsOnly(12);
        assertThat(DesiredTopic.fromTopics(null, (short) -1, null)).extracting(DesiredTopic::name)
                .containsExactlyElementsOf(Topics.all().stream().map(t -> t.name()).toList());
    }
}
