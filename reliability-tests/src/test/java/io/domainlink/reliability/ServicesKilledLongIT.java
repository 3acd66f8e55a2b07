package io.domainlink.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

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
class ServicesKilledLongIT extends ScenarioFixture {

    static final String SLOW_COMMIT = "KAFKA_COMMIT_INTERVAL_MS";
    static final String TX_TIMEOUT = "KAFKA_PRODUCER_TRANSACTION_TIMEOUT_MS";

    static KafkaCluster kafka;
    static SchemaRegistryProcess registry;
    static Pipeline.Instance ingestor;
    static Pipeline.Instance watcher;
    static final Expected expected = new Expected();

    @BeforeAll
    static void start(@TempDir Path dir) {
        s = Scenarios.start(kafka, registry.confluentUrl(), dir, sc -> { });
        s.pipeline.start(Service.CONNECTOR, "c1");
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
        ingestor = slowCommitting(Service.INGESTOR, "i1");
        watcher = s.pipeline.spawn(Service.WATCHER, "w1");
        ingestor = killBeforeCommitAndRestart(ingestor, Service.INGESTOR, "i1", Topics.ACCEPTED, "s2-ingestor", "accepted events");
    }

    @Test
    @Order(2)
    void s2_theWatcherKilledAfterWritingTheOutcomesAndBeforeItsCommitRestartsAndEachRequestEndsOnce() {
        watcher.close();
        s.pipeline.forget(watcher);
        watcher = slowCommitting(Service.WATCHER, "w1");
        watcher = killBeforeCommitAndRestart(watcher, Service.WATCHER, "w1", Topics.OUTCOMES, "s2-watcher", "outcomes");
    }

    /** A child JVM of {@code service} that commits only every 15 s (instances started after it get the default). */
    private static Pipeline.Instance slowCommitting(Service service, String instanceId) {
        s.pipeline.set(service, SLOW_COMMIT, "15000").set(service, TX_TIMEOUT, "60000");
        Pipeline.Instance victim = s.pipeline.spawn(service, instanceId);
        s.pipeline.unset(service, SLOW_COMMIT).unset(service, TX_TIMEOUT);
        return victim;
    }

    /**
     * Publishes 20 requests, waits until {@code victim} has written a quarter of their events on {@code output} without
     * committing them, kills it ({@code kill -9}), starts it again on the same state directory and checks that every
     * invariant holds. Returns the new instance.
     */
    private static Pipeline.Instance killBeforeCommitAndRestart(Pipeline.Instance victim, Service service, String instanceId,
                                                                io.domainlink.common.TopicSpec<?> output, String tag, String events) {
        List<ConnectionRequested> requests = Requests.mixed(tag, 20, 2);
        Set<String> ids = requests.stream().map(ConnectionRequested::getRequestId).collect(Collectors.toSet());
        synchronized (expected) {
            expected.requests(requests).allConnected();
        }
        s.upstream.requests(requests);
        int inTheAir = awaitWrittenNotCommitted(output, ids);
        victim.kill();
        s.pipeline.forget(victim);
        System.out.println("[S2] " + service.group + " killed (kill -9) with " + inTheAir + " " + events
                + " written but not committed");
        Pipeline.Instance restarted = s.pipeline.spawn(service, instanceId);

        Verifier.Report report = s.verifier.awaitInvariants("S2 " + service.group + " kill -9 before its commit", expected,
                Duration.ofMinutes(3));
        assertThat(report.holds()).as("%s", report).isTrue();
        return restarted;
    }
}
