package io.domainlink.common.kafka;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.common.base.Ticker;

import io.domainlink.common.config.ServiceConfig;
import io.domainlink.common.ops.OpsServer.Health;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The one failure policy and health of the Kafka Streams services (request-ingestor, propagation-watcher).
 * <ul>
 *   <li><b>Dead stream threads</b> ({@link #handle}): a thread that died of an uncaught error is replaced up to
 *       {@value #REPLACEMENTS_MAX} times within {@value #REPLACEMENTS_WINDOW_MS}, counted per task (the error's
 *       {@link StreamsException#taskId()}) or for the whole instance when the error names no task (an {@link Error}
 *       such as {@link OutOfMemoryError} passes Kafka Streams' handlers and names none). One failure more and the
 *       instance stops ({@code SHUTDOWN_CLIENT}), logs why at ERROR once, and turns not-live.</li>
 *   <li><b>Records that keep failing</b>: {@link #configure} installs {@link DeadLetterProcessingHandler} with a
 *       {@link ProcessingFailures} shared by every thread, so a record is dead-lettered after
 *       {@value #PROCESSING_ATTEMPTS_MAX} attempts instead of killing its thread forever.</li>
 *   <li><b>Liveness</b> ({@link #live}): down once the policy gave up, or in {@code ERROR} / {@code PENDING_ERROR},
 *       or in {@code PENDING_SHUTDOWN} / {@code NOT_RUNNING} that {@link #closing()} did not announce.</li>
 *   <li><b>Readiness</b> ({@link #ready}): live, {@code RUNNING}, and no input partition stalled
 *       ({@link StalledPartitions}) for {@value #STUCK_AFTER_MS} or longer.</li>
 * </ul>
 */
public final class StreamsSupervisor implements StreamsUncaughtExceptionHandler {

    public static final String REPLACEMENTS_MAX = "stream.thread.replacements.max";
    public static final String REPLACEMENTS_WINDOW_MS = "stream.thread.replacements.window.ms";
    public static final String PROCESSING_ATTEMPTS_MAX = "processing.attempts.max";
    public static final String STUCK_AFTER_MS = "stuck.after.ms";

    static final String WHOLE_INSTANCE = "instance";
    private static final Duration MEASURE_EVERY = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(StreamsSupervisor.class);

    private final String stage;
    private final int maxReplacements;
    private final Duration window;
    private final int attempts;
    private final Duration stuckAfter;
    private final Ticker ticker;
    private final ProcessingFailures failures;
    private final StalledPartitions stalls = new StalledPartitions();
    private final Map<String, Deque<Long>> deaths = new HashMap<>(); // guarded by this
    private final LongAdder threadFailures = new LongAdder();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final Map<TopicPartition, Gauge> stallGauges = new HashMap<>(); // guarded by this
    private volatile Measured measured;
    private volatile String gaveUp;
    private volatile boolean closing;
    private volatile KafkaStreams streams;
    private volatile MeterRegistry registry;

    private record Measured(long atNanos, Map<TopicPartition, Duration> stalled) {
    }

    StreamsSupervisor(String stage, int maxReplacements, Duration window, int attempts, Duration stuckAfter, Ticker ticker) {
        this.stage = stage;
        this.maxReplacements = maxReplacements;
        this.window = window;
        this.attempts = attempts;
        this.stuckAfter = stuckAfter;
        this.ticker = ticker;
        this.failures = new ProcessingFailures(window, ticker);
    }

    /** Adds this policy's settings to a service's configuration definition (the same keys in every Streams service). */
    public static ConfigDef define(ConfigDef definition) {
        return definition
                .define(REPLACEMENTS_MAX, Type.INT, 5, Range.between(0, 1_000), Importance.MEDIUM,
                        "Stream threads replaced after an uncaught error, per task (or for the whole instance when the error "
                                + "names no task), within stream.thread.replacements.window.ms; one failure more stops the "
                                + "instance: not live, exit status 1. At least processing.attempts.max - 1.")
                .define(REPLACEMENTS_WINDOW_MS, Type.LONG, 600_000L, Range.between(1_000L, 86_400_000L), Importance.LOW,
                        "Window of stream.thread.replacements.max, ms; also how long a record's failed attempts are remembered.")
                .define(PROCESSING_ATTEMPTS_MAX, Type.INT, 3, Range.between(1, 100), Importance.MEDIUM,
                        "Times a record whose processing throws is tried (its stream thread replaced after each failure) "
                                + "before it is dead-lettered and processing goes on; a poison record is dead-lettered at "
                                + "once, an unreachable registry never dead-letters a record.")
                .define(STUCK_AFTER_MS, Type.LONG, 600_000L, Range.atLeast(1L), Importance.MEDIUM,
                        "Not ready while an input partition has had records to process for this long without its "
                                + "position moving, or its stream thread has not polled for this long, ms.");
    }

    /** Checks what spans this policy's keys: fails, naming the variables, when they do not fit together. */
    public static void check(ServiceConfig config) {
        if (config.getInt(PROCESSING_ATTEMPTS_MAX) - 1 > config.getInt(REPLACEMENTS_MAX)) {
            throw new ConfigException("Invalid configuration, 1 problem(s):\n  - " + ServiceConfig.envName(REPLACEMENTS_MAX)
                    + " must be at least " + ServiceConfig.envName(PROCESSING_ATTEMPTS_MAX)
                    + " - 1, or the instance stops before a record that keeps failing is dead-lettered");
        }
    }

    /** The policy the configuration describes; fails when its keys do not fit together ({@link #check}). */
    public static StreamsSupervisor of(ServiceConfig config, String stage) {
        check(config);
        return new StreamsSupervisor(stage, config.getInt(REPLACEMENTS_MAX), config.getDurationMs(REPLACEMENTS_WINDOW_MS),
                config.getInt(PROCESSING_ATTEMPTS_MAX), config.getDurationMs(STUCK_AFTER_MS), Ticker.systemTicker());
    }

    /** Installs the processing handler and its shared failure counts in the Streams properties. */
    public void configure(Properties streamsProperties) {
        streamsProperties.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class);
        streamsProperties.put(DeadLetterProcessingHandler.FAILURES_CONFIG, failures);
        streamsProperties.put(DeadLetterProcessingHandler.ATTEMPTS_CONFIG, attempts);
    }

    /** Takes over the instance's uncaught-exception handler and state listener; call before {@code start()}. */
    public void supervise(KafkaStreams kafkaStreams) {
        this.streams = kafkaStreams;
        kafkaStreams.setUncaughtExceptionHandler(this);
        kafkaStreams.setStateListener((now, before) -> {
            log.info("{} state {} -> {}", stage, before, now);
            if (now == KafkaStreams.State.RUNNING) {
                refreshStallGauges();
            }
            if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                ended.countDown();
            }
        });
    }

    /** The policy: replace the thread, or stop the instance once one task (or the instance) failed too often. */
    @Override
    public StreamThreadExceptionResponse handle(Throwable error) {
        threadFailures.increment();
        String key = taskOf(error).map(TaskId::toString).orElse(WHOLE_INSTANCE);
        synchronized (this) {
            if (gaveUp != null) {
                log.warn("{} stream thread failed while the instance stops error={}", stage, error.toString());
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
            long now = ticker.read();
            Deque<Long> times = deaths.computeIfAbsent(key, k -> new ArrayDeque<>());
            times.addLast(now);
            while (now - times.peekFirst() > window.toNanos()) {
                times.pollFirst();
            }
            if (times.size() > maxReplacements) {
                gaveUp = (WHOLE_INSTANCE.equals(key) ? "the instance's" : "task " + key + "'s") + " stream thread failed "
                        + times.size() + " times within " + window.toMillis() + " ms (" + REPLACEMENTS_MAX + "="
                        + maxReplacements + "), last error: " + error;
                log.error("{} stops, not live: {}", stage, gaveUp, error);
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
            log.warn("{} stream thread failed, replacing it (failure {} of {} allowed within {} ms for {}) error={}", stage,
                    times.size(), maxReplacements, window.toMillis(), key, error.toString(), error);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
    }

    static Optional<TaskId> taskOf(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof StreamsException se && se.taskId().isPresent()) {
                return se.taskId();
            }
        }
        return Optional.empty();
    }

    /** The service is closing the instance: its shutdown is not a failure. */
    public void closing() {
        closing = true;
    }

    /** Why the policy stopped the instance, or null while it has not. */
    public String gaveUp() {
        return gaveUp;
    }

    /** Whether the instance ended on its own: the policy gave up, or it reached {@code ERROR} or an unannounced stop. */
    public boolean failed() {
        return !live().up();
    }

    /** Waits until the instance reached {@code ERROR} or {@code NOT_RUNNING}. */
    public void awaitTermination() throws InterruptedException {
        ended.await();
    }

    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    public Health live() {
        if (gaveUp != null) {
            return Health.down(gaveUp);
        }
        KafkaStreams.State state = streams == null ? KafkaStreams.State.CREATED : streams.state();
        return switch (state) {
            case ERROR, PENDING_ERROR -> Health.down("Kafka Streams is " + state);
            case PENDING_SHUTDOWN, NOT_RUNNING -> Health.of(closing, "Kafka Streams is " + state + " without a shutdown");
            default -> Health.UP;
        };
    }

    public Health ready() {
        Health live = live();
        if (!live.up()) {
            return live;
        }
        KafkaStreams.State state = streams == null ? KafkaStreams.State.CREATED : streams.state();
        if (state != KafkaStreams.State.RUNNING) {
            return Health.down("Kafka Streams is " + state);
        }
        return stalled().entrySet().stream().filter(e -> e.getValue().compareTo(stuckAfter) >= 0)
                .max(Map.Entry.comparingByValue())
                .map(e -> Health.down(e.getKey() + " has made no progress with records to process for "
                        + e.getValue().toSeconds() + " s (" + STUCK_AFTER_MS + "=" + stuckAfter.toMillis() + ")"))
                .orElse(Health.UP);
    }

    /**
     * Per input partition of this instance's active tasks, how long it has been stalled (zero when it is not); measured
     * at most once a second, so that a scrape of every partition's gauge reads the metrics once.
     */
    public Map<TopicPartition, Duration> stalled() {
        KafkaStreams s = streams;
        if (s == null) {
            return Map.of();
        }
        long now = ticker.read();
        Measured m = measured;
        if (m == null || now - m.atNanos() >= MEASURE_EVERY.toNanos()) {
            m = new Measured(now, stalls.measure(s.metadataForLocalThreads(), s.metrics(), now));
            measured = m;
        }
        return m.stalled();
    }

    /**
     * Publishes {@code domainlink.stream.thread.failures} (stream threads that died of an uncaught error) and
     * {@code domainlink.stream.stalled.seconds{topic,partition}} per input partition the instance holds (see
     * {@link #stalled}; the partitions are looked up again after each rebalance).
     */
    public void bindTo(MeterRegistry meterRegistry) {
        this.registry = meterRegistry;
        FunctionCounter.builder("domainlink.stream.thread.failures", threadFailures, LongAdder::sum)
                .description("stream threads that died of an uncaught error").register(meterRegistry);
        refreshStallGauges();
    }

    private synchronized void refreshStallGauges() {
        MeterRegistry r = registry;
        KafkaStreams s = streams;
        if (r == null || s == null) {
            return;
        }
        Set<TopicPartition> held = new HashSet<>();
        for (ThreadMetadata thread : s.metadataForLocalThreads()) {
            thread.activeTasks().forEach(task -> held.addAll(task.topicPartitions()));
        }
        stallGauges.entrySet().removeIf(e -> {
            boolean gone = !held.contains(e.getKey());
            if (gone) {
                r.remove(e.getValue());
            }
            return gone;
        });
        for (TopicPartition tp : held) {
            stallGauges.computeIfAbsent(tp, p -> Gauge.builder("domainlink.stream.stalled.seconds", this,
                            sup -> sup.stalled().getOrDefault(p, Duration.ZERO).toMillis() / 1000.0)
                    .tags("topic", p.topic(), "partition", Integer.toString(p.partition()))
                    .description("time an input partition has had records to process without progress").register(r));
        }
    }
}
