package io.domainlink.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.domainlink.events.ConnectionAccepted;
import io.domainlink.events.Flow;
import io.domainlink.testsupport.KafkaCluster;
import io.domainlink.testsupport.KafkaClusterExtension;
import io.domainlink.testsupport.SchemaRegistryExtension;
import io.domainlink.testsupport.SchemaRegistryProcess;
import io.domainlink.wix.sandbox.Effect;
import io.domainlink.wix.sandbox.Endpoint;
import io.domainlink.wix.sandbox.SandboxConfig;
import io.domainlink.wix.sandbox.Scenario;
import io.domainlink.wix.sandbox.WixSandbox;

/**
 * S2 and S10: the instance dies right after each Wix call in turn (and once inside a transaction before its commit);
 * a new incarnation with the same transactional id finishes the request; every Wix effect happened once and a
 * read_committed reader sees exactly one ConnectionConfigured. A zombie with the same transactional id is fenced.
 * The one Wix call a succeeding request never makes, the compensation's Cancel Package, has its kill case in
 * {@code ConnectorCompensationIT}.
 */
@ExtendWith({KafkaClusterExtension.class, SchemaRegistryExtension.class})
class ConnectorCrashIT {

    static final Duration WAIT = Duration.ofSeconds(45);
    /** NAMESERVERS with a plan, schema-shaped setup info: package, create, setup info, preview, zone, update. */
    static final List<WixStep> CALLS = List.of(WixStep.CREATE_PACKAGE, WixStep.CREATE_CONNECTED_DOMAIN, WixStep.GET_SETUP_INFO,
            WixStep.PREVIEW_DNS_ZONE, WixStep.GET_DNS_ZONE, WixStep.UPDATE_DNS_ZONE);
    static final Map<String, String> FAST = Map.of(ConnectorConfig.WIX_RATE_LIMIT, "6000");

    static KafkaCluster kafka;
    static SchemaRegistryProcess registry;
    static WixSandbox sandbox;
    static Harness h;

