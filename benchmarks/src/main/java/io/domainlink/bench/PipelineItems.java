package io.domainlink.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;


/** Items 1+2 (side by side), 3 and 5: each on a fresh broker, the three services, the sandbox. */
final class PipelineItems {

    private static final Duration STALL = Duration.ofMinutes(2);
    private final BenchStack.Registry registry;
    private final PrintStream out;
    private final Report report;

    PipelineItems(BenchStack.Registry registry, PrintStream out, Report report) {
        this.registry = registry;
        this.out = out;
        this.report = report;
    }

    void pipeline(Path dir, int n, int accounts, int maxInFlight, String brokerHeap, boolean quick) throws Exception {
        section("1+2. pipeline beside raw Kafka and bare Wix work: " + n + " requests, 3 flows mixed, " + accounts
                + " accounts, Wix answering at once, rate limit off");
        try (BenchStack stack = BenchStack.start(dir, registry, BenchStack.instantWix(null), brokerHeap)) {
            line("broker pid %d at %s (child process, KRaft, %s heap); registry %s; sandbox %s", stack.broker.pid(),
                    stack.broker.address(), brokerHeap, registry.url(), stack.sandbox.baseUrl());
            stack.startServices(BenchStack.connectorUnlimited(maxInFlight), BenchStack.watcherUnlimited());
            PipelineDriver driver = new PipelineDriver(stack.broker.address(), registry.client);

            int warm = quick ? 100 : Math.max(200, Math.min(2000, n / 10));
            PipelineDriver.Result w = driver.run(new Workload(tag("warm"), warm, accounts), 0, false, STALL);
            line("warm-up: %d requests through the pipeline in %.1f s (not counted)", warm, w.seconds());

            BareWixLoop.Result wix = BareWixLoop.run(stack.sandbox.baseUrl(), new Workload(tag("wix"), n, accounts), maxInFlight);
            line("bare Wix work: %d requests' calls by %d threads, no Kafka: %.1f s, %.0f requests/s (%d COMPLETED at the check)",
                    n, maxInFlight, wix.millis() / 1000.0, wix.throughput(), wix.connected());
            stack.sandbox.clearCalls();

            RawKafkaChain.Result raw = RawKafkaChain.run(stack.broker.address(), registry.client, new Workload(tag("raw"), n, accounts), STALL);
            line("raw Kafka: %d records through 3 consume→produce hops: %.1f s, %.0f records/s", n,
                    (raw.lastOut() - raw.firstIn()) / 1000.0, raw.throughput());

            PipelineDriver.Result p = driver.run(new Workload(tag("burst"), n, accounts), 0, true, STALL);
            stack.sandbox.clearCalls();
            line("pipeline: %d requests published in %.1f s (%.0f/s offered); last terminal event after %.1f s: %.0f connections/s",
                    n, (p.lastSent() - p.firstSent()) / 1000.0, p.offeredRate(), p.seconds(), p.throughput());
            line("  outcomes: %d connected, failed %s, %d duplicates, %d missing", p.connected(), p.failed(), p.duplicates(),
                    n - p.terminal());
            line("  latency request→DomainConnected (burst, includes queueing): %s", p.latency().text());
            line("  where it goes (medians / p99): ingestor %s / %s, connector %s / %s, watcher %s / %s, commit→reader %s / %s",
                    Stats.ms(p.ingest().p50()), Stats.ms(p.ingest().p99()), Stats.ms(p.connect().p50()), Stats.ms(p.connect().p99()),
                    Stats.ms(p.watch().p50()), Stats.ms(p.watch().p99()), Stats.ms(p.visible().p50()), Stats.ms(p.visible().p99()));

            double rate = Math.max(1, p.throughput() / 2);
            int pacedN = (int) Math.max(quick ? 100 : 200, Math.min(n, rate * (quick ? 10 : 30)));
            PipelineDriver.Result paced = driver.run(new Workload(tag("paced"), pacedN, accounts), rate, true, STALL);
            stack.sandbox.clearCalls();
            line("paced at half that rate (%.0f/s, %d requests): %.0f connections/s; latency %s", rate, pacedN,
                    paced.throughput(), paced.latency().text());
            line("  where it goes (medians / p99): ingestor %s / %s, connector %s / %s, watcher %s / %s, commit→reader %s / %s",
                    Stats.ms(paced.ingest().p50()), Stats.ms(paced.ingest().p99()), Stats.ms(paced.connect().p50()),
                    Stats.ms(paced.connect().p99()), Stats.ms(paced.watch().p50()), Stats.ms(paced.watch().p99()),
                    Stats.ms(paced.visible().p50()), Stats.ms(paced.visible().p99()));

            // the target is stated at 1 000/s: also measure latency at 500/s when the pipeline sustains more than that
            PipelineDriver.Result at500 = null;
            if (p.throughput() >= 1000) {
                at500 = driver.run(new Workload(tag("p500"), Math.min(n, quick ? 5000 : 15_000), accounts), 500, true, STALL);
                line("paced at 500/s: latency %s", at500.latency().text());
            }
            report.pipeline(p, paced, rate, at500, raw, wix);
        }
    }

