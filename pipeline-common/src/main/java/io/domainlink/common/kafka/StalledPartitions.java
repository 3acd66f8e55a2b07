package io.domainlink.common.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;

/**
 * How long each input partition of a Kafka Streams instance has gone without progress while it had work, read from
 * what Kafka Streams exposes without a call to the broker: the thread metadata (which thread's consumer holds which
 * partition; up to date after every rebalance) and that consumer's own metrics.
 * <ul>
 *   <li>{@code records-lag} &gt; 0 (records behind the consumer's position) while {@code records-lead} (the position)
 *       has not moved: stalled since the position last moved, or since the lag was last seen at 0;</li>
 *   <li>{@code last-poll-seconds-ago} of the partition's consumer: a stream thread polls between records, so a thread
 *       held inside a processor for that long holds all its partitions, whatever their lag said last.</li>
 * </ul>
 * Observed only when asked ({@link #measure}, on a health check or a scrape): a position that moved and came back in
 * between is not seen, which can only shorten a stall.
 */
final class StalledPartitions {

    static final String FETCH_GROUP = "consumer-fetch-manager-metrics";
    static final String CONSUMER_GROUP = "consumer-metrics";
    static final String LAG = "records-lag";
    static final String LEAD = "records-lead";
    static final String LAST_POLL = "last-poll-seconds-ago";

    private record Seen(double lead, long sinceNanos) {
    }

    private record Key(String clientId, TopicPartition partition) {
    }

    private final Map<TopicPartition, Seen> seen = new HashMap<>(); // guarded by this

    /** Per input partition of the active tasks: how long it has been stalled ({@link Duration#ZERO} when it is not). */
    synchronized Map<TopicPartition, Duration> measure(Set<ThreadMetadata> threads, Map<MetricName, ? extends Metric> metrics,
                                                       long nowNanos) {
        Map<Key, Double> lag = new HashMap<>();
        Map<Key, Double> lead = new HashMap<>();
        Map<String, Double> lastPoll = new HashMap<>();
        metrics.forEach((name, metric) -> {
            String client = name.tags().get("client-id");
            if (client == null) {
                return;
            }
            if (CONSUMER_GROUP.equals(name.group()) && LAST_POLL.equals(name.name())) {
                lastPoll.put(client, value(metric));
            } else if (FETCH_GROUP.equals(name.group()) && (LAG.equals(name.name()) || LEAD.equals(name.name()))) {
                String topic = name.tags().get("topic");
                String partition = name.tags().get("partition");
                if (topic != null && partition != null) {
                    Key key = new Key(client, new TopicPartition(topic, Integer.parseInt(partition)));
                    (LAG.equals(name.name()) ? lag : lead).put(key, value(metric));
                }
            }
        });
        Map<TopicPartition, Duration> stalled = new HashMap<>();
        for (ThreadMetadata thread : threads) {
            String client = thread.consumerClientId();
            double polled = lastPoll.getOrDefault(client, -1.0);
            Duration sincePoll = polled >= 0 ? Duration.ofSeconds((long) polled) : Duration.ZERO;
            for (TaskMetadata task : thread.activeTasks()) {
                for (TopicPartition tp : task.topicPartitions()) {
                    Key key = new Key(client, tp);
                    Duration sinceMove = sinceMove(tp, lag.getOrDefault(key, Double.NaN), lead.getOrDefault(key, Double.NaN), nowNanos);
                    stalled.merge(tp, max(sinceMove, sincePoll), StalledPartitions::max);
                }
            }
        }
        Set<TopicPartition> gone = new HashSet<>(seen.keySet());
        gone.removeAll(stalled.keySet());
        gone.forEach(seen::remove);
        return stalled;
    }

    private Duration sinceMove(TopicPartition tp, double lag, double lead, long nowNanos) {
        Seen last = seen.get(tp);
        if (!(lag > 0) || last == null || Double.compare(last.lead(), lead) != 0) {
            seen.put(tp, new Seen(lead, nowNanos));
            return Duration.ZERO;
        }
        return Duration.ofNanos(nowNanos - last.sinceNanos());
    }

    private static double value(Metric metric) {
        return metric.metricValue() instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
