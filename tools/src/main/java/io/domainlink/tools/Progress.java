package io.domainlink.tools;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A carriage-return progress bar on stderr for long reads: {@code [#####-----]  52%  52 000 / 100 000 records  3.1 s}.
 * Drawn at most every 200 ms, only when enabled (stderr is a terminal, or {@code --progress}), never on stdout.
 */
final class Progress implements AutoCloseable {

    private static final int WIDTH = 30;

    private final PrintStream err;
    private final boolean enabled;
    private final long total;
    private final String unit;
    private final long started = System.nanoTime();
    private long done;
    private long lastDraw;

    Progress(PrintStream err, boolean enabled, long total, String unit) {
        this.err = err;
        this.enabled = enabled && total > 0;
        this.total = total;
        this.unit = unit;
    }

    /** Whether to draw by default: only when a person is watching. */
    static boolean interactive() {
        return System.console() != null;
    }

    void advance(long n) {
        done += n;
        if (enabled && System.nanoTime() - lastDraw > 200_000_000L) {
            draw();
        }
    }

    long done() {
        return done;
    }

    private void draw() {
        lastDraw = System.nanoTime();
        double f = Math.min(1.0, (double) done / total);
        int filled = (int) Math.round(f * WIDTH);
        err.printf(Locale.ROOT, "\r[%s%s] %3d%%  %,d / %,d %s  %.1f s", "#".repeat(filled), "-".repeat(WIDTH - filled),
                Math.round(f * 100), done, total, unit, (System.nanoTime() - started) / 1e9);
        err.flush();
    }

    @Override
    public void close() {
        if (enabled) {
            draw();
            err.println();
        }
    }
}
