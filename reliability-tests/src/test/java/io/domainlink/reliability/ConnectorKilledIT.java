package io.domainlink.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.domainlink.common.DomainNames;
import io.domainlink.common.Topics;
import io.domainlink.connector.AfterWixCall;
import io.domainlink.connector.ConnectorTestHooks;
import io.domainlink.connector.DomainConnectorApp;
import io.domainlink.connector.WixStep;
import io.domainlink.events.ConnectionRequested;
import io.domainlink.testsupport.KafkaCluster;
import io.domainlink.testsupport.KafkaClusterExtension;
import io.domainlink.testsupport.SchemaRegistryExtension;
import io.domainlink.testsupport.SchemaRegistryProcess;
import io.domainlink.wix.sandbox.Effect;

/**
 * S2 for the domain-connector, end to end (the request comes through the ingestor; the watcher connects it): the
 * instance dies right after a Wix call answered 2xx and before its output is committed — after each of the six calls
 * of a NAMESERVERS request with a plan in turn, six domains at once, each stopped after a different call — and once
 * inside the transaction before its commit. The instance stops as if killed (the connector's own crash hook: no
 * commit, no abort); a new incarnation with the same transactional id takes over. The repeated calls must be absorbed
 * (idempotency key, identical re-create, zone read first): each Wix effect once, one ConnectionConfigured per request.
 * (Killing a whole service JVM with SIGKILL is {@code ServicesKilledLongIT}.)
 */
@ExtendWith({KafkaClusterExtension.class, SchemaRegistryExtension.class})
class ConnectorKilledIT extends ScenarioFixture {

    /** The calls of a NAMESERVERS request with a plan, schema-shaped setup info (sandbox default). */
    static final List<WixStep> CALLS = List.of(WixStep.CREATE_PACKAGE, WixStep.CREATE_CONNECTED_DOMAIN, WixStep.GET_SETUP_INFO,
            WixStep.PREVIEW_DNS_ZONE, WixStep.GET_DNS_ZONE, WixStep.UPDATE_DNS_ZONE);

    static KafkaCluster kafka;
    static SchemaRegistryProcess registry;
    static final Expected expected = new Expected().deliveries(2);

    @BeforeAll
    static void start(@TempDir Path dir) {
        s = Scenarios.start(kafka, registry.confluentUrl(), dir, sc -> { });
        s.pipeline.start(Service.INGESTOR, "i1");
        s.pipeline.start(Service.WATCHER, "w1");
    }

    @Test
    void s2_killedRightAfterEachWixCallInTurnTheNextIncarnationAppliesEveryEffectOnceAndPublishesOnce() throws Exception {
        String tag = Requests.runTag();
        Map<String, Integer> killAfter = new HashMap<>();   // normalized domain -> the call after which the instance dies
        List<ConnectionRequested> requests = new ArrayList<>();
        for (int n = 1; n <= CALLS.size(); n++) {
            ConnectionRequested r = Requests.withPlan(Requests.nameservers("s2-after-call-" + n + "-" + tag,
                    "s2-after-call-" + n + "-" + tag + ".com", n));
            requests.add(r);
            killAfter.put(DomainNames.normalize(r.getDomain()), n);
        }
        Map<String, List<WixStep>> seen = new ConcurrentHashMap<>();
        CountDownLatch allAtTheirCall = new CountDownLatch(requests.size());
        AtomicReference<DomainConnectorApp> victim = new AtomicReference<>();
        AfterWixCall hook = (request, step) -> {
            String domain = request.getContext().getDomain();
            List<WixStep> steps = seen.computeIfAbsent(domain, d -> java.util.Collections.synchronizedList(new ArrayList<>()));
            steps.add(step);
            if (killAfter.containsKey(domain) && steps.size() == killAfter.get(domain)) {
                allAtTheirCall.countDown();
                try {
                    allAtTheirCall.await(60, TimeUnit.SECONDS);   // every domain has had exactly its calls: now the kill
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ConnectorTestHooks.halt(victim.get());
                throw new CancellationException("simulated kill after " + step);
            }
        };
        victim.set(s.pipeline.startConnector("c-s2", hook));
        s.upstream.requests(requests);
        synchronized (expected) {
            expected.requests(requests).allConnected();
        }
        assertThat(victim.get().awaitTermination(Duration.ofSeconds(90))).as("the instance died").isTrue();
        for (ConnectionRequested r : requests) {
            int n = killAfter.get(DomainNames.normalize(r.getDomain()));
            assertThat(seen.get(DomainNames.normalize(r.getDomain()))).as("calls before the kill of %s", r.getDomain())
                    .containsExactlyElementsOf(CALLS.subList(0, n));
        }
        assertThat(s.verifier.refresh().values(Topics.CONFIGURED)).as("nothing of the killed instance is visible")
                .noneMatch(c -> c.getContext().getRequestId().contains(tag));

        Pipeline.Instance successor = s.pipeline.start(Service.CONNECTOR, "c-s2");   // same transactional id
        Verifier.Report report = s.verifier.awaitInvariants("S2 connector killed after each Wix call", expected, Scenarios.RECOVERY);
        successor.close();
        s.pipeline.forget(successor);
        assertThat(report.holds()).as("%s", report).isTrue();
        for (ConnectionRequested r : requests) {   // the repeat really happened, and was absorbed
            String domain = DomainNames.normalize(r.getDomain());
            int n = killAfter.get(domain);
            if (n >= 2) {
                assertThat(s.sandbox.calls().stream().filter(c -> domain.equals(c.domain())
                        && c.endpoint() == io.domainlink.wix.sandbox.Endpoint.CREATE_CONNECTED_DOMAIN)).as("creates of %s", domain).hasSize(2);
            }
            assertThat(s.sandbox.count(Effect.DOMAIN_CREATED, domain)).isEqualTo(1);
            assertThat(s.sandbox.count(Effect.ZONE_UPDATED, domain)).isEqualTo(1);
        }
    }

    @Test
    void s2_killedInsideTheTransactionBeforeItsCommitNothingIsVisibleAndTheNextIncarnationPublishesOnce() throws Exception {
        List<ConnectionRequested> requests = Requests.mixed("s2-before-commit", 10, 2);
        synchronized (expected) {
            expected.requests(requests).allConnected();
        }
        DomainConnectorApp victim = s.pipeline.startConnectorDyingBeforeCommit("c-s2-commit");
        s.upstream.requests(requests);
        assertThat(victim.awaitTermination(Duration.ofSeconds(90))).as("the instance died").isTrue();
        AtomicInteger visible = new AtomicInteger();
        s.verifier.refresh().values(Topics.CONFIGURED).forEach(c -> {
            if (requests.stream().anyMatch(r -> r.getRequestId().equals(c.getContext().getRequestId()))) {
                visible.incrementAndGet();
            }
        });
        assertThat(visible).as("events of the open transaction").hasValue(0);

        Pipeline.Instance successor = s.pipeline.start(Service.CONNECTOR, "c-s2-commit");
        Verifier.Report report = s.verifier.awaitInvariants("S2 connector killed before its commit", expected, Scenarios.RECOVERY);
        successor.close();
        s.pipeline.forget(successor);
        assertThat(report.holds()).as("%s", report).isTrue();
    }
}
