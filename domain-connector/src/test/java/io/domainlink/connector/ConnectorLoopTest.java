package io.domainlink.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.domainlink.common.DeadLetters;
import io.domainlink.common.Topics;
import io.domainlink.common.kafka.DeadLetterCompanion;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The loop against Kafka's MockConsumer / MockProducer: what a worker's failure and a stuck record do to it. */
class ConnectorLoopTest {

    static final String TOPIC = Topics.ACCEPTED.name();
    static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    final PacedConsumer consumer = new PacedConsumer();
    final MockProducer<byte[], byte[]> producer = new MockProducer<>(cluster(), true, null, new ByteArraySerializer(),
            new ByteArraySerializer());
    final ConnectorMetrics metrics = new ConnectorMetrics();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    ConnectorLoop loop;
    Thread thread;

    /** MockConsumer answers every poll at once; this one waits a little when there is nothing, as a real poll does. */
    static final class PacedConsumer extends MockConsumer<byte[], byte[]> {
        PacedConsumer() {
            super("earliest");
        }

        @Override
        public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
            ConsumerRecords<byte[], byte[]> records = super.poll(timeout);
            if (records.isEmpty()) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return records;
        }
    }

    static Cluster cluster() {
        Node node = new Node(0, "localhost", 9092);
        List<PartitionInfo> partitions = Topics.all().stream()
                .map(t -> new PartitionInfo(t.name(), 0, node, new Node[] {node}, new Node[] {node})).toList();
        return new Cluster("test", List.of(node), partitions, Set.of(), Set.of());
    }

    void start(ConnectorLoop.Work work, Duration stuckAfter) throws InterruptedException {
        metrics.bindTo(meters);
        loop = new ConnectorLoop(consumer, producer, new DeadLetteringWork(work, DeadLetterCompanion.NONE, metrics), metrics,
                ConnectorLoop.BeforeCommit.NONE, new ConnectorLoop.Settings(TOPIC, 8, Duration.ofMillis(10), Duration.ZERO,
                Duration.ofSeconds(1), stuckAfter));
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(P0, P1));
            consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        });
        thread = new Thread(loop, "loop-under-test");
        thread.start();
        assertThat(loop.awaitRunning(Duration.ofSeconds(10))).isTrue();
        await().atMost(10, TimeUnit.SECONDS).until(() -> consumer.assignment().size() == 2);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (loop != null) {
            loop.stop();
            thread.join(10_000);
        }
    }

    void add(TopicPartition tp, long offset, String domain) {
        consumer.addRecord(new ConsumerRecord<>(tp.topic(), tp.partition(), offset, domain.getBytes(StandardCharsets.UTF_8),
                ("value-" + offset).getBytes(StandardCharsets.UTF_8)));
    }

    static Processed configured(ConsumerRecord<byte[], byte[]> record) {
        return new Processed(List.of(new ProducerRecord<>(Topics.CONFIGURED.name(), record.key(), record.value())), true, false,
                null, null, false);
    }

    /** The highest offset committed for the partition, -1 when none. */
    long committed(TopicPartition tp) {
        return producer.consumerGroupOffsetsHistory().stream().flatMap(m -> m.values().stream())
                .map(offsets -> offsets.get(tp)).filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).max().orElse(-1);
    }

    @Test
    void anErrorOnAWorkerStopsTheLoopWithoutCommittingItAndTurnsItNotLive() throws Exception {
        start(record -> {
            if (record.offset() == 1) {
                throw new OutOfMemoryError("Java heap space (simulated)");
            }
            return configured(record);
        }, Duration.ofMinutes(30));
        add(P0, 0, "a.com");
        await().atMost(10, TimeUnit.SECONDS).until(() -> committed(P0) == 1);
        add(P0, 1, "b.com");
        add(P0, 2, "c.com");

        assertThat(loop.awaitTermination(Duration.ofSeconds(10))).as("the loop stops").isTrue();
        assertThat(loop.failure()).isInstanceOf(OutOfMemoryError.class);
        assertThat(loop.notLive()).hasValueSatisfying(reason -> assertThat(reason).contains("OutOfMemoryError"));
        assertThat(loop.notReady()).isPresent();
        assertThat(committed(P0)).as("nothing committed past the record whose worker failed").isEqualTo(1);
        assertThat(producer.history()).extracting(ProducerRecord::topic).doesNotContain(Topics.DEAD_LETTER.name());
    }

    @Test
    void aRecordWhoseHandlerThrowsIsDeadLetteredAndTheNextRecordOfItsPartitionCommits() throws Exception {
        start(record -> {
            if (record.offset() == 0) {
                throw new IllegalStateException("a bug for this record");
            }
            return configured(record);
        }, Duration.ofMinutes(30));
        add(P0, 0, "a.com");
        add(P0, 1, "a.com");

        await().atMost(10, TimeUnit.SECONDS).until(() -> committed(P0) == 2);
        ProducerRecord<byte[], byte[]> dead = producer.history().stream()
                .filter(r -> r.topic().equals(Topics.DEAD_LETTER.name())).findFirst().orElseThrow();
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.SOURCE_OFFSET)).isEqualTo("0");
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.ERROR_CLASS)).isEqualTo(IllegalStateException.class.getName());
        assertThat(dead.value()).isEqualTo("value-0".getBytes(StandardCharsets.UTF_8));
        assertThat(producer.history()).filteredOn(r -> r.topic().equals(Topics.CONFIGURED.name()))
                .extracting(r -> new String(r.value(), StandardCharsets.UTF_8)).containsExactly("value-1");
        assertThat(metrics.unexpectedErrors()).isEqualTo(1);
        assertThat(metrics.deadLetters()).isEqualTo(1);
        assertThat(loop.notLive()).isEmpty();
        assertThat(loop.notReady()).isEmpty();
    }

    @Test
    void aStuckRecordAgesOnItsPartitionsGaugeAndTurnsReadinessFalseWhileTheLoopStaysLive() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        start(record -> {
            if (record.partition() == 0 && record.offset() == 0) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return configured(record);
        }, Duration.ofMillis(500));
        add(P0, 0, "stuck.com");
        add(P0, 1, "other.com"); // done at once, held behind offset 0
        add(P1, 0, "free.com");
        await().atMost(10, TimeUnit.SECONDS).until(() -> committed(P1) == 1);
        Gauge p0 = meters.get("domainlink.connector.oldest.uncommitted.seconds").tag("partition", "0").gauge();
        AtomicReference<Double> first = new AtomicReference<>();
        await().atMost(10, TimeUnit.SECONDS).until(() -> {
            first.set(p0.value());
            return first.get() > 0;
        });
        await().atMost(10, TimeUnit.SECONDS).until(() -> p0.value() > first.get());

        await().atMost(10, TimeUnit.SECONDS).until(() -> loop.notReady().isPresent());
        assertThat(loop.notReady().orElseThrow()).contains(P0.toString()).contains("stuck.after.ms=500");
        assertThat(loop.notLive()).as("still live: the loop can go on").isEmpty();
        assertThat(committed(P0)).as("nothing of the stuck partition committed").isEqualTo(-1);
        assertThat(meters.get("domainlink.connector.oldest.uncommitted.seconds").tag("partition", "1").gauge().value())
                .as("the other partition has nothing uncommitted").isZero();

        release.countDown();
        await().atMost(10, TimeUnit.SECONDS).until(() -> committed(P0) == 2);
        await().atMost(10, TimeUnit.SECONDS).until(() -> loop.notReady().isEmpty());
        assertThat(p0.value()).isZero();
    }
}