    @BeforeAll
    static void start() {
        sandbox = WixSandbox.start(SandboxConfig.defaults().withScenario(new Scenario()));
        h = new Harness(kafka, registry.confluentUrl(), sandbox);
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    static ConnectionAccepted nameserversWithPlan(String domain, int n) {
        return Requests.withPlan(Requests.accepted(domain, Flow.NAMESERVERS, io.domainlink.events.ConnectionType.NAMESERVERS,
                Requests.ACCOUNT, Requests.freeSite(n)));
    }

    @ParameterizedTest(name = "killed right after Wix call {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6})
    void killedRightAfterAWixCallTheRestartedInstanceAppliesEachEffectOnceAndPublishesOnce(int n) throws Exception {
        String domain = "crash-" + n + ".test";
        ConnectionAccepted request = nameserversWithPlan(domain, n);
        String id = request.getContext().getRequestId();
        AtomicReference<DomainConnectorApp> victim = new AtomicReference<>();
        AtomicInteger calls = new AtomicInteger();
        List<WixStep> seen = new ArrayList<>();
        AfterWixCall killAfterNth = (r, step) -> {
            if (r.getContext().getDomain().equals(domain)) {
                seen.add(step);
                if (calls.incrementAndGet() == n) {
                    victim.get().halt();
                    throw new java.util.concurrent.CancellationException("simulated kill after " + step);
                }
            }
        };
        victim.set(h.start("crash-" + n, FAST, killAfterNth, ConnectorLoop.BeforeCommit.NONE));
        h.publish(request);
        assertThat(victim.get().awaitTermination(WAIT)).as("killed").isTrue();
        assertThat(seen).containsExactlyElementsOf(CALLS.subList(0, n));
        assertThat(h.configured(id)).isEmpty();

        try (DomainConnectorApp restarted = h.start("crash-" + n, FAST, AfterWixCall.NONE, ConnectorLoop.BeforeCommit.NONE)) {
            Harness.await(WAIT, "configured " + id, () -> !h.configured(id).isEmpty());
            h.awaitNoLag(WAIT);
        }

        assertEffectsOnceAndOneEvent(request);
    }

    @Test
    void killedInsideTheTransactionBeforeItsCommitNothingOfItIsVisibleAndTheRestartPublishesOnce() throws Exception {
        String domain = "crash-commit.test";
        ConnectionAccepted request = nameserversWithPlan(domain, 7);
        AtomicReference<DomainConnectorApp> victim = new AtomicReference<>();
        ConnectorLoop.BeforeCommit killBeforeCommit = () -> {
            victim.get().halt();
            throw new java.util.concurrent.CancellationException("simulated kill before commit");
        };
        victim.set(h.start("crash-commit", FAST, AfterWixCall.NONE, killBeforeCommit));
        h.publish(request);
        assertThat(victim.get().awaitTermination(WAIT)).as("killed").isTrue();
        assertThat(h.configured(request.getContext().getRequestId())).as("open transaction invisible").isEmpty();

        try (DomainConnectorApp restarted = h.start("crash-commit", FAST, AfterWixCall.NONE, ConnectorLoop.BeforeCommit.NONE)) {
            Harness.await(WAIT, "configured", () -> !h.configured(request.getContext().getRequestId()).isEmpty());
            h.awaitNoLag(WAIT);
        }

        assertEffectsOnceAndOneEvent(request);
    }

    @Test
    void aZombieWithTheSameTransactionalIdIsFencedAndNoneOfItsWritesBecomeVisible() throws Exception {
        DomainConnectorApp zombie = h.start("twin", FAST, AfterWixCall.NONE, ConnectorLoop.BeforeCommit.NONE);
        DomainConnectorApp successor = h.start("twin", FAST, AfterWixCall.NONE, ConnectorLoop.BeforeCommit.NONE);
        try {
            List<ConnectionAccepted> requests = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                requests.add(Requests.pointing("zombie-" + i + ".test"));
            }
            sandbox.updateScenario(s -> s.allSitesPremium = true);
            h.publish(requests.toArray(ConnectionAccepted[]::new));

            assertThat(zombie.awaitTermination(WAIT)).as("zombie stopped").isTrue();
            assertThat(zombie.failure()).isInstanceOfAny(ProducerFencedException.class, InvalidProducerEpochException.class);
            Harness.await(WAIT, "all configured", () -> {
                Map<String, Long> counts = h.terminalCounts();
                return requests.stream().allMatch(r -> counts.containsKey(r.getContext().getRequestId()));
            });
            h.awaitNoLag(WAIT);
            Map<String, Long> counts = h.terminalCounts();
            assertThat(requests).allSatisfy(r -> assertThat(counts.get(r.getContext().getRequestId())).isEqualTo(1L));
            assertThat(successor.failure()).isNull();
        } finally {
            successor.close();
            zombie.close();
            sandbox.updateScenario(s -> s.allSitesPremium = false);
        }
    }

    private static void assertEffectsOnceAndOneEvent(ConnectionAccepted request) {
        String id = request.getContext().getRequestId();
        String domain = request.getContext().getDomain();
        String key = ConnectionWorkflow.packageIdempotencyKey(id);
        assertThat(sandbox.calls(Endpoint.CREATE_PACKAGE)).filteredOn(c -> key.equals(c.idempotencyKey()))
                .filteredOn(c -> c.effect() == Effect.PACKAGE_CREATED).hasSize(1);
        assertThat(sandbox.count(Effect.DOMAIN_CREATED, domain)).isEqualTo(1);
        assertThat(sandbox.count(Effect.ZONE_UPDATED, domain)).isEqualTo(1);
        assertThat(sandbox.domain(domain).orElseThrow().zoneHasExpectedRecords()).isTrue();
        assertThat(h.configured(id)).hasSize(1);
        assertThat(h.ownerActions(id)).hasSize(1);
        assertThat(h.failed(id)).isEmpty();
    }
}
