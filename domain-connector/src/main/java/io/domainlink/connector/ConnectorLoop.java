package io.domainlink.connector;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * The connector's poll / dispatch / commit loop, on one thread that does Kafka I/O only:
 * <ul>
 *   <li><b>dispatch</b>: each polled record goes to the {@link KeyedExecutor} under its key (the domain), so one
 *       domain's records run one at a time in offset order while other domains run in parallel;</li>
 *   <li><b>commit</b>: every {@code commit.interval.ms}, one transaction sends the results of each partition's
 *       completed prefix and commits, with {@code sendOffsetsToTransaction(..., consumer.groupMetadata())}, the
 *       lowest offset not yet completed; results behind an unfinished record wait for it;</li>
 *   <li><b>back-pressure</b>: all partitions are paused while {@code max.in.flight} records are unfinished (or
 *       16 × that many are uncommitted) and resumed below it; the loop keeps polling, so a record stuck in Wix
 *       retries never exceeds {@code max.poll.interval.ms};</li>
 *   <li><b>rebalance</b>: on revoke, what is complete is committed, then the revoked partitions' work is cancelled
 *       and its results are discarded (re-delivery is repeat-safe); on loss, the same without the commit;</li>
 *   <li><b>errors</b>: a fenced producer (or another fatal producer error) stops the instance without committing;
 *       any other {@code KafkaException} in a transaction aborts it, seeks the partitions it covered back to their
 *       committed offsets and drops their pending work;</li>
 *   <li><b>worker errors</b>: an {@link Error} on a worker (out of memory, stack overflow, a class that does not load)
 *       stops the loop like a fenced producer — nothing more is committed and the instance is not live — because the
 *       JVM or the build, not the record, is broken; a {@link RuntimeException} that escapes the handler (a bug) ends
 *       that record with a dead letter and what the {@link DeadLetterCompanion} adds, so its partition goes on;</li>
 *   <li><b>readiness</b>: ready while running with at least one partition and no partition's oldest uncommitted
 *       record dispatched {@code stuck.after.ms} ago or earlier.</li>
 * </ul>
 */
final class ConnectorLoop implements Runnable {

    /** Test hook run inside each transaction after the sends, before the offsets and the commit. */
    @FunctionalInterface
    interface BeforeCommit {
        BeforeCommit NONE = () -> { };

        void run();
    }

    /**
     * One record, start to finish, on a worker thread ({@link RecordHandler#handle} behind {@link DeadLetteringWork}).
     * A {@link CancellationException} drops the record's work (its partition was revoked or rewound).
     */
    @FunctionalInterface
    interface Work {
        Processed handle(ConsumerRecord<byte[], byte[]> record);
    }

    /** What the loop reads, how much it holds, and its timings. */
    record Settings(String topic, int maxInFlight, Duration pollInterval, Duration commitInterval, Duration shutdownTimeout,
                    Duration stuckAfter) {
    }

    private static final Logger log = LoggerFactory.getLogger(ConnectorLoop.class);
    static final int HELD_FACTOR = 16;

    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> producer;
    private final Work work;
    private final KeyedExecutor executor;
    private final ConnectorMetrics metrics;
    private final Settings settings;
    private final String topic;
    private final LoopTransactions transactions;

    private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();
    private final ConcurrentLinkedQueue<Completion> completions = new ConcurrentLinkedQueue<>();
    private final CountDownLatch running = new CountDownLatch(1);
    private final CountDownLatch terminated = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile boolean halted;
    private volatile Throwable failure;
    private final AtomicReference<Throwable> workerError = new AtomicReference<>();
    private volatile int assigned;
    private long lastCommitNanos = System.nanoTime();

    /** Starts {@code settings.maxInFlight()} worker threads (idle ones time out); {@link #run} is the loop itself. */
    ConnectorLoop(Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer, Work work, ConnectorMetrics metrics,
                  BeforeCommit beforeCommit, Settings settings) {
        this.consumer = consumer;
        this.producer = producer;
        this.work = work;
        this.metrics = metrics;
        this.settings = settings;
        this.topic = settings.topic();
        this.executor = new KeyedExecutor("domain-connector-worker", settings.maxInFlight(), this::workerFailed);
        this.transactions = new LoopTransactions(producer, consumer, beforeCommit, metrics, () -> halted);
    }

    private static final class PartitionState {
        final PartitionProgress<Processed> progress = new PartitionProgress<>();
        final Map<Long, KeyedExecutor.Task> tasks = new HashMap<>();
        int epoch;
    }

