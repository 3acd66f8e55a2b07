package io.domainlink.watcher;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.domainlink.common.Topics;
import io.domainlink.events.FailureReason;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The watcher's counters in one small class ({@link #bindTo} publishes them to Micrometer): pending watches (gauge), checks by
 * result, due-check delay (how long after its due time a check started), rechecks ignored, stale/duplicate events,
 * supersessions, throttled scans. Thread-safe; one per instance. The pending gauge is exact while the instance runs;
 * after a restart or rebalance it starts from RocksDB's estimate of each assigned task's due-index size.
 */
public final class WatcherMetrics {

    /** Upper bounds (ms) of the due-delay histogram buckets; the last bucket is unbounded. */
    static final long[] DELAY_BOUNDS_MS = {1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000,
        60_000, 300_000, 900_000, 3_600_000};

    private final AtomicLong pendingWatches = new AtomicLong();
    private final LongAdder checks = new LongAdder();
    private final LongAdder checkErrors = new LongAdder();
    private final LongAdder rechecks = new LongAdder();
    private final LongAdder rechecksIgnored = new LongAdder();
    private final LongAdder staleDropped = new LongAdder();
    private final LongAdder duplicatesDropped = new LongAdder();
    private final LongAdder invalidDropped = new LongAdder();
    private final LongAdder superseded = new LongAdder();
    private final LongAdder connected = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder throttled = new LongAdder();
    private final LongAdder checkTimeouts = new LongAdder();
    private final AtomicLongArray delayBuckets = new AtomicLongArray(DELAY_BOUNDS_MS.length + 1);
    private final AtomicLong maxDelayMs = new AtomicLong();
    private final LongAdder configuredIn = new LongAdder();
    private final LongAdder rechecksIn = new LongAdder();
    private final LongAdder progressOut = new LongAdder();
    private final LongAdder outcomesOut = new LongAdder();
    private final LongAdder deadLetters = new LongAdder();
    private final Map<FailureReason, LongAdder> failures = new EnumMap<>(FailureReason.class);
    private volatile Timer dueDelay;

    public WatcherMetrics() {
        for (FailureReason r : FailureReason.values()) {
            failures.put(r, new LongAdder());
        }
    }

