package io.domainlink.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

class StalledPartitionsTest {

    static final String CLIENT = "app-1-StreamThread-1-consumer";
    static final TopicPartition REQUESTS = new TopicPartition("domains.requests", 0);
    static final TopicPartition OUTCOMES = new TopicPartition("domains.outcomes", 0);
    static final long SECOND = 1_000_000_000L;

    final StalledPartitions stalls = new StalledPartitions();
    final Map<MetricName, Metric> metrics = new HashMap<>();
    final Set<ThreadMetadata> threads = Set.of(new Thread(CLIENT, Set.of(new Task(new TaskId(0, 0), Set.of(REQUESTS, OUTCOMES)))));

    void partition(TopicPartition tp, double lag, double lead) {
        metric(StalledPartitions.FETCH_GROUP, StalledPartitions.LAG, Map.of("client-id", CLIENT, "topic", tp.topic(),
                "partition", Integer.toString(tp.partition())), lag);
        metric(StalledPartitions.FETCH_GROUP, StalledPartitions.LEAD, Map.of("client-id", CLIENT, "topic", tp.topic(),
                "partition", Integer.toString(tp.partition())), lead);
    }

    void polled(double secondsAgo) {
        metric(StalledPartitions.CONSUMER_GROUP, StalledPartitions.LAST_POLL, Map.of("client-id", CLIENT), secondsAgo);
    }

    void metric(String group, String name, Map<String, String> tags, double value) {
        MetricName n = new MetricName(name, group, "", tags);
        metrics.put(n, new Metric() {
            @Override
            public MetricName metricName() {
                return n;
            }

            @Override
            public Object metricValue() {
                return value;
            }
        });
    }

    Map<TopicPartition, Duration> at(long nanos) {
        return stalls.measure(threads, metrics, nanos);
    }

    @Test
    void aPartitionWithRecordsToProcessWhosePositionDoesNotMoveIsStalledSinceItLastMoved() {
        polled(0);
        partition(REQUESTS, 10, 100);
        partition(OUTCOMES, 0, 50);
        assertThat(at(0)).containsEntry(REQUESTS, Duration.ZERO);
        assertThat(at(30 * SECOND)).containsEntry(REQUESTS, Duration.ofSeconds(30)).containsEntry(OUTCOMES, Duration.ZERO);

        partition(REQUESTS, 9, 101); // moved
        assertThat(at(40 * SECOND)).containsEntry(REQUESTS, Duration.ZERO);
        assertThat(at(45 * SECOND)).containsEntry(REQUESTS, Duration.ofSeconds(5));
    }

    @Test
    void aPartitionWithNothingToProcessIsNotStalledAndItsStallStartsWhenRecordsArrive() {
        polled(0);
        partition(REQUESTS, 0, 100);
        assertThat(at(0)).containsEntry(REQUESTS, Duration.ZERO);
        assertThat(at(60 * SECOND)).containsEntry(REQUESTS, Duration.ZERO);

        partition(REQUESTS, 3, 100); // records arrived, the position has not moved yet
        assertThat(at(70 * SECOND)).containsEntry(REQUESTS, Duration.ofSeconds(10));
    }

    @Test
    void aThreadThatHasNotPolledHoldsAllItsPartitionsWhateverTheirLag() {
        partition(REQUESTS, 0, 100);
        partition(OUTCOMES, 0, 50);
        polled(-1); // never polled yet: unknown, not stalled
        assertThat(at(0)).containsEntry(REQUESTS, Duration.ZERO);

        polled(700);
        assertThat(at(SECOND)).containsEntry(REQUESTS, Duration.ofSeconds(700)).containsEntry(OUTCOMES, Duration.ofSeconds(700));
    }

    @Test
    void theUnderscoredDuplicateOfADottedTopicsMetricIsNotMistakenForItAndUnknownMetricsAreNoStall() {
        polled(0);
        partition(REQUESTS, 0, 100);
        partition(new TopicPartition("domains_requests", 0), 10, 100); // the deprecated copy Kafka also reports
        assertThat(at(0)).containsEntry(REQUESTS, Duration.ZERO);
        assertThat(at(90 * SECOND)).containsEntry(REQUESTS, Duration.ZERO).containsEntry(OUTCOMES, Duration.ZERO)
                .doesNotContainKey(new TopicPartition("domains_requests", 0));
    }

    record Thread(String consumerClientId, Set<TaskMetadata> activeTasks) implements ThreadMetadata {
        @Override
        public String threadState() {
            return "RUNNING";
        }

        @Override
        public String threadName() {
            return "StreamThread-1";
        }

        @Override
        public Set<TaskMetadata> standbyTasks() {
            return Set.of();
        }

        @Override
        public String restoreConsumerClientId() {
            return "restore";
        }

        @Override
        public Set<String> producerClientIds() {
            return Set.of();
        }

        @Override
        public String adminClientId() {
            return "admin";
        }
    }

    record Task(TaskId taskId, Set<TopicPartition> topicPartitions) implements TaskMetadata {
        @Override
        public Map<TopicPartition, Long> committedOffsets() {
            return Map.of();
        }

        @Override
        public Map<TopicPartition, Long> endOffsets() {
            return Map.of();
        }

        @Override
        public Optional<Long> timeCurrentIdlingStarted() {
            return Optional.empty();
        }
    }
}
