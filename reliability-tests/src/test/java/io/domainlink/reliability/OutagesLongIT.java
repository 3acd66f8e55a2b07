package io.domainlink.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.domainlink.common.Topics;
import io.domainlink.events.ConnectionRequested;
import io.domainlink.testsupport.KafkaCluster;
import io.domainlink.testsupport.KafkaClusterExtension;

/**
 * S11: the schema registry process is stopped for a minute, then Wix is unreachable for a minute (connections refused,
 * open ones reset), while requests keep coming. The registry keeps its schemas on disk (as a production registry
 * does), so its ids mean the same after the restart. Cached schemas must keep the services working; producers retry;
 * after recovery nothing is lost or duplicated. The outage length is {@code -Dreliability.s11.outage.seconds} (60).
 *
 * <p>The services run with production retry settings, so a connector call that meets Wix down for longer than its
 * retry budget (6 attempts, backoff from 0.2 s doubling: ~6 s) ends its request with one RETRIES_EXHAUSTED — a
 * terminal event, which the verifier accepts — while watches simply keep retrying.
 */
@ExtendWith(KafkaClusterExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OutagesLongIT extends ScenarioFixture {

    static final int OUTAGE_S = Integer.getInteger("reliability.s11.outage.seconds", 60);

    static KafkaCluster kafka;
    static PersistentRegistry registry;
    static TcpProxy wix;
    static final Expected expected = new Expected();

    @BeforeAll
    static void start(@TempDir Path dir) {
        registry = new PersistentRegistry(dir.resolve("registry"));
        s = Scenarios.start(kafka, registry.confluentUrl(), dir.resolve("pipeline"), sc -> { });
        wix = new TcpProxy(s.sandbox.port());
        s.pipeline.wixBaseUrl(wix.url());
        s.pipeline.startAll();
        List<ConnectionRequested> warmUp = Requests.mixed("s11-warm", 30, 4);   // every service has used every schema once
        synchronized (expected) {
            expected.requests(warmUp).allConnected();
        }
        s.upstream.requests(warmUp);
        Verifier.Report report = s.verifier.awaitInvariants("S11 warm-up", expected, Duration.ofMinutes(2));
        assertThat(report.holds()).as("%s", report).isTrue();
    }

    @AfterAll
    static void stop() {
        closeScenarios();   // the services first, then what they talk to
        if (wix != null) {
            wix.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    @Order(1)
    void s11_theRegistryDownForAMinuteCachedSchemasKeepThePipelineGoingAndNothingIsLostOrDuplicated() throws Exception {
        List<ConnectionRequested> requests = Requests.mixed("s11-registry", 200, 4);
        synchronized (expected) {
            expected.requests(requests).allConnected();
        }
        long t0 = System.nanoTime();
        registry.stop();
        step(t0, "registry stopped");
        int endedBefore = s.verifier.refresh().values(Topics.OUTCOMES).size();
        try (Load load = new Load(s.upstream, requests, Math.max(1, requests.size() / Math.max(1, OUTAGE_S / 2)), 10)) {
            load.await();
        }
        step(t0, "200 requests published while the registry is down");
        Pipeline.sleep(Math.max(0, OUTAGE_S * 1000L - (System.nanoTime() - t0) / 1_000_000));
        int endedDuring = s.verifier.refresh().values(Topics.OUTCOMES).size() - endedBefore;
        step(t0, "outage over: " + endedDuring + " of 200 requests ended while the registry was down; starting it");
        registry.start();
        Verifier.Report report = s.verifier.awaitInvariants("S11 registry down " + OUTAGE_S + " s (" + endedDuring
                + "/200 ended during the outage)", expected, Duration.ofMinutes(4));
        assertThat(report.holds()).as("%s", report).isTrue();
    }

    @Test
    @Order(2)
    void s11_wixUnreachableForAMinuteEveryRequestEndsOnceAndWatchesResumeAfterwards() throws Exception {
        List<ConnectionRequested> requests = Requests.mixed("s11-wix", 200, 4);
        synchronized (expected) {
            expected.requests(requests);
            requests.forEach(r -> expected.outcome(r.getRequestId(), "CONNECTED", "RETRIES_EXHAUSTED"));
        }
        long t0 = System.nanoTime();
        try (Load load = new Load(s.upstream, requests, 10, 10)) {
            Pipeline.sleep(5_000);
            wix.cut();
            step(t0, "Wix unreachable (published " + load.published() + ")");
            Pipeline.sleep(OUTAGE_S * 1000L);
            wix.restore();
            step(t0, "Wix reachable again (published " + load.published() + ")");
            load.await();
        }
        Verifier.Report report = s.verifier.awaitInvariants("S11 Wix unreachable " + OUTAGE_S + " s", expected, Duration.ofMinutes(4));
        assertThat(report.holds()).as("%s", report).isTrue();
    }

    static void step(long t0, String what) {
        System.out.printf("[S11] +%5.1fs %s%n", (System.nanoTime() - t0) / 1e9, what);
    }
}
