package io.domainlink.bench;

import java.util.Arrays;
import java.util.Locale;

/** Exact percentiles of a set of millisecond samples (sorted copy; the sets here are at most a few 100 000). */
record Stats(int count, long p50, long p95, long p99, long max) {

    static final Stats EMPTY = new Stats(0, 0, 0, 0, 0);

    static Stats of(long[] samples, int count) {
        if (count == 0) {
            return EMPTY;
        }
        long[] s = Arrays.copyOf(samples, count);
        Arrays.sort(s);
        return new Stats(count, rank(s, 0.50), rank(s, 0.95), rank(s, 0.99), s[count - 1]);
    }

    /** Nearest-rank percentile. */
    private static long rank(long[] sorted, double q) {
        int idx = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }

    String text() {
        return count == 0 ? "n/a" : String.format(Locale.ROOT, "p50 %s, p95 %s, p99 %s, max %s", ms(p50), ms(p95), ms(p99), ms(max));
    }

    static String ms(long ms) {
        return ms < 10_000 ? ms + " ms" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
