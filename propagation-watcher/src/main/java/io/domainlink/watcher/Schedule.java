package io.domainlink.watcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The published check schedule of a watch, with no Kafka types.
 *
 * <p>First check {@code firstDelay} after configuration; then the interval starts at {@code initialInterval} and is
 * multiplied by {@code multiplier} after every check, up to {@code maxInterval}. Every delay is jittered by a uniform
 * factor in {@code [1 - jitter, 1 + jitter]}. The watch gives up {@code deadline} after configuration. While Wix
 * answers FAILED the watch checks every {@code failedInterval} for at most {@code failedGrace}. A check that failed
 * with a retryable Wix error is repeated after {@code retryDelay} (jittered) or the Retry-After, whichever is longer.
 */
public record Schedule(Duration firstDelay, Duration initialInterval, double multiplier, Duration maxInterval,
                       double jitter, Duration deadline, Duration failedGrace, Duration failedInterval,
                       Duration retryDelay) {

    public Schedule {
        Objects.requireNonNull(firstDelay, "firstDelay");
        Objects.requireNonNull(initialInterval, "initialInterval");
        Objects.requireNonNull(maxInterval, "maxInterval");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(failedGrace, "failedGrace");
        Objects.requireNonNull(failedInterval, "failedInterval");
        Objects.requireNonNull(retryDelay, "retryDelay");
        if (firstDelay.isNegative() || !positive(initialInterval) || !positive(maxInterval)
                || !positive(deadline) || failedGrace.isNegative() || !positive(failedInterval)
                || !positive(retryDelay)) {
            throw new IllegalArgumentException("schedule durations must be positive (first delay and grace >= 0)");
        }
        if (maxInterval.compareTo(initialInterval) < 0) {
            throw new IllegalArgumentException("maxInterval must be >= initialInterval");
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be >= 1");
        }
        if (!(jitter >= 0.0 && jitter < 1.0)) {
            throw new IllegalArgumentException("jitter must be in [0, 1)");
        }
    }

    private static boolean positive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }

    /** The defaults of {@link WatcherConfig}: 5 s, 15 s ×2 up to 15 min, ±10 %, 72 h, FAILED grace 6 h every 15 min. */
    public static Schedule defaults() {
        return new Schedule(Duration.ofSeconds(5), Duration.ofSeconds(15), 2.0, Duration.ofMinutes(15), 0.1,
                Duration.ofHours(72), Duration.ofHours(6), Duration.ofMinutes(15), Duration.ofSeconds(10));
    }

    /** The nominal (un-jittered) interval used after a check at {@code step} (0 = the fastest). */
    public long intervalMs(int step) {
        double ms = initialInterval.toMillis() * Math.pow(multiplier, Math.max(0, step));
        return ms >= maxInterval.toMillis() ? maxInterval.toMillis() : (long) ms;
    }

    /** {@code ms} times a uniform factor in [1 - jitter, 1 + jitter]. */
    public long jittered(long ms, RandomGenerator random) {
        if (jitter == 0.0 || ms == 0) {
            return ms;
        }
        double factor = 1.0 + jitter * (2.0 * random.nextDouble() - 1.0);
        return Math.max(0, Math.round(ms * factor));
    }

    /** The smallest delay {@link #jittered} can return for {@code ms}. */
    public long earliest(long ms) {
        return (long) Math.floor(ms * (1.0 - jitter));
    }

    public long firstCheckAt(long configuredAt, RandomGenerator random) {
        return configuredAt + jittered(firstDelay.toMillis(), random);
    }

    public long deadlineAt(long configuredAt) {
        return configuredAt + deadline.toMillis();
    }

    /** After a check at {@code now} that saw a non-terminal status, with the watch at {@code step}. */
    public long nextCheckAt(long now, int step, RandomGenerator random) {
        return now + jittered(intervalMs(step), random);
    }

    public long nextFailedCheckAt(long now, RandomGenerator random) {
        return now + jittered(failedInterval.toMillis(), random);
    }

    public long retryAt(long now, Duration retryAfter, RandomGenerator random) {
        long delay = jittered(retryDelay.toMillis(), random);
        if (retryAfter != null && retryAfter.toMillis() > delay) {
            delay = retryAfter.toMillis();
        }
        return now + delay;
    }

    /** One row of the published schedule: check number, nominal time after configuration, interval before it. */
    public record Row(int check, Duration at, Duration sincePrevious) {
    }

    /**
     * The nominal (un-jittered) check times of a watch that never sees a terminal status, until the deadline:
     * the README's schedule table comes from here.
     */
    public List<Row> nominalChecks() {
        List<Row> rows = new ArrayList<>();
        long at = firstDelay.toMillis();
        long previous = at;
        int step = 0;
        while (at < deadline.toMillis()) {
            rows.add(new Row(rows.size() + 1, Duration.ofMillis(at), Duration.ofMillis(previous)));
            previous = intervalMs(step++);
            at += previous;
        }
        return rows;
    }

    /**
     * The README's table of nominal check times: every check until the interval reaches its cap, the first two at
     * the cap, then one summary row and the last check before the deadline.
     */
    public String markdownTable() {
        List<Row> rows = nominalChecks();
        StringBuilder sb = new StringBuilder("| check | nominal time after configuration | interval before it |\n|---|---|---|\n");
        int capped = 0;
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            boolean atCap = i > 0 && r.sincePrevious().toMillis() >= maxInterval.toMillis();
            if (atCap) {
                capped++;
            }
            if (!atCap || capped <= 2 || i == rows.size() - 1) {
                sb.append("| ").append(r.check()).append(" | ").append(human(r.at())).append(" | ")
                        .append(i == 0 ? "(first check)" : human(r.sincePrevious())).append(" |\n");
            } else if (capped == 3) {
                sb.append("| ... | every ").append(human(maxInterval)).append(" | ").append(human(maxInterval)).append(" |\n");
            }
        }
        sb.append("| - | ").append(human(deadline)).append(" | deadline: DomainFailed(PROPAGATION_TIMEOUT), no Wix call |\n");
        return sb.toString();
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + " s";
        }
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long sec = s % 60;
        StringBuilder sb = new StringBuilder();
        if (h > 0) {
            sb.append(h).append(" h");
        }
        if (m > 0) {
            sb.append(sb.length() > 0 ? " " : "").append(m).append(" min");
        }
        if (sec > 0) {
            sb.append(sb.length() > 0 ? " " : "").append(sec).append(" s");
        }
        return sb.toString();
    }
}
