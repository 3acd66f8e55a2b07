package io.domainlink.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.domainlink.common.Topics;
import io.domainlink.connector.ConnectorConfig;
import io.domainlink.events.ConnectionConfigured;
import io.domainlink.events.ConnectionRequested;
import io.domainlink.events.DomainFailed;
import io.domainlink.testsupport.Await;
import io.domainlink.testsupport.KafkaCluster;
import io.domainlink.testsupport.KafkaClusterExtension;
import io.domainlink.testsupport.SchemaRegistryExtension;
import io.domainlink.testsupport.SchemaRegistryProcess;
import io.domainlink.watcher.WatcherConfig;
import io.domainlink.wix.sandbox.Scenario;

/**
 * S9, end to end: 10 000 domains (POINTING, over 40 Wix accounts) go through the whole pipeline and are watched at
 * once; 30 % propagate slowly (20 s), 1 % never complete (they must end with PROPAGATION_TIMEOUT at the 180 s deadline,
 * within one check interval of it), the rest after 1 s. Halfway through, the watcher (a child JVM) is stopped and a new
 * instance starts on an empty state directory (its watches come back from the changelog). The sandbox enforces a
 * per-account limit that the two Wix services share half and half: it must never answer 429. The watcher JVM's
 * resident memory is sampled and printed. Size: {@code -Dreliability.s9.requests} (default 10000).
 */
@ExtendWith({KafkaClusterExtension.class, SchemaRegistryExtension.class})
@TestMethodOrder(MethodOrderer.MethodName.class) // the deadline check reads what s9_tenThousandWatches… recorded
class WatchScaleLongIT extends ScenarioFixture {

    static final int REQUESTS = Integer.getInteger("reliability.s9.requests", 10_000);
    static final int ACCOUNTS = 40;
    static final int SANDBOX_LIMIT_PER_MINUTE = 3_000;
    static final long DEADLINE_MS = 180_000;
    static final long MAX_INTERVAL_MS = 3_000;

    /** Filled by the main test: ms from the connector's ConnectionConfigured to each PROPAGATION_TIMEOUT. */
    static final List<Long> TIMED_OUT_AFTER_CONFIGURATION = new java.util.concurrent.CopyOnWriteArrayList<>();

    static KafkaCluster kafka;
    static SchemaRegistryProcess registry;

    @BeforeAll
    static void start(@TempDir Path dir) {
        s = Scenarios.start(kafka, registry.confluentUrl(), dir, sc -> sc.propagationDelayMs(1_000)
                .rateLimitPerMinute(SANDBOX_LIMIT_PER_MINUTE)
                .rule(new Scenario.Rule("s9-never-*").propagation(Scenario.Outcome.NEVER))
                .rule(new Scenario.Rule("s9-slow-*").propagationDelayMs(20_000)));
        String half = Integer.toString(SANDBOX_LIMIT_PER_MINUTE / 2);
        s.pipeline.set(Service.CONNECTOR, ConnectorConfig.WIX_RATE_LIMIT, half)
                .set(Service.WATCHER, WatcherConfig.WIX_RATE_LIMIT, half)
                .set(Service.WATCHER, WatcherConfig.DEADLINE_MS, Long.toString(DEADLINE_MS));
        s.pipeline.start(Service.INGESTOR, "i1");
        s.pipeline.start(Service.CONNECTOR, "c1");
    }

