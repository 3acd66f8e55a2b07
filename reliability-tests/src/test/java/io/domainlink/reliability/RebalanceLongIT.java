package io.domainlink.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.domainlink.events.ConnectionRequested;
import io.domainlink.testsupport.KafkaCluster;
import io.domainlink.testsupport.KafkaClusterExtension;
import io.domainlink.testsupport.SchemaRegistryExtension;
import io.domainlink.testsupport.SchemaRegistryProcess;
import io.domainlink.wix.sandbox.Scenario;

/**
 * S8: every service runs as child JVMs (their own {@code main}); while requests flow, instances are added and others
 * killed with {@code kill -9}, so partitions (and the watcher's watches, with their RocksDB state) move between
 * instances again and again. Every invariant must hold; watches must survive the moves. Size:
 * {@code -Dreliability.s8.requests} (default 1500) at {@code -Dreliability.s8.rate}/s (default 25).
 */
@ExtendWith({KafkaClusterExtension.class, SchemaRegistryExtension.class})
class RebalanceLongIT extends ScenarioFixture {

    static final int REQUESTS = Integer.getInteger("reliability.s8.requests", 1500);
    static final int RATE = Integer.getInteger("reliability.s8.rate", 25);

    static KafkaCluster kafka;
    static SchemaRegistryProcess registry;

    @BeforeAll
    static void start(@TempDir Path dir) {
        // propagation takes 5-8 s, so many watches are pending whenever the watcher's partitions move
        s = Scenarios.start(kafka, registry.confluentUrl(), dir, sc -> sc.rule(new Scenario.Rule("*").propagationDelayMs(6_000)));
    }

    @Test
    void s8_instancesAddedAndKilledWhilePartitionsRebalanceUnderLoad() throws Exception {
        List<ConnectionRequested> requests = Requests.mixed("s8", REQUESTS, 12);
        Expected expected = new Expected().requests(requests).allConnected().deliveries(3);
        long t0 = System.nanoTime();
        Pipeline.Instance i1 = s.pipeline.spawn(Service.INGESTOR, "i1");
        Pipeline.Instance c1 = s.pipeline.spawn(Service.CONNECTOR, "c1");
        Pipeline.Instance w1 = s.pipeline.spawn(Service.WATCHER, "w1");
        step(t0, "one instance of each service running");
        long phase = Math.max(5_000, REQUESTS * 1000L / RATE / 6);
        try (Load load = new Load(s.upstream, requests, RATE, 25)) {
            Pipeline.sleep(phase);
            s.pipeline.spawn(Service.INGESTOR, "i2");
            s.pipeline.spawn(Service.CONNECTOR, "c2");
            s.pipeline.spawn(Service.WATCHER, "w2");
            step(t0, "added i2, c2, w2 (published " + load.published() + ")");
            Pipeline.sleep(phase);
            i1.kill();
            c1.kill();
            s.pipeline.forget(i1);
            s.pipeline.forget(c1);
            step(t0, "killed i1, c1 (published " + load.published() + ")");
            Pipeline.sleep(phase);
            s.pipeline.spawn(Service.CONNECTOR, "c3");
            s.pipeline.spawn(Service.WATCHER, "w3");
            step(t0, "added c3, w3 (published " + load.published() + ")");
            Pipeline.sleep(phase);
            w1.kill();
            s.pipeline.forget(w1);
            step(t0, "killed w1: its watches move to w2/w3 (published " + load.published() + ")");
            Pipeline.sleep(phase);
            s.pipeline.spawn(Service.INGESTOR, "i3");
            step(t0, "added i3 (published " + load.published() + ")");
            load.await();
            step(t0, "all " + requests.size() + " requests published");
        }
        Verifier.Report report = s.verifier.awaitInvariants("S8 instances added and killed under load (" + REQUESTS + " requests)",
                expected, Duration.ofMinutes(6));
        step(t0, "verified");
        assertThat(report.holds()).as("%s", report).isTrue();
    }

    static void step(long t0, String what) {
        System.out.printf("[S8] +%5.1fs %s%n", (System.nanoTime() - t0) / 1e9, what);
    }
}
