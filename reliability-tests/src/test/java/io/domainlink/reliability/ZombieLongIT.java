package io.domainlink.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.domainlink.events.ConnectionRequested;
import io.domainlink.testsupport.KafkaCluster;
import io.domainlink.testsupport.KafkaClusterExtension;
import io.domainlink.testsupport.SchemaRegistryExtension;
import io.domainlink.testsupport.SchemaRegistryProcess;
import io.domainlink.wix.sandbox.FaultOverride;
import io.domainlink.wix.sandbox.Faults;

/**
 * S10: zombies. Each service runs as two child JVMs; one of them is frozen with {@code kill -STOP} while it holds work
 * (Wix answers slowly, so its requests are half done), for longer than the session timeout (6 s) and the transaction
 * timeout (15 s): the group moves its partitions to the other instance, which redoes the work. Then the zombie is
 * thawed ({@code kill -CONT}) and tries to finish and commit what it held: it must be fenced, and none of its writes may
 * become visible. Last, a twin connector with the <em>same</em> transactional id as a running one is started: the
 * older one is fenced. The verifier checks everything after each step.
 */
@ExtendWith({KafkaClusterExtension.class, SchemaRegistryExtension.class})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ZombieLongIT extends ScenarioFixture {

    static final long PAUSE_MS = 25_000;

    static KafkaCluster kafka;
    static SchemaRegistryProcess registry;
    static final Expected expected = new Expected().deliveries(2);

    @BeforeAll
    static void start(@TempDir Path dir) {
        s = Scenarios.start(kafka, registry.confluentUrl(), dir, sc -> { });
        FaultOverride slow = new FaultOverride().forPattern("*s10*");
        slow.latencyMs = 1_500;
        s.sandbox.setFaults(new Faults().override(slow));
    }

    @Test
    @Order(1)
    void s10_aConnectorFrozenPastTheSessionTimeoutIsFencedWhenItWakesUp() {
        Pipeline.Instance ingestor = s.pipeline.start(Service.INGESTOR, "i0");
        Pipeline.Instance watcher = s.pipeline.start(Service.WATCHER, "w0");
        Pipeline.Instance zombie = s.pipeline.spawn(Service.CONNECTOR, "cA");
        s.pipeline.spawn(Service.CONNECTOR, "cB");
        frozenWhileWorking(zombie, "s10-connector", "S10 connector frozen " + PAUSE_MS / 1000 + " s, then thawed");
        ingestor.close();
        s.pipeline.forget(ingestor);
        watcher.close();
        s.pipeline.forget(watcher);
    }

    @Test
    @Order(2)
    void s10_anIngestorFrozenPastTheSessionTimeoutIsFencedWhenItWakesUp() {
        Pipeline.Instance zombie = s.pipeline.spawn(Service.INGESTOR, "iA");
        s.pipeline.spawn(Service.INGESTOR, "iB");
        Pipeline.Instance watcher = s.pipeline.start(Service.WATCHER, "w0");
        frozenWhileWorking(zombie, "s10-ingestor", "S10 request-ingestor frozen " + PAUSE_MS / 1000 + " s, then thawed");
        watcher.close();
        s.pipeline.forget(watcher);
    }

    @Test
    @Order(3)
    void s10_aWatcherFrozenPastTheSessionTimeoutIsFencedWhenItWakesUp() {
        Pipeline.Instance zombie = s.pipeline.spawn(Service.WATCHER, "wA");
        s.pipeline.spawn(Service.WATCHER, "wB");
        frozenWhileWorking(zombie, "s10-watcher", "S10 propagation-watcher frozen " + PAUSE_MS / 1000 + " s, then thawed");
    }

    @Test
    @Order(4)
    void s10_aTwinWithTheSameTransactionalIdFencesTheRunningConnector() {
        List<ConnectionRequested> requests = Requests.mixed("s10-twin", 20, 2);
        synchronized (expected) {
            expected.requests(requests).allConnected();
        }
        s.upstream.requests(requests);
        Pipeline.sleep(2_000);
        s.pipeline.spawn(Service.CONNECTOR, "cB");   // a second process with cB's instance id = cB's transactional id
        Verifier.Report report = s.verifier.awaitInvariants("S10 connector twin with the same transactional id", expected,
                Duration.ofMinutes(3));
        assertThat(report.holds()).as("%s", report).isTrue();
    }

    private static void frozenWhileWorking(Pipeline.Instance zombie, String prefix, String scenario) {
        List<ConnectionRequested> requests = Requests.mixed(prefix, 30, 3);
        synchronized (expected) {
            expected.requests(requests).allConnected();
        }
        s.upstream.requests(requests);
        Pipeline.sleep(2_500);   // both instances are in the middle of their requests (Wix answers after 1.5 s)
        zombie.pause();
        System.out.println("[S10] " + zombie + " frozen");
        Pipeline.sleep(PAUSE_MS);
        zombie.resume();
        System.out.println("[S10] " + zombie + " thawed");
        Verifier.Report report = s.verifier.awaitInvariants(scenario, expected, Duration.ofMinutes(3));
        assertThat(report.holds()).as("%s", report).isTrue();
    }
}
