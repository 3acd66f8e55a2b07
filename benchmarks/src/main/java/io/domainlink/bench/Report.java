package io.domainlink.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The final table: one row per figure, with the target and whether it was reached. */
final class Report {

    record Row(String item, String measure, String value, String target, String verdict) {
    }

    record Growth(int requests, double throughput, double seconds, boolean complete, Stats latency, long heapBytes,
                  long brokerRss, long brokerDisk, long stateDisk) {
    }

    private final List<Row> rows = new ArrayList<>();

    void pipeline(PipelineDriver.Result p, PipelineDriver.Result paced, double pacedRate, PipelineDriver.Result at500,
                  RawKafkaChain.Result raw, BareWixLoop.Result wix) {
        String done = p.complete() ? "" : " (INCOMPLETE: " + (p.requests() - p.terminal()) + " missing)";
        add("1", "pipeline end to end, " + p.requests() + " requests", f("%.0f connections/s", p.throughput()) + done,
                "≥ 1000/s", verdict(p.complete() && p.throughput() >= 1000));
        add("1", "latency request→connected, burst (queueing incl.)", p.latency().text(), "-", "");
        add("1", f("latency request→connected at half rate (%.0f/s)", pacedRate), paced.latency().text(), "p99 < 1 s",
                verdict(paced.complete() && paced.latency().p99() < 1000));
        if (at500 != null) {
            add("1", "latency request→connected at 500/s", at500.latency().text(), "p99 < 1 s",
                    verdict(at500.complete() && at500.latency().p99() < 1000));
        }
        add("1", "burst: median time in ingestor / connector / watcher / commit→reader",
                f("%s / %s / %s / %s", Stats.ms(p.ingest().p50()), Stats.ms(p.connect().p50()), Stats.ms(p.watch().p50()),
                        Stats.ms(p.visible().p50())), "-", "");
        add("2a", "raw Kafka, same records through 3 hops", f("%.0f records/s", raw.throughput()), "-", "");
        add("2a", "pipeline / raw Kafka", f("%.1f%%", 100 * p.throughput() / raw.throughput()), "-", "");
        add("2b", "bare Wix work, same calls, " + "same concurrency, no Kafka", f("%.0f requests/s", wix.throughput()), "-", "");
        add("2b", "pipeline / bare Wix work", f("%.1f%%", 100 * p.throughput() / wix.throughput()), "≥ 50%",
                verdict(p.throughput() >= 0.5 * wix.throughput()));
    }

    void rateLimited(RateLimitedRegime.Result r) {
        add("3", f("budget used, %d accounts × 200/min, steady %d s", r.accounts(), r.window().toSeconds()),
                f("%.1f%% (lowest account %.1f%%)", 100 * r.usedFraction(), 100 * r.minAccountFraction()), "> 90%",
                verdict(r.usedFraction() > 0.9));
        add("3", "429s caused by the pipeline", Long.toString(r.rateLimited429()), "0", verdict(r.rateLimited429() == 0));
    }

    void watcher(WatcherScale.Result r) {
        String n = f("%,d", r.watches());
        add("4", "heap used after GC, " + n + " pending (broker in the same JVM)",
                r.heapMb() + " MB (watcher's growth " + r.heapGrowthMb() + " MB)", "< 1 GiB",
                verdict(isNum(r.heapMb()) && Long.parseLong(r.heapMb()) < 1024 && r.exit() == 0));
        add("4", "RocksDB disk, " + n + " pending", r.diskMb() + " MB", "-", "");
        add("4", "load " + n + " watches / restart (same dir) / restore (empty dir)",
                r.loadSeconds() + " s / " + r.restartSeconds() + " s / " + r.restoreSeconds() + " s", "-", "");
        add("4", f("due-check delay at %,d due checks/s", r.checksPerSecond()), r.delay(), "p99 < 1 s", verdict(p99Below(r.delay(), 1000)));
        add("4", "same after the restore", r.delayAfterRestore(), "p99 < 1 s", verdict(p99Below(r.delayAfterRestore(), 1000)));
    }

    void growth(Growth g) {
        add("5", f("%,d requests", g.requests()), f("%.0f connections/s (%.1f s); heap +%d MB, broker RSS %d MB, disk %d MB + %d MB state%s",
                g.throughput(), g.seconds(), g.heapBytes() >> 20, g.brokerRss() >> 20, g.brokerDisk() >> 20, g.stateDisk() >> 20,
                g.complete() ? "" : ", INCOMPLETE"), "-", "");
    }

    void print(PrintStream out, String machine, Duration took) {
        out.println();
        out.println("machine: " + machine);
        out.println("load after: " + BenchmarkMain.Machine.loadAverage() + "; harness wall time " + took.toMinutes() + " min "
                + took.toSecondsPart() + " s");
        int w0 = 4;
        int w1 = "measure".length();
        int w2 = "value".length();
        int w3 = "target".length();
        for (Row r : rows) {
            w1 = Math.max(w1, r.measure().length());
            w2 = Math.max(w2, r.value().length());
            w3 = Math.max(w3, r.target().length());
        }
        String fmt = "| %-" + w0 + "s | %-" + w1 + "s | %-" + w2 + "s | %-" + w3 + "s | %-7s |%n";
        out.printf(Locale.ROOT, fmt, "item", "measure", "value", "target", "reached");
        out.printf(Locale.ROOT, fmt, "-".repeat(w0), "-".repeat(w1), "-".repeat(w2), "-".repeat(w3), "-".repeat(7));
        for (Row r : rows) {
            out.printf(Locale.ROOT, fmt, r.item(), r.measure(), r.value(), r.target(), r.verdict());
        }
        out.flush();
    }

    List<Row> rows() {
        return List.copyOf(rows);
    }

    private void add(String item, String measure, String value, String target, String verdict) {
        rows.add(new Row(item, measure, value, target, verdict));
    }

    private static boolean p99Below(String delay, long ms) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("p99 (\\d+) ms").matcher(delay);
        return m.find() && Long.parseLong(m.group(1)) < ms;
    }

    private static boolean isNum(String s) {
        return s.matches("\\d+");
    }

    private static String verdict(boolean ok) {
        return ok ? "yes" : "NO";
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
