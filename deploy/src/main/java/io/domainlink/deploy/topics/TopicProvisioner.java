package io.domainlink.deploy.topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a cluster's topics match the declaration, idempotently: creates missing topics (unless verify-only), checks
 * existing ones (partition count, replication factor when one is asked for, and every declared config), and changes
 * drifted configs only when asked to fix. Partition counts and replication are never changed: adding partitions
 * moves domains to other partitions (their events would lose their order) and replication changes need a
 * reassignment plan; both are reported for an operator.
 */
public final class TopicProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

    public enum Mode { CREATE_AND_VERIFY, VERIFY_ONLY, FIX }

    public enum Status {
        CREATED(false), OK(false), FIXED(false), MISSING(true), DRIFT(true);

        private final boolean failure;

        Status(boolean failure) {
            this.failure = failure;
        }

        public boolean failure() {
            return failure;
        }
    }

    /** What happened to one topic; {@code state} is what the cluster holds now (empty when missing). */
    public record Result(DesiredTopic desired, Status status, Optional<TopicState> state, List<TopicState.Difference> differences) {
    }

    private final Admin admin;
    private final Duration timeout;

    public TopicProvisioner(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    public List<Result> run(List<DesiredTopic> desired, Mode mode) throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, DesiredTopic> byName = new LinkedHashMap<>();
        desired.forEach(d -> byName.put(d.name(), d));
        Map<String, TopicState> existing = describe(byName.values());

        Map<String, Status> created = new LinkedHashMap<>();
        if (mode != Mode.VERIFY_ONLY) {
            List<DesiredTopic> missing = byName.values().stream().filter(d -> !existing.containsKey(d.name())).toList();
            created.putAll(create(missing));
            if (!created.isEmpty()) {
                // a new topic reaches the brokers' metadata one after another: read until every one shows it whole
                existing.putAll(describeUntil(missing, (d, state) -> state != null && state.differences(d).isEmpty()));
            }
        }

        List<Result> results = new ArrayList<>();
        Map<String, List<TopicState.Difference>> toFix = new LinkedHashMap<>();
        for (DesiredTopic d : byName.values()) {
            TopicState state = existing.get(d.name());
            if (state == null) {
                results.add(new Result(d, Status.MISSING, Optional.empty(), List.of()));
                continue;
            }
            List<TopicState.Difference> diffs = state.differences(d);
            if (mode == Mode.FIX && diffs.stream().anyMatch(TopicState.Difference::fixable)) {
                toFix.put(d.name(), diffs.stream().filter(TopicState.Difference::fixable).toList());
            }
            Status status = created.containsKey(d.name()) ? Status.CREATED : Status.OK;
            results.add(new Result(d, diffs.isEmpty() ? status : Status.DRIFT, Optional.of(state), diffs));
        }
        if (toFix.isEmpty()) {
            return results;
        }
        alter(toFix, byName);
        Map<String, TopicState> after = describeAfterFix(toFix.keySet().stream().map(byName::get).toList());
        List<Result> fixed = new ArrayList<>();
        for (Result r : results) {
            TopicState now = after.get(r.desired().name());
            if (now == null) {
                fixed.add(r);
                continue;
            }
            List<TopicState.Difference> left = now.differences(r.desired());
            fixed.add(new Result(r.desired(), left.isEmpty() ? Status.FIXED : Status.DRIFT, Optional.of(now),
                    left.isEmpty() ? r.differences() : left));
        }
        return fixed;
    }

    private Map<String, Status> create(List<DesiredTopic> missing) throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, Status> created = new LinkedHashMap<>();
        if (missing.isEmpty()) {
            return created;
        }
        List<NewTopic> topics = missing.stream().map(d -> new NewTopic(d.name(), Optional.of(d.partitions()),
                d.replicationFactor() > 0 ? Optional.of(d.replicationFactor()) : Optional.empty()).configs(d.configs())).toList();
        for (Map.Entry<String, KafkaFuture<Void>> e : admin.createTopics(topics).values().entrySet()) {
            try {
                get(e.getValue());
                created.put(e.getKey(), Status.CREATED);
                LOG.info("topic created topic={}", e.getKey());
            } catch (ExecutionException ex) {
                if (!(ex.getCause() instanceof TopicExistsException)) {
                    throw ex;
                }
                LOG.info("topic created concurrently by someone else, verifying it topic={}", e.getKey());
            }
        }
        return created;
    }

    private void alter(Map<String, List<TopicState.Difference>> toFix, Map<String, DesiredTopic> byName)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<ConfigResource, Collection<AlterConfigOp>> ops = new LinkedHashMap<>();
        toFix.forEach((topic, diffs) -> ops.put(new ConfigResource(ConfigResource.Type.TOPIC, topic), diffs.stream()
                .map(d -> new AlterConfigOp(new ConfigEntry(d.what(), byName.get(topic).configs().get(d.what())), AlterConfigOp.OpType.SET))
                .toList()));
        get(admin.incrementalAlterConfigs(ops).all());
        toFix.forEach((topic, diffs) -> diffs.forEach(d ->
                LOG.info("topic config fixed topic={} config={} was={} now={}", topic, d.what(), d.actual(), d.wanted())));
    }

    /**
     * Reads the fixed topics back. A change reaches the brokers one after another and a read may go to any of them,
     * so an answer that still shows a fixed config drifted is asked again for a few seconds before it is believed.
     */
    private Map<String, TopicState> describeAfterFix(List<DesiredTopic> fixed) throws InterruptedException, ExecutionException, TimeoutException {
        return describeUntil(fixed, (d, state) -> state == null
                || state.differences(d).stream().noneMatch(TopicState.Difference::fixable));
    }

    /** Describes {@code topics} again for up to 10 s until {@code settled} holds for each; returns the last answer. */
    private Map<String, TopicState> describeUntil(List<DesiredTopic> topics,
                                                  java.util.function.BiPredicate<DesiredTopic, TopicState> settled)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + Math.min(timeout.toNanos(), Duration.ofSeconds(10).toNanos());
        while (true) {
            Map<String, TopicState> after = describe(topics);
            if (topics.stream().allMatch(d -> settled.test(d, after.get(d.name()))) || System.nanoTime() > deadline) {
                return after;
            }
            Thread.sleep(200);
        }
    }

    /** The state of every listed topic that exists. */
    Map<String, TopicState> describe(Collection<DesiredTopic> topics) throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, TopicDescription> descriptions = new LinkedHashMap<>();
        for (Map.Entry<String, KafkaFuture<TopicDescription>> e
                : admin.describeTopics(topics.stream().map(DesiredTopic::name).toList()).topicNameValues().entrySet()) {
            try {
                descriptions.put(e.getKey(), get(e.getValue()));
            } catch (ExecutionException ex) {
                if (!(ex.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw ex;
                }
            }
        }
        Map<String, TopicState> states = new LinkedHashMap<>();
        if (descriptions.isEmpty()) {
            return states;
        }
        Map<ConfigResource, Config> configs = get(admin.describeConfigs(descriptions.keySet().stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList()).all());
        for (DesiredTopic d : topics) {
            TopicDescription td = descriptions.get(d.name());
            if (td == null) {
                continue;
            }
            Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, d.name()));
            Map<String, String> checked = new LinkedHashMap<>();
            for (String key : d.configs().keySet()) {
                ConfigEntry entry = config.get(key);
                if (entry != null && entry.value() != null) {
                    checked.put(key, entry.value());
                }
            }
            int replicas = td.partitions().isEmpty() ? 0 : td.partitions().get(0).replicas().size();
            states.put(d.name(), new TopicState(td.partitions().size(), replicas, checked));
        }
        return states;
    }

    private <T> T get(KafkaFuture<T> f) throws InterruptedException, ExecutionException, TimeoutException {
        return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
