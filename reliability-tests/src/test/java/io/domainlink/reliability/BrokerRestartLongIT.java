package io.domainlink.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.domainlink.common.Topics;
import io.domainlink.events.ConnectionRequested;
import io.domainlink.testsupport.KafkaCluster;
import io.domainlink.testsupport.KafkaClusterExtension;
import io.domainlink.testsupport.KafkaClusterSpec;
import io.domainlink.testsupport.SchemaRegistryExtension;
import io.domainlink.testsupport.SchemaRegistryProcess;

/**
 * S1: three brokers, every topic (and the services' internal topics) replicated 3 times with {@code min.insync.replicas=2};
 * thousands of requests flow while one broker is stopped cleanly and restarted, then another is killed (no controlled
 * shutdown: its partitions stall until it is fenced) and restarted. Nobody touches the services: they must resume by
 * themselves, and every invariant must hold. Size: {@code -Dreliability.s1.requests} (default 3000) at
 * {@code -Dreliability.s1.rate} requests/s (default 50).
 */
@ExtendWith({KafkaClusterExtension.class, SchemaRegistryExtension.class})
@KafkaClusterSpec(brokers = 3, controllers = 1, config = {"min.insync.replicas=2"})
class BrokerRestartLongIT extends ScenarioFixture {

    static final int REQUESTS = Integer.getInteger("reliability.s1.requests", 3000);
    static final int RATE = Integer.getInteger("reliability.s1.rate", 50);

    static KafkaCluster kafka;
    static SchemaRegistryProcess registry;

    @BeforeAll
    static void start(@TempDir Path dir) {
        s = Scenarios.start(kafka, registry.confluentUrl(), dir, 3, sc -> { });
        s.pipeline.startAll();
    }

    @Test
    void s1_brokersStoppedAndKilledUnderLoadNothingIsLostOrDuplicatedAndNothingNeedsAHand() throws Exception {
        List<ConnectionRequested> requests = Requests.mixed("s1", REQUESTS, 16);
        Expected expected = new Expected().requests(requests).allConnected();
        long t0 = System.nanoTime();
        String[] topics = Topics.all().stream().map(t -> t.name()).toArray(String[]::new);
        try (Load load = new Load(s.upstream, requests, RATE, 25)) {
            Pipeline.sleep(Duration.ofSeconds(REQUESTS / RATE / 5).toMillis());
            downFor15sThenBack(1, false, t0, load, topics);
            downFor15sThenBack(2, true, t0, load, topics);
            load.await();
            step(t0, "all " + requests.size() + " requests published");
        }
        Verifier.Report report = s.verifier.awaitInvariants("S1 broker restarts (clean + kill) under load, 3 brokers rf 3 min ISR 2",
                expected, Duration.ofMinutes(6));
        step(t0, "verified");
        assertThat(report.holds()).as("%s", report).isTrue();
    }

    /** Stops ({@code kill}: kills, no controlled shutdown) {@code broker}, starts it 15 s later, waits until in sync. */
    private static void downFor15sThenBack(int broker, boolean kill, long t0, Load load, String[] topics) {
        step(t0, (kill ? "killing broker " + broker + " (no controlled shutdown)" : "stopping broker " + broker
                + " (controlled shutdown)") + ", published " + load.published());
        if (kill) {
            kafka.killBroker(broker);
        } else {
            kafka.stopBroker(broker);
        }
        Pipeline.sleep(15_000);
        step(t0, "starting broker " + broker + ", published " + load.published());
        kafka.startBroker(broker);
        kafka.awaitInSync(Duration.ofSeconds(120), topics);
        step(t0, "broker " + broker + " in sync, published " + load.published());
    }

    static void step(long t0, String what) {
        System.out.printf("[S1] +%5.1fs %s%n", (System.nanoTime() - t0) / 1e9, what);
    }
}
