package io.domainlink.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
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
class BrokerRestartLongIT {

    static final int REQUESTS = Integer.getInteger("reliability.s1.requests", 3000);
    static final int RATE = Integer.getInteger("reliability.s1.rate", 50);

    static KafkaCluster kafka;
    static SchemaRegistryProcess registry;
    static Scenarios s;

    @BeforeAll
    static void start(@TempDir Path dir) {
        s = Scenarios.start(kafka, registry.confluentUrl(), dir, 3, sc -> { });
        s.pipeline.start(Service.INGESTOR, "i1");
        s.pipeline.start(Service.CONNECTOR, "c1");
        s.pipeline.start(Service.WATCHER, "w1");
    }

    @AfterAll
    static void stop() {
        if (s != null) {
            s.close();
        }
    }

    @Test
    void s1_brokersStoppedAndKilledUnderLoadNothingIsLostOrDuplicatedAndNothingNeedsAHand() throws Exception {
        List<ConnectionRequested> requests = Requests.mixed("s1", REQUESTS, 16);
        Expected expected = new Expected().requests(requests).allConnected();
        long t0 = System.nanoTime();
        String[] topics = Topics.all().stream().map(t -> t.name()).toArray(String[]::new);
        try (Load load = new Load(s.upstream, requests, RATE, 25)) {
            Pipeline.sleep(Duration.ofSeconds(REQUESTS / RATE / 5).toMillis());
            step(t0, "stopping broker 1 (controlled shutdown), published " + load.published());
            kafka.stopBroker(1);
            Pipeline.sleep(15_000);
            step(t0, "starting broker 1, published " + load.published());
            kafka.startBroker(1);
            kafka.awaitInSync(Duration.ofSeconds(120), topics);
            step(t0, "broker 1 in sync; killing broker 2 (no controlled shutdown), published " + load.published());
            kafka.killBroker(2);
            Pipeline.sleep(15_000);
            step(t0, "starting broker 2, published " + load.published());
            kafka.startBroker(2);
            kafka.awaitInSync(Duration.ofSeconds(120), topics);
            step(t0, "broker 2 in sync, published " + load.published());
            load.await();
            step(t0, "all " + requests.size() + " requests published");
        }
        Verifier.Report report = s.verifier.awaitInvariants("S1 broker restarts (clean + kill) under load, 3 brokers rf 3 min ISR 2",
                expected, Duration.ofMinutes(6));
        step(t0, "verified");
        assertThat(report.holds()).as("%s", report).isTrue();
    }

    static void step(long t0, String what) {
        System.out.printf("[S1] +%5.1fs %s%n", (System.nanoTime() - t0) / 1e9, what);
    }
}
