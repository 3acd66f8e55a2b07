package io.domainlink.watcher;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The watcher's counters in one small class (Micrometer is wired to it later): pending watches (gauge), checks by
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

    void failed() {
        failed.increment();
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
