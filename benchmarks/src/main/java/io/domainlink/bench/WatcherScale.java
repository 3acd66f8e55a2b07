package io.domainlink.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Item 4: propagation-watcher's own {@code WatcherScaleBenchmark} (its README, "Benchmark: 1 000 000 pending
 * watches"), run as a child JVM with the heap the target allows ({@code -Xmx1g}) and the watcher's test classes
 * on the classpath. Its output is echoed indented and the figures are read from it.
 */
final class WatcherScale {

    record Result(int watches, int checksPerSecond, String heapMb, String heapGrowthMb, String diskMb, String loadSeconds,
                  String restartSeconds, String restoreSeconds, String delay, String delayAfterRestore, int exit) {
    }

    private static final Pattern HEAP = Pattern.compile("heap after GC with [\\d,]+ pending: (\\d+) MB \\(growth over broker-only baseline: (-?\\d+) MB\\)");
    private static final Pattern DISK = Pattern.compile("state dir on disk: (\\d+) MB");
    private static final Pattern LOADED = Pattern.compile("loaded [\\d,]+ pending watches in ([\\d.]+) s");
    private static final Pattern RESTART = Pattern.compile("restart on the same state dir: running after ([\\d.]+) s");
    private static final Pattern RESTORE = Pattern.compile("restart on an empty state dir.*running after ([\\d.]+) s");
    private static final Pattern DELAY = Pattern.compile("due-check delay over ([\\d,]+) checks: (p50 \\d+ ms, p99 \\d+ ms, max \\d+ ms)");

    private WatcherScale() {
    }

    static Result run(Path watcherTestClasses, int watches, int probes, int perSecond, String heap, PrintStream out)
            throws IOException, InterruptedException {
        if (!Files.isDirectory(watcherTestClasses.resolve("io/domainlink/watcher"))) {
            throw new IllegalStateException("WatcherScaleBenchmark is not compiled at " + watcherTestClasses
                    + " (benchmarks/run.sh builds them)");
        }
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap,
                "-XX:+UseG1GC", "-Dlog4j2.configurationFile=" + System.getProperty("log4j2.configurationFile", ""),
                "-Ddomainlink.logDir=" + System.getProperty("domainlink.logDir", "."),
                "-cp", watcherTestClasses + java.io.File.pathSeparator + System.getProperty("java.class.path"),
                "io.domainlink.watcher.WatcherScaleBenchmark", Integer.toString(watches), Integer.toString(probes),
                Integer.toString(perSecond));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lines.add(line);
                // the benchmark's own lines; not the log lines of the broker and the watcher it embeds
                if (!line.startsWith("counters:") && !line.matches("^(\\s|ERROR|WARN|INFO|DEBUG|org\\.|java\\.|Bootstrap metadata|Formatting ).*")) {
                    out.println("    | " + line);
                    out.flush();
                }
            }
        }
        int exit = p.waitFor();
        String heapMb = "?";
        String growth = "?";
        String disk = "?";
        String load = "?";
        String restart = "?";
        String restore = "?";
        List<String> delays = new ArrayList<>();
        for (String line : lines) {
            Matcher m;
            if ((m = HEAP.matcher(line)).find()) {
                heapMb = m.group(1);
                growth = m.group(2);
            } else if ((m = DISK.matcher(line)).find()) {
                disk = m.group(1);
            } else if ((m = LOADED.matcher(line)).find()) {
                load = m.group(1);
            } else if ((m = RESTART.matcher(line)).find()) {
                restart = m.group(1);
            } else if ((m = RESTORE.matcher(line)).find()) {
                restore = m.group(1);
            } else if ((m = DELAY.matcher(line)).find()) {
                delays.add(m.group(2) + " (" + m.group(1) + " checks)");
            }
        }
        return new Result(watches, perSecond, heapMb, growth, disk, load, restart, restore,
                delays.isEmpty() ? "?" : delays.get(0), delays.size() < 2 ? "?" : delays.get(1), exit);
    }
}