    private record Completion(TopicPartition tp, int epoch, long offset, Processed result) {
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public void run() {
        try {
            producer.initTransactions(); // fences an earlier incarnation and aborts its open transaction
            consumer.subscribe(List.of(topic), new Rebalance());
            log.info("Connector loop running topic={} maxInFlight={}", topic, settings.maxInFlight());
            running.countDown();
            while (!stopping && !halted) {
                ConsumerRecords<byte[], byte[]> records = poll();
                if (halted) {
                    break;
                }
                throwIfAWorkerFailed();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    dispatch(r);
                }
                drainCompletions();
                if (System.nanoTime() - lastCommitNanos >= settings.commitInterval().toNanos()) {
                    commit();
                }
                applyBackPressure();
                publishAges();
            }
            if (!halted) {
                finishCleanly();
            }
        } catch (Throwable t) {
            if (!halted) {
                failure = t instanceof LoopTransactions.FatalError f ? f.getCause() : t;
                log.error("Connector loop stopped by a fatal error, nothing more is committed error={}", failure.toString(), failure);
            }
        } finally {
            running.countDown();
            if (halted || failure != null) {
                abandon();
            }
            terminated.countDown();
        }
    }

    private ConsumerRecords<byte[], byte[]> poll() {
        try {
            return consumer.poll(settings.pollInterval());
        } catch (WakeupException e) {
            return ConsumerRecords.empty();
        }
    }

    /** Clean stop: no new work; let in-flight records finish for up to {@code shutdownTimeout}, commit, close. */
    private void finishCleanly() {
        long deadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
        while (inFlight() > 0 && System.nanoTime() < deadline && !halted) {
            sleep(Duration.ofMillis(20));
            throwIfAWorkerFailed();
            drainCompletions();
        }
        throwIfAWorkerFailed();
        drainCompletions();
        if (halted) {
            return;
        }
        commit();
        for (PartitionState s : partitions.values()) {
            s.tasks.values().forEach(KeyedExecutor.Task::cancel);
        }
        executor.close();
        consumer.close();
        producer.close();
        log.info("Connector loop stopped cleanly metrics={}", metrics);
    }

    /**
     * Like a kill as far as Kafka's guarantees go: no commit, no abort (the next incarnation's initTransactions aborts
     * what is open). The consumer still leaves the group so that tests need not wait for the session timeout.
     */
    private void abandon() {
        executor.close();
        try {
            producer.close(Duration.ZERO);
        } catch (RuntimeException e) {
            log.debug("producer close error={}", e.toString());
        }
        try {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        } catch (RuntimeException e) {
            log.debug("consumer close error={}", e.toString());
        }
    }

    void stop() {
        stopping = true;
        consumer.wakeup();
    }

    /** Test hook: stop as if killed. Callable from any thread, including a worker; does not wait. */
    void halt() {
        halted = true;
        consumer.wakeup();
    }

    boolean awaitRunning(Duration timeout) throws InterruptedException {
        return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && terminated.getCount() > 0;
    }

    boolean awaitTermination(Duration timeout) throws InterruptedException {
        return terminated.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    Throwable failure() {
        return failure;
    }

    /** Live until the loop ended: why it is not, e.g. a fatal error (a fenced producer, an {@link Error} on a worker). */
    Optional<String> notLive() {
        Throwable f = failure;
        if (f != null) {
            return Optional.of("the connector loop stopped on a fatal error: " + f);
        }
        return terminated.getCount() == 0 ? Optional.of("the connector loop has ended") : Optional.empty();
    }

    /**
     * Ready to work: the loop runs (transactions initialized, subscribed), holds at least one partition, and none of
     * them has had a record uncommitted for {@code stuck.after.ms} or longer (the reason when not).
     */
    Optional<String> notReady() {
        if (running.getCount() > 0 || terminated.getCount() == 0) {
            return Optional.of(terminated.getCount() == 0 ? "the connector loop has stopped" : "the connector loop is starting");
        }
        if (assigned == 0) {
            return Optional.of("no partition of " + topic + " is assigned to this instance");
        }
        return metrics.oldestUncommitted().filter(e -> e.getValue().compareTo(settings.stuckAfter()) >= 0)
                .map(e -> topic + "-" + e.getKey() + ": a record has been uncommitted for " + e.getValue().toSeconds()
                        + " s (stuck.after.ms=" + settings.stuckAfter().toMillis() + ")");
    }

    /** A worker let a throwable escape: an {@link Error} (a RuntimeException is already a dead letter). Fatal. */
    private void workerFailed(Object key, Throwable error) {
        if (workerError.compareAndSet(null, error)) {
            log.error("A worker failed, the connector loop stops without committing key={} error={}", key, error.toString());
            consumer.wakeup();
        }
    }

    private void throwIfAWorkerFailed() {
        Throwable e = workerError.get();
        if (e != null) {
            throw new LoopTransactions.FatalError(e);
        }
    }

    // ------------------------------------------------------------------ dispatch and completion

    private void dispatch(ConsumerRecord<byte[], byte[]> record) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        PartitionState state = partitions.get(tp);
        if (state == null) {
            return; // not ours any more
        }
        metrics.recordIn();
        long offset = record.offset();
        int epoch = state.epoch;
        state.progress.dispatched(offset, System.nanoTime());
        Object key = record.key() == null ? tp : new String(record.key(), StandardCharsets.UTF_8);
        KeyedExecutor.Task task = executor.submit(key, () -> {
            Processed result;
            try {
                result = work.handle(record);
            } catch (CancellationException e) {
                log.debug("Work dropped at={}-{}@{}", tp.topic(), tp.partition(), offset);
                return;
            }
            if (!Thread.currentThread().isInterrupted()) {
                completions.add(new Completion(tp, epoch, offset, result));
            }
        });
        state.tasks.put(offset, task);
    }

