package io.domainlink.tools;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.utils.Utils;

/**
 * Reads ranges of partitions with a group-less {@code read_committed} consumer (assign + seek): from a start position
 * to the end offsets taken when the read began, so a read of a busy topic ends. Nothing is committed.
 */
final class TopicReader implements AutoCloseable {

    static final Duration META_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STALL = Duration.ofSeconds(60);

    private final KafkaConsumer<byte[], byte[]> consumer;

    TopicReader(KafkaConsumer<byte[], byte[]> consumer) {
        this.consumer = consumer;
    }

    KafkaConsumer<byte[], byte[]> consumer() {
        return consumer;
    }

    List<TopicPartition> partitions(String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, META_TIMEOUT);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalArgumentException("topic " + topic + " does not exist on this cluster");
        }
        List<TopicPartition> out = new ArrayList<>();
        infos.forEach(p -> out.add(new TopicPartition(p.topic(), p.partition())));
        out.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
        return out;
    }

    /** The partition the default partitioner sends {@code key} to: murmur2 of the key bytes modulo the partition count. */
    static int partitionFor(byte[] key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }

    Map<TopicPartition, Long> beginning(Collection<TopicPartition> tps) {
        return consumer.beginningOffsets(tps, META_TIMEOUT);
    }

    Map<TopicPartition, Long> end(Collection<TopicPartition> tps) {
        return consumer.endOffsets(tps, META_TIMEOUT);
    }

    /** The first offset whose record timestamp is at or after {@code time}; the end offset when there is none. */
    Map<TopicPartition, Long> offsetsAt(Collection<TopicPartition> tps, Instant time) {
        Map<TopicPartition, Long> query = new HashMap<>();
        tps.forEach(tp -> query.put(tp, time.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, META_TIMEOUT);
        Map<TopicPartition, Long> end = end(tps);
        Map<TopicPartition, Long> out = new HashMap<>();
        for (TopicPartition tp : tps) {
            OffsetAndTimestamp o = found.get(tp);
            out.put(tp, o == null ? end.get(tp) : o.offset());
        }
        return out;
    }

    /**
     * Delivers every record of each partition from {@code start} (inclusive) to {@code endExclusive}, partition by
     * partition in offset order; {@code progress} gets the number of offsets passed after each poll.
     */
    void read(Map<TopicPartition, Long> start, Map<TopicPartition, Long> endExclusive,
              Consumer<ConsumerRecord<byte[], byte[]>> sink, LongConsumer progress) {
        Set<TopicPartition> open = new HashSet<>();
        for (TopicPartition tp : start.keySet()) {
            if (start.get(tp) < endExclusive.get(tp)) {
                open.add(tp);
            }
        }
        if (open.isEmpty()) {
            return;
        }
        consumer.assign(open);
        open.forEach(tp -> consumer.seek(tp, start.get(tp)));
        Map<TopicPartition, Long> passed = new HashMap<>(start);
        long lastProgress = System.nanoTime();
        while (!open.isEmpty()) {
            long before = passed.values().stream().mapToLong(Long::longValue).sum();
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                if (open.contains(tp) && r.offset() < endExclusive.get(tp)) {
                    sink.accept(r);
                }
            }
            for (TopicPartition tp : new ArrayList<>(open)) {
                long position = consumer.position(tp, META_TIMEOUT);
                passed.put(tp, Math.min(position, endExclusive.get(tp)));
                if (position >= endExclusive.get(tp)) {
                    open.remove(tp);
                    consumer.pause(List.of(tp));
                }
            }
            long after = passed.values().stream().mapToLong(Long::longValue).sum();
            if (after > before) {
                progress.accept(after - before);
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > STALL.toNanos()) {
                throw new IllegalStateException("no progress reading " + open + " for " + STALL.toSeconds() + " s");
            }
        }
    }

    /** Keeps delivering new records of {@code tps} from their current positions until {@code stop} or a wakeup. */
    void follow(Map<TopicPartition, Long> from, Consumer<ConsumerRecord<byte[], byte[]>> sink, BooleanSupplier stop) {
        consumer.assign(from.keySet());
        from.forEach(consumer::seek);
        try {
            while (!stop.getAsBoolean()) {
                consumer.poll(Duration.ofMillis(500)).forEach(sink);
            }
        } catch (WakeupException e) {
            // Ctrl-C
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