    @Test
    void s9_tenThousandWatchesWithAWatcherRestartHalfwayEachEndOnceWithinTheDeadlineAndUnderTheRateLimit() throws Exception {
        String tag = Requests.runTag();
        List<ConnectionRequested> requests = new ArrayList<>();
        Expected expected = new Expected();
        for (int i = 0; i < REQUESTS; i++) {
            String kind = i % 100 == 0 ? "never" : i % 10 < 3 ? "slow" : "fast";
            ConnectionRequested r = Requests.pointing("s9-" + i + "-" + tag, "s9-" + kind + "-" + i + "-" + tag + ".com", i % ACCOUNTS);
            requests.add(r);
            expected.request(r).outcome(r.getRequestId(), kind.equals("never") ? "PROPAGATION_TIMEOUT" : Expected.CONNECTED);
        }
        long t0 = System.nanoTime();
        Pipeline.Instance watcher = s.pipeline.spawn(Service.WATCHER, "w1");
        List<String> rss = new ArrayList<>();
        try (Load load = new Load(s.upstream, requests, 200, 100)) {
            Await.until(Duration.ofMinutes(10), "half of the requests ended", () -> {
                sample(watcher, rss);
                return s.verifier.refresh().values(Topics.OUTCOMES).size() >= REQUESTS / 2;
            });
            long pending = s.verifier.values(Topics.CONFIGURED).size() - s.verifier.values(Topics.OUTCOMES).size();
            step(t0, "half ended, " + pending + " watches pending; restarting the watcher on an empty state directory (published "
                    + load.published() + ")");
            watcher.close();
            s.pipeline.forget(watcher);
            Pipeline.Instance second = s.pipeline.spawn(Service.WATCHER, "w2");
            step(t0, "second watcher running");
            load.await();
            Await.until(Duration.ofMinutes(10), "every request ended", () -> {
                sample(second, rss);
                return s.verifier.refresh().values(Topics.OUTCOMES).size() >= REQUESTS;
            });
        }
        step(t0, "every request ended");
        Verifier.Report report = s.verifier.awaitInvariants("S9 " + REQUESTS + " watches, watcher restarted halfway", expected,
                Duration.ofMinutes(5));
        long limited = s.sandbox.calls().stream().filter(c -> "RATE_LIMIT".equals(c.fault())).count();
        long checks = s.sandbox.calls().stream().filter(c -> c.endpoint() == io.domainlink.wix.sandbox.Endpoint.GET_CONNECTED_DOMAIN).count();
        System.out.printf("[S9] Wix checks=%d, 429 from the enforced %d/min per-account limit=%d; watcher RSS samples (MB): %s%n",
                checks, SANDBOX_LIMIT_PER_MINUTE, limited, rss);
        assertThat(report.holds()).as("%s", report).isTrue();
        assertThat(limited).as("calls refused by Wix's rate limit").isZero();


        // the never-completing ones: how long after configuration they ended, and how late the first checks came
        Map<String, ConnectionConfigured> configured = s.verifier.values(Topics.CONFIGURED).stream()
                .collect(Collectors.toMap(c -> c.getContext().getRequestId(), Function.identity(), (a, b) -> a));
        Map<String, Long> firstCheck = new java.util.HashMap<>();
        for (var c : s.sandbox.calls()) {
            if (c.endpoint() == io.domainlink.wix.sandbox.Endpoint.GET_CONNECTED_DOMAIN) {
                firstCheck.putIfAbsent(c.domain(), java.time.Instant.parse(c.time()).toEpochMilli());
            }
        }
        List<Long> firstCheckAfter = new ArrayList<>();
        configured.values().forEach(c -> {
            Long first = firstCheck.get(c.getContext().getDomain());
            if (first != null) {
                firstCheckAfter.add(first - c.getOccurredAt().toEpochMilli());
            }
        });
        for (Object o : s.verifier.values(Topics.OUTCOMES)) {
            if (o instanceof DomainFailed f && f.getReason() == io.domainlink.events.FailureReason.PROPAGATION_TIMEOUT) {
                TIMED_OUT_AFTER_CONFIGURATION.add(f.getOccurredAt().toEpochMilli()
                        - configured.get(f.getContext().getRequestId()).getOccurredAt().toEpochMilli());
            }
        }
        System.out.printf("[S9] first check after configuration: %s ms (schedule: 500 ms); PROPAGATION_TIMEOUT after "
                + "configuration: %s ms (deadline %d ms + one interval %d ms)%n", range(firstCheckAfter),
                range(TIMED_OUT_AFTER_CONFIGURATION), DEADLINE_MS, MAX_INTERVAL_MS);
        assertThat(TIMED_OUT_AFTER_CONFIGURATION).hasSize(REQUESTS / 100);
    }

    /**
     * S9's "each ends within deadline + one interval", for the 1 % that never complete, counted from the connector's
     * ConnectionConfigured. The watcher applies deadlines from their own index before any check (no permit needed),
     * and counts them from the event's occurredAt, so neither the check backlog of the two saturated accounts nor the
     * restart halfway (events read late by the second watcher) may push an end past the bound. Before that (2026-11-27)
     * they came 180.1-190.8 s after configuration.
     */
    @Test
    void s9_theNeverCompletingOnesEndWithinOneCheckIntervalOfTheirDeadline() {
        assertThat(TIMED_OUT_AFTER_CONFIGURATION).as("run s9_tenThousandWatches... first").hasSize(REQUESTS / 100)
                .allSatisfy(ms -> assertThat(ms).isBetween(DEADLINE_MS - 1_000, DEADLINE_MS + MAX_INTERVAL_MS + 2_000));
    }

    private static String range(List<Long> values) {
        java.util.LongSummaryStatistics st = values.stream().mapToLong(Long::longValue).summaryStatistics();
        return "min " + st.getMin() + " / avg " + Math.round(st.getAverage()) + " / max " + st.getMax();
    }

    /** The resident set of the watcher JVM (heap, RocksDB, everything), from /proc. */
    private static long lastSample;

    private static void sample(Pipeline.Instance watcher, List<String> out) {
        if (System.nanoTime() - lastSample < 10_000_000_000L) {
            return;
        }
        lastSample = System.nanoTime();
        long pid = watcher.pid();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    out.add(Long.toString(kb / 1024));
                }
            }
        } catch (Exception e) {
            // not on Linux, or gone
        }
    }

    static void step(long t0, String what) {
        System.out.printf("[S9] +%5.1fs %s%n", (System.nanoTime() - t0) / 1e9, what);
    }
}
