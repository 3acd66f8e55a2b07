package io.domainlink.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark harness (issue 9): {@code benchmarks/run.sh [options]}. Runs the items below side by side in one JVM
 * on this machine and prints one table. Each scenario gets a fresh Kafka broker child process; the schema registry
 * child process is shared; the Wix sandbox and the three services run in this JVM, wired as the local stack wires
 * them.
 */
@Command(name = "benchmarks/run.sh", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measures the pipeline's throughput and latency beside raw Kafka and bare Wix work, the rate-limited"
                + " regime, the watcher at 1M pending watches, and cost growth; prints a table.")
public final class BenchmarkMain implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(BenchmarkMain.class);

    /** The measurable items, named as {@code --only} takes them. */
    enum Item {
        PIPELINE("pipeline", "1+2: pipeline throughput/latency beside raw Kafka and bare Wix work"),
        RATE_LIMITED("rate-limited", "3: Wix's 200/min/account enforced, a backlog over several accounts"),
        WATCHER_SCALE("watcher-scale", "4: 1M pending watches in one watcher"),
        GROWTH("growth", "5: throughput and memory at 1k, 10k, 100k requests");

        final String cli;
        final String what;

        Item(String cli, String what) {
            this.cli = cli;
            this.what = what;
        }

        static Item parse(String s) {
            for (Item i : values()) {
                if (i.cli.equalsIgnoreCase(s.trim())) {
                    return i;
                }
            }
            throw new CommandLine.TypeConversionException("unknown item '" + s + "' (pipeline, rate-limited, watcher-scale, growth)");
        }
    }

    @Option(names = "--requests", description = "Requests of the pipeline run (item 1, 2). Default: 20000, --quick: 1000.")
    Integer requests;

    @Option(names = "--only", split = ",", converter = ItemConverter.class, paramLabel = "ITEM",
            description = "Run only these items: pipeline, rate-limited, watcher-scale, growth (comma-separated). Default: all.")
    List<Item> only = new ArrayList<>();

    @Option(names = "--quick", description = "Small sizes everywhere (a few minutes in all): a smoke run, not figures to quote.")
    boolean quick;

    @Option(names = "--accounts", description = "Wix accounts the pipeline workload is spread over (default ${DEFAULT-VALUE}).")
    int accounts = 20;

    @Option(names = "--max-in-flight", description = "domain-connector max.in.flight, and the bare Wix loop's threads (default ${DEFAULT-VALUE}).")
    int maxInFlight = 64;

    @Option(names = "--rate-minutes", description = "Length of the rate-limited run, minutes (default ${DEFAULT-VALUE}, --quick: 1).")
    Double rateMinutes;

    @Option(names = "--rate-accounts", description = "Accounts with a backlog in the rate-limited run (default ${DEFAULT-VALUE}).")
    int rateAccounts = 4;

    @Option(names = "--connector-share", description = "Of Wix's 200/min per account, what domain-connector may use; the watcher gets the rest (default ${DEFAULT-VALUE}).")
    int connectorShare = 180;

    @Option(names = "--watches", description = "Pending watches of item 4 (default 1000000, --quick: 50000).")
    Integer watches;

    @Option(names = "--growth", split = ",", description = "Request counts of item 5 (default 1000,10000,100000; --quick: 200,1000,3000).")
    List<Integer> growth;

    @Option(names = "--data-dir", description = "Scratch folder for brokers, registry, state, logs (default ${DEFAULT-VALUE}).")
    Path dataDir = Path.of("benchmarks/target/bench-data");

    @Option(names = "--watcher-bench-classes", description = "Where propagation-watcher's WatcherScaleBenchmark is compiled (run.sh does it); default ${DEFAULT-VALUE}.")
    Path watcherTestClasses = Path.of("benchmarks/target/watcher-bench");

    @Option(names = "--broker-heap", description = "Heap of each broker process (default ${DEFAULT-VALUE}).")
    String brokerHeap = "1g";

    static final class ItemConverter implements CommandLine.ITypeConverter<Item> {
        @Override
        public Item convert(String value) {
            return Item.parse(value);
        }
    }

    private final PrintStream out;
    private final Report report = new Report();

    BenchmarkMain(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        int code = new CommandLine(new BenchmarkMain(System.out)).execute(args);
        System.exit(code);
    }

    @Override
    public Integer call() throws Exception {
        Set<Item> items = only.isEmpty() ? EnumSet.allOf(Item.class) : EnumSet.copyOf(only);
        int n = requests != null ? requests : quick ? 1000 : 20_000;
        Files.createDirectories(dataDir);
        String machine = Machine.describe();
        out.println("domainlink benchmarks  " + Instant.now() + "  items " + items.stream().map(i -> i.cli).toList()
                + (quick ? "  (--quick)" : ""));
        out.println("machine: " + machine);
        out.println("load before: " + Machine.loadAverage());
        out.flush();
        long t0 = System.nanoTime();
        try (BenchStack.Registry registry = items.equals(EnumSet.of(Item.WATCHER_SCALE)) ? null : new BenchStack.Registry(dataDir.resolve("registry"))) {
            if (items.contains(Item.PIPELINE)) {
                new PipelineItems(registry, out, report).pipeline(dataDir.resolve("pipeline"), n, accounts, maxInFlight, brokerHeap, quick);
            }
            if (items.contains(Item.RATE_LIMITED)) {
                new PipelineItems(registry, out, report).rateLimited(dataDir.resolve("rate-limited"), rateAccounts,
                        Duration.ofSeconds((long) ((rateMinutes != null ? rateMinutes : quick ? 1.0 : 3.0) * 60)), connectorShare, brokerHeap);
            }
            if (items.contains(Item.WATCHER_SCALE)) {
                section("4. watcher scale (propagation-watcher's WatcherScaleBenchmark in a child JVM, -Xmx1g, in-JVM broker there)");
                int w = watches != null ? watches : quick ? 50_000 : 1_000_000;
                int perSecond = 1000;
                int probes = quick ? 5_000 : 30_000;
                WatcherScale.Result r = WatcherScale.run(watcherTestClasses, w, probes, perSecond, "1g", out);
                report.watcher(r);
            }
            if (items.contains(Item.GROWTH)) {
                List<Integer> sizes = growth != null ? growth : quick ? List.of(200, 1000, 3000) : List.of(1000, 10_000, 100_000);
                new PipelineItems(registry, out, report).growth(dataDir.resolve("growth"), sizes, accounts, maxInFlight, brokerHeap);
            }
        } catch (Exception e) {
            log.error("benchmark failed error={}", e.toString(), e);
            out.println("FAILED: " + e);
            report.print(out, machine, Duration.ofNanos(System.nanoTime() - t0));
            return 1;
        }
        report.print(out, machine, Duration.ofNanos(System.nanoTime() - t0));
        return 0;
    }

    private void section(String title) {
        out.println();
        out.println("== " + title);
        out.flush();
    }

    /** Machine facts for the table: CPU, cores, memory, load average. */
    static final class Machine {
        static String describe() {
            String cpu = "?";
            try {
                cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                        .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
            } catch (IOException | RuntimeException e) {
                // not Linux
            }
            long memGb = 0;
            try {
                memGb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                        .findFirst().map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) >> 20).orElse(0L);
            } catch (IOException | RuntimeException e) {
                // not Linux
            }
            return String.format(Locale.ROOT, "%s, %d cores, %d GiB RAM, Java %s, %s", cpu,
                    Runtime.getRuntime().availableProcessors(), memGb, System.getProperty("java.version"), System.getProperty("os.name"));
        }

        static String loadAverage() {
            try {
                String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
                return f[0] + " " + f[1] + " " + f[2] + " (1/5/15 min)";
            } catch (IOException | RuntimeException e) {
                return "?";
            }
        }
    }
}
