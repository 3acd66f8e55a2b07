package io.domainlink.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

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
import io.domainlink.testsupport.Await;
import io.domainlink.testsupport.KafkaCluster;
import io.domainlink.testsupport.KafkaClusterExtension;
import io.domainlink.testsupport.SchemaRegistryExtension;
import io.domainlink.testsupport.SchemaRegistryProcess;

/**
 * S2 for the two Kafka Streams services with a real {@code kill -9}: the request-ingestor and the propagation-watcher
 * run as child JVMs (their own {@code main}); each is killed right after its side effect — its output records are
 * written (a {@code read_uncommitted} reader sees them) — and before its commit (a {@code read_committed} reader sees
 * none), then started again on the same state directory. The commit interval is stretched to 15 s for the victim so
 * that moment can be waited for deterministically; the restarted instance has the default. (The connector's S2 is
 * {@code ConnectorKilledIT}.)
 */
@ExtendWith({KafkaClusterExtension.class, SchemaRegistryExtension.class})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServicesKilledLongIT {

    static final String SLOW_COMMIT = "KAFKA_COMMIT_INTERVAL_MS";
    static final String TX_TIMEOUT = "KAFKA_PRODUCER_TRANSACTION_TIMEOUT_MS";

    static KafkaCluster kafka;
    static SchemaRegistryProcess registry;
    static Scenarios s;
    static Pipeline.Instance ingestor;
    static Pipeline.Instance watcher;
    static final Expected expected = new Expected();

    @BeforeAll
    static void start(@TempDir Path dir) {
        s = Scenarios.start(kafka, registry.confluentUrl(), dir, sc -> { });
        s.pipeline.start(Service.CONNECTOR, "c1");
    }

    @AfterAll
    static void stop() {
        if (s != null) {
            s.close();
        }
    }

    /**
     * Waits until at least a quarter of the requests have an event on the topic that is written but not committed (the
     * victim's open transaction), and returns how many.
     */
    private static int awaitWrittenNotCommitted(io.domainlink.common.TopicSpec<?> topic, Set<String> ids) {
        int[] n = new int[1];
        Await.until(Duration.ofSeconds(90), "events on " + topic.name() + " written and not committed", () -> {
            Set<String> written = new java.util.HashSet<>(s.verifier.uncommittedRequestIds(topic));
            written.retainAll(ids);
            written.removeAll(s.verifier.committedRequestIds(topic));
            n[0] = written.size();
            return n[0] >= ids.size() / 4;
        });
        return n[0];
    }

    @Test
    @Order(1)
    void s2_theIngestorKilledAfterWritingItsOutputAndBeforeItsCommitRestartsAndPublishesEachRequestOnce() {
        s.pipeline.set(Service.INGESTOR, SLOW_COMMIT, "15000").set(Service.INGESTOR, TX_TIMEOUT, "60000");
        ingestor = s.pipeline.spawn(Service.INGESTOR, "i1");
        s.pipeline.unset(Service.INGESTOR, SLOW_COMMIT).unset(Service.INGESTOR, TX_TIMEOUT);
        watcher = s.pipeline.spawn(Service.WATCHER, "w1");
        List<ConnectionRequested> requests = Requests.mixed("s2-ingestor", 20, 2);
        Set<String> ids = requests.stream().map(ConnectionRequested::getRequestId).collect(Collectors.toSet());
        synchronized (expected) {
            expected.requests(requests).allConnected();
        }
        s.upstream.requests(requests);
        int inTheAir = awaitWrittenNotCommitted(Topics.ACCEPTED, ids);
        ingestor.kill();
        s.pipeline.forget(ingestor);
        System.out.println("[S2] request-ingestor killed (kill -9) with " + inTheAir + " accepted events written but not committed");
        ingestor = s.pipeline.spawn(Service.INGESTOR, "i1");

        Verifier.Report report = s.verifier.awaitInvariants("S2 request-ingestor kill -9 before its commit", expected, Duration.ofMinutes(3));
        assertThat(report.holds()).as("%s", report).isTrue();
    }

    @Test
    @Order(2)
    void s2_theWatcherKilledAfterWritingTheOutcomesAndBeforeItsCommitRestartsAndEachRequestEndsOnce() {
        watcher.close();
        s.pipeline.forget(watcher);
        s.pipeline.set(Service.WATCHER, SLOW_COMMIT, "15000").set(Service.WATCHER, TX_TIMEOUT, "60000");
        watcher = s.pipeline.spawn(Service.WATCHER, "w1");
        s.pipeline.unset(Service.WATCHER, SLOW_COMMIT).unset(Service.WATCHER, TX_TIMEOUT);
        List<ConnectionRequested> requests = Requests.mixed("s2-watcher", 20, 2);
        Set<String> ids = requests.stream().map(ConnectionRequested::getRequestId).collect(Collectors.toSet());
        synchronized (expected) {
            expected.requests(requests).allConnected();
        }
        s.upstream.requests(requests);
        int inTheAir = awaitWrittenNotCommitted(Topics.OUTCOMES, ids);
        watcher.kill();
        s.pipeline.forget(watcher);
        System.out.println("[S2] propagation-watcher killed (kill -9) with " + inTheAir + " outcomes written but not committed");
        watcher = s.pipeline.spawn(Service.WATCHER, "w1");

        Verifier.Report report = s.verifier.awaitInvariants("S2 propagation-watcher kill -9 before its commit", expected, Duration.ofMinutes(3));
        assertThat(report.holds()).as("%s", report).isTrue();
    }
}