    void rateLimited(Path dir, int accounts, Duration runFor, int connectorShare, String brokerHeap) throws Exception {
        // a backlog that lasts the whole run: ~47 requests per minute per account fit the budget
        int perAccount = (int) Math.ceil(runFor.toSeconds() / 60.0 * 60) + 40;
        int n = perAccount * accounts;
        section(String.format(Locale.ROOT, "3. rate-limited: sandbox enforces %d requests/min per account; %d requests "
                        + "(%d per account) waiting over %d accounts; %d s run; connector %d/min, watcher %d/min",
                RateLimitedRegime.WIX_LIMIT, n, perAccount, accounts, runFor.toSeconds(), connectorShare,
                RateLimitedRegime.WIX_LIMIT - connectorShare));
        try (BenchStack stack = BenchStack.start(dir, registry, BenchStack.instantWix(RateLimitedRegime.WIX_LIMIT), brokerHeap)) {
            Duration warmUp = Duration.ofSeconds(Math.min(45, runFor.toSeconds() / 4));
            RateLimitedRegime.Result r = RateLimitedRegime.run(stack, new Workload(tag("rl"), n, accounts), runFor, warmUp, connectorShare);
            line("steady part (%d s after a %d s warm-up): %d answered calls = %.1f%% of %d accounts × %d/min (lowest account %.1f%%); "
                            + "429s caused: %d; calls over the whole run: connector %d, watcher %d",
                    r.window().toSeconds(), warmUp.toSeconds(), r.answeredInWindow(), 100 * r.usedFraction(), accounts,
                    RateLimitedRegime.WIX_LIMIT, 100 * r.minAccountFraction(), r.rateLimited429(), r.connectorCalls(), r.watcherCalls());
            report.rateLimited(r);
        }
    }

    void growth(Path dir, List<Integer> sizes, int accounts, int maxInFlight, String brokerHeap) throws Exception {
        section("5. cost growth: " + sizes + " requests, each on a fresh broker and fresh services after a 500-request warm-up");
        for (int n : sizes) {
            try (BenchStack stack = BenchStack.start(dir.resolve("n" + n), registry, BenchStack.instantWix(null), brokerHeap)) {
                long heap0 = BenchStack.heapAfterGc();
                stack.startServices(BenchStack.connectorUnlimited(maxInFlight), BenchStack.watcherUnlimited());
                PipelineDriver driver = new PipelineDriver(stack.broker.address(), registry.client);
                driver.run(new Workload(tag("warm"), 500, accounts), 0, false, STALL); // JIT and connections, not counted
                PipelineDriver.Result p = driver.run(new Workload(tag("g" + n), n, accounts), 0, false, STALL);
                stack.sandbox.reset(); // the sandbox's domains and call log are Wix's memory, not the pipeline's
                long heap = BenchStack.heapAfterGc() - heap0;
                Report.Growth g = new Report.Growth(n, p.throughput(), p.seconds(), p.complete(), p.latency(), heap,
                        stack.brokerRss(), stack.brokerDiskBytes(), stack.stateDiskBytes());
                line("%,9d requests: %.1f s, %.0f connections/s, latency %s; services' heap after GC +%d MB, broker RSS %d MB, "
                                + "broker disk %d MB, services' state disk %d MB%s",
                        n, p.seconds(), p.throughput(), p.latency().text(), heap >> 20, g.brokerRss() >> 20, g.brokerDisk() >> 20,
                        g.stateDisk() >> 20, p.complete() ? "" : "  INCOMPLETE: " + (n - p.terminal()) + " missing");
                report.growth(g);
            }
        }
    }

    private static String tag(String what) {
        return what + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
    }

    private void section(String title) {
        out.println();
        out.println("== " + title);
        out.flush();
    }

    private void line(String format, Object... args) {
        out.println(String.format(Locale.ROOT, format, args));
        out.flush();
    }

}