    /**
     * Publishes the counters to Micrometer with the pipeline-wide names ({@code domainlink.events.in/out{topic}},
     * {@code domainlink.failures{reason}}, {@code domainlink.dead.letters}) and the watcher's own:
     * {@code domainlink.watcher.watches.pending} (gauge), {@code domainlink.watcher.due.delay} (timer with a percentile
     * histogram: how long after its due time each check started), {@code domainlink.watcher.checks{result}},
     * {@code domainlink.watcher.scan.throttled}, {@code domainlink.watcher.rechecks{applied}}.
     */
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("domainlink.events.in", configuredIn, LongAdder::sum).tag("topic", Topics.CONFIGURED.name())
                .description("records read, by topic").register(registry);
        FunctionCounter.builder("domainlink.events.in", rechecksIn, LongAdder::sum).tag("topic", Topics.RECHECKS.name())
                .description("records read, by topic").register(registry);
        FunctionCounter.builder("domainlink.events.out", progressOut, LongAdder::sum).tag("topic", Topics.PROGRESS.name())
                .description("events published, by topic").register(registry);
        FunctionCounter.builder("domainlink.events.out", outcomesOut, LongAdder::sum).tag("topic", Topics.OUTCOMES.name())
                .description("events published, by topic").register(registry);
        failures.forEach((reason, n) -> FunctionCounter.builder("domainlink.failures", n, LongAdder::sum).tag("reason", reason.name())
                .description("DomainFailed events published, by reason").register(registry));
        FunctionCounter.builder("domainlink.dead.letters", deadLetters, LongAdder::sum)
                .description("records sent to the dead-letter topic").register(registry);
        Gauge.builder("domainlink.watcher.watches.pending", pendingWatches, AtomicLong::get)
                .description("pending watches of the tasks this instance owns").register(registry);
        FunctionCounter.builder("domainlink.watcher.checks", checks, LongAdder::sum).tag("result", "started")
                .description("Wix checks started / answered with an error / timed out").register(registry);
        FunctionCounter.builder("domainlink.watcher.checks", checkErrors, LongAdder::sum).tag("result", "error")
                .description("Wix checks started / answered with an error / timed out").register(registry);
        FunctionCounter.builder("domainlink.watcher.checks", checkTimeouts, LongAdder::sum).tag("result", "timeout")
                .description("Wix checks started / answered with an error / timed out").register(registry);
        FunctionCounter.builder("domainlink.watcher.scan.throttled", throttled, LongAdder::sum)
                .description("scans that left due checks for later because the rate limiter granted no permit").register(registry);
        FunctionCounter.builder("domainlink.watcher.rechecks", rechecks, LongAdder::sum).tag("applied", "true")
                .description("RecheckRequested events applied / ignored").register(registry);
        FunctionCounter.builder("domainlink.watcher.rechecks", rechecksIgnored, LongAdder::sum).tag("applied", "false")
                .description("RecheckRequested events applied / ignored").register(registry);
        dueDelay = Timer.builder("domainlink.watcher.due.delay")
                .description("how long after its due time each check started").publishPercentileHistogram()
                .register(registry);
    }

    void eventIn(String topic) {
        (Topics.RECHECKS.name().equals(topic) ? rechecksIn : configuredIn).increment();
    }

    void eventOut(String topic) {
        (Topics.PROGRESS.name().equals(topic) ? progressOut : outcomesOut).increment();
    }

    void deadLettered() {
        deadLetters.increment();
    }

    public long failures(FailureReason reason) {
        return failures.get(reason).sum();
    }

    public long pendingWatches() {
        return pendingWatches.get();
    }

    void addPending(long delta) {
        pendingWatches.addAndGet(delta);
    }

    void checkError() {
        checkErrors.increment();
    }

    /** A check started {@code delayMs} after its due time. */
    void check(long delayMs) {
        checks.increment();
        long d = Math.max(0, delayMs);
        int i = 0;
        while (i < DELAY_BOUNDS_MS.length && d > DELAY_BOUNDS_MS[i]) {
            i++;
        }
        delayBuckets.incrementAndGet(i);
        maxDelayMs.accumulateAndGet(d, Math::max);
        Timer t = dueDelay;
        if (t != null) {
            t.record(d, TimeUnit.MILLISECONDS);
        }
    }

    void recheck(boolean applied) {
        (applied ? rechecks : rechecksIgnored).increment();
    }

    void stale() {
        staleDropped.increment();
    }

    void duplicate() {
        duplicatesDropped.increment();
    }

    void invalid() {
        invalidDropped.increment();
    }

    void superseded() {
        superseded.increment();
    }

    void connected() {
        connected.increment();
    }

    void failed(FailureReason reason) {
        failed.increment();
        failures.get(reason).increment();
    }

    void throttled() {
        throttled.increment();
    }

    void checkTimeout() {
        checkTimeouts.increment();
    }

    public long checks() {
        return checks.sum();
    }

    public long rechecksIgnored() {
        return rechecksIgnored.sum();
    }

    public long staleDropped() {
        return staleDropped.sum();
    }

    public long throttledScans() {
        return throttled.sum();
    }

    /** The due-delay quantile {@code q} in (0, 1], as the upper bound of its histogram bucket (ms). */
    public long dueDelayQuantileMs(double q) {
        long total = 0;
        for (int i = 0; i < delayBuckets.length(); i++) {
            total += delayBuckets.get(i);
        }
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < delayBuckets.length(); i++) {
            seen += delayBuckets.get(i);
            if (seen >= rank) {
                return i < DELAY_BOUNDS_MS.length ? DELAY_BOUNDS_MS[i] : maxDelayMs.get();
            }
        }
        return maxDelayMs.get();
    }

    public long maxDueDelayMs() {
        return maxDelayMs.get();
    }

    /** Every counter by name, for logs and tests. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new TreeMap<>();
        m.put("watches.pending", pendingWatches.get());
        m.put("checks", checks.sum());
        m.put("checks.errors", checkErrors.sum());
        m.put("checks.timeouts", checkTimeouts.sum());
        m.put("rechecks", rechecks.sum());
        m.put("rechecks.ignored", rechecksIgnored.sum());
        m.put("events.stale", staleDropped.sum());
        m.put("events.duplicate", duplicatesDropped.sum());
        m.put("events.invalid", invalidDropped.sum());
        m.put("watches.superseded", superseded.sum());
        m.put("watches.connected", connected.sum());
        m.put("watches.failed", failed.sum());
        m.put("scan.throttled", throttled.sum());
        m.put("due.delay.p50.ms", dueDelayQuantileMs(0.5));
        m.put("due.delay.p99.ms", dueDelayQuantileMs(0.99));
        m.put("due.delay.max.ms", maxDelayMs.get());
        return m;
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
