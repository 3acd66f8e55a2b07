package io.domainlink.deploy.topics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.kafka.common.config.TopicConfig;

/** A topic as a cluster describes it: partition count, replication factor (of partition 0) and the configs that are checked. */
public record TopicState(int partitions, int replicationFactor, Map<String, String> configs) {

    public TopicState {
        configs = Map.copyOf(configs);
    }

    /** One way the topic differs from what is declared. Only configs can be changed in place ({@code --fix}). */
    public record Difference(String what, String actual, String wanted, boolean fixable) {
        @Override
        public String toString() {
            return what + " " + actual + " (want " + wanted + ")";
        }
    }

    /** Every difference between this state and the declared one; empty when the topic is as declared. */
    public List<Difference> differences(DesiredTopic desired) {
        List<Difference> out = new ArrayList<>();
        if (partitions != desired.partitions()) {
            out.add(new Difference("partitions", Integer.toString(partitions), Integer.toString(desired.partitions()), false));
        }
        if (desired.replicationFactor() > 0 && replicationFactor != desired.replicationFactor()) {
            out.add(new Difference("replication factor", Integer.toString(replicationFactor),
                    Integer.toString(desired.replicationFactor()), false));
        }
        desired.sortedConfigs().forEach((key, wanted) -> {
            String actual = configs.get(key);
            if (!sameValue(key, actual, wanted)) {
                out.add(new Difference(key, actual == null ? "(unset)" : actual, wanted, true));
            }
        });
        return out;
    }

    /** cleanup.policy is a list ("compact,delete" equals "delete,compact"); everything else compares as text. */
    static boolean sameValue(String key, String actual, String wanted) {
        if (actual == null) {
            return false;
        }
        if (TopicConfig.CLEANUP_POLICY_CONFIG.equals(key)) {
            return Objects.equals(policies(actual), policies(wanted));
        }
        return actual.trim().equals(wanted.trim());
    }

    private static List<String> policies(String v) {
        return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).sorted().toList();
    }
}