    /** Each held partition's oldest uncommitted record, for readiness and the gauge (other threads read it). */
    private void publishAges() {
        partitions.forEach((tp, s) -> metrics.oldestUncommitted(tp.partition(), s.progress.oldestDispatchedNanos()));
    }

    private void drainCompletions() {
        for (Completion c; (c = completions.poll()) != null; ) {
            if (halted) {
                return;
            }
            PartitionState state = partitions.get(c.tp());
            if (state == null || state.epoch != c.epoch()) {
                continue; // revoked or rewound since: the re-delivery does it again
            }
            state.progress.completed(c.offset(), c.result());
            state.tasks.remove(c.offset());
        }
    }

    private int inFlight() {
        return partitions.values().stream().mapToInt(s -> s.progress.inFlight()).sum();
    }

    private void applyBackPressure() {
        int inFlight = inFlight();
        int uncommitted = partitions.values().stream().mapToInt(s -> s.progress.uncommitted()).sum();
        boolean full = inFlight >= settings.maxInFlight() || uncommitted >= settings.maxInFlight() * HELD_FACTOR;
        if (full) {
            if (consumer.paused().size() < consumer.assignment().size()) {
                consumer.pause(consumer.assignment());
                log.debug("Paused all partitions inFlight={} uncommitted={}", inFlight, uncommitted);
            }
        } else if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
    }

    // ------------------------------------------------------------------ commit

    /** One transaction: the results of every partition's completed prefix and the offsets after it. */
    private void commit() {
        lastCommitNanos = System.nanoTime();
        if (halted) {
            return;
        }
        Map<TopicPartition, PartitionProgress.Release<Processed>> releases = new HashMap<>();
        partitions.forEach((tp, s) -> {
            PartitionProgress.Release<Processed> r = s.progress.releasable();
            if (r != null) {
                releases.put(tp, r);
            }
        });
        if (releases.isEmpty()) {
            return;
        }
        if (!transactions.publish(releases)) {
            rewind(releases.keySet());
            return;
        }
        releases.forEach((tp, r) -> partitions.get(tp).progress.released(r));
    }

    /** After an aborted transaction: drop the partitions' pending work and read them again from their base. */
    private void rewind(Collection<TopicPartition> affected) {
        for (TopicPartition tp : affected) {
            PartitionState s = partitions.get(tp);
            if (s == null) {
                continue;
            }
            drop(tp, s);
            if (s.progress.base() >= 0) {
                consumer.seek(tp, s.progress.base());
                log.warn("Rewound partition={} to offset={}", tp, s.progress.base());
            }
        }
    }

    /** Cancels a partition's work and forgets its results; the epoch makes late completions void. */
    private void drop(TopicPartition tp, PartitionState s) {
        s.epoch++;
        s.tasks.values().forEach(KeyedExecutor.Task::cancel);
        s.tasks.clear();
        s.progress.clear();
        metrics.oldestUncommitted(tp.partition(), s.progress.oldestDispatchedNanos());
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            if (revoked.isEmpty() || halted || failure != null || workerError.get() != null) {
                return;
            }
            drainCompletions();
            commit(); // still a member of this generation: what is complete is published with its offsets
            for (TopicPartition tp : revoked) {
                PartitionState s = partitions.remove(tp);
                if (s != null) {
                    drop(tp, s);
                }
            }
            assigned = partitions.size();
            log.info("Partitions revoked partitions={}", revoked);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            for (TopicPartition tp : lost) {
                PartitionState s = partitions.remove(tp);
                if (s != null) {
                    drop(tp, s);
                }
            }
            assigned = partitions.size();
            log.warn("Partitions lost, their work is dropped partitions={}", lost);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            for (TopicPartition tp : assigned) {
                partitions.put(tp, new PartitionState());
            }
            ConnectorLoop.this.assigned = partitions.size();
            if (!assigned.isEmpty()) {
                log.info("Partitions assigned partitions={}", assigned);
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
