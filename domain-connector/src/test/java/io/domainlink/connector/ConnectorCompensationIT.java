package io.domainlink.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.domainlink.events.ConnectionAccepted;
import io.domainlink.events.ConnectionType;
import io.domainlink.events.DomainFailed;
import io.domainlink.events.FailureReason;
import io.domainlink.events.Flow;
import io.domainlink.events.Stage;
import io.domainlink.testsupport.KafkaCluster;
import io.domainlink.testsupport.KafkaClusterExtension;
import io.domainlink.testsupport.SchemaRegistryExtension;
import io.domainlink.testsupport.SchemaRegistryProcess;
import io.domainlink.wix.sandbox.CallRecord;
import io.domainlink.wix.sandbox.Effect;
import io.domainlink.wix.sandbox.Endpoint;
import io.domainlink.wix.sandbox.PackageSnapshot;
import io.domainlink.wix.sandbox.SandboxConfig;
import io.domainlink.wix.sandbox.Scenario;
import io.domainlink.wix.sandbox.WixSandbox;

/**
 * The connector with {@code COMPENSATION_CANCEL_PACKAGE=true} on a real broker, the real registry and the sandbox: a
 * request with a plan whose domain Wix refuses for good after the package was bought ends with the package cancelled
 * at Wix and one DomainFailed saying so, also when the instance dies right after the cancel. (The default, off, is in
 * {@code ConnectorFlowsIT}.)
 */
@ExtendWith({KafkaClusterExtension.class, SchemaRegistryExtension.class})
class ConnectorCompensationIT {

    static final Duration WAIT = Duration.ofSeconds(45);
    static final Map<String, String> COMPENSATING = Map.of(ConnectorConfig.COMPENSATION_CANCEL_PACKAGE, "true",
            ConnectorConfig.WIX_RATE_LIMIT, "6000");
    /** Every domain under it is connected in another Wix account: Create Connected Domain answers 403 (choice C6). */
    static final String REFUSED = "*.refused.test";

    static KafkaCluster kafka;
    static SchemaRegistryProcess registry;
    static WixSandbox sandbox;
    static Harness h;

    @BeforeAll
    static void start() {
        sandbox = WixSandbox.start(SandboxConfig.defaults().withScenario(new Scenario().rule(new Scenario.Rule(REFUSED)
                .error(new Scenario.ScriptedError(Endpoint.CREATE_CONNECTED_DOMAIN, 403, "DOMAINS_DOMAIN_NOT_PERMITTED",
                        "Domain isn't permitted for the account.")))));
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

    /** A plan for a free site of its own, for a domain Wix refuses. */
    static ConnectionAccepted planForRefusedDomain(String domain, int n) {
        return Requests.withPlan(Requests.accepted(domain, Flow.POINTING, ConnectionType.POINTING, Requests.ACCOUNT, Requests.freeSite(n)));
    }

    static PackageSnapshot packageOf(ConnectionAccepted request) {
        String key = ConnectionWorkflow.packageIdempotencyKey(request.getContext().getRequestId());
        List<PackageSnapshot> bought = sandbox.packages().stream().filter(p -> key.equals(p.idempotencyKey())).toList();
        assertThat(bought).as("packages bought for " + request.getContext().getRequestId()).hasSize(1);
        return bought.get(0);
    }

    static DomainFailed awaitOneFailure(ConnectionAccepted request) {
        String id = request.getContext().getRequestId();
        Harness.await(WAIT, "failed " + id, () -> !h.failed(id).isEmpty());
        h.awaitNoLag(WAIT);
        assertThat(h.configured(id)).isEmpty();
        assertThat(h.ownerActions(id)).isEmpty();
        List<DomainFailed> failed = h.failed(id);
        assertThat(failed).hasSize(1);
        return failed.get(0);
    }

    static List<CallRecord> cancels(PackageSnapshot pkg) {
        return sandbox.calls(Endpoint.CANCEL_PACKAGE).stream().filter(c -> pkg.id().equals(c.packageId())).toList();
    }

    @Test
    void aPlanRequestRefusedAfterItsPackageWasBoughtEndsWithThePackageCancelledAndOneDomainFailedSayingSo() throws Exception {
        ConnectionAccepted request = planForRefusedDomain("a.refused.test", 1);

        try (DomainConnectorApp app = h.start("compensating", COMPENSATING, AfterWixCall.NONE, ConnectorLoop.BeforeCommit.NONE)) {
            h.publish(request);
            DomainFailed failed = awaitOneFailure(request);

            PackageSnapshot pkg = packageOf(request);
            assertThat(pkg.canceled()).isTrue();
            assertThat(pkg.productInstanceStatuses()).containsExactly("CANCELED");
            assertThat(cancels(pkg)).extracting(CallRecord::effect).containsExactly(Effect.PACKAGE_CANCELED);
            assertThat(failed.getReason()).isEqualTo(FailureReason.DOMAIN_OWNED_ELSEWHERE);
            assertThat(failed.getStage()).isEqualTo(Stage.CONNECTOR);
            assertThat(failed.getWixErrorCode()).isEqualTo("DOMAINS_DOMAIN_NOT_PERMITTED");
            assertThat(failed.getPackageId()).isEqualTo(pkg.id());
            assertThat(failed.getPackageCanceled()).isTrue();
            assertThat(failed.getMessage()).contains("was cancelled");
            assertThat(failed.getContext().getCorrelation()).containsEntry("ticket", "T-a.refused.test");
            Harness.await(WAIT, "compensation counted", () -> app.metrics().packagesCanceled() == 1);
            assertThat(app.metrics().packageCancelsFailed()).isZero();
        }
    }

    @Test
    void killedRightAfterTheCancelTheRestartedInstanceCancelsNothingTwiceConnectsNothingAndPublishesOneDomainFailed()
            throws Exception {
        String domain = "crash.refused.test";
        ConnectionAccepted request = planForRefusedDomain(domain, 2);
        AtomicReference<DomainConnectorApp> victim = new AtomicReference<>();
        List<WixStep> seen = new ArrayList<>();
        AfterWixCall killAfterCancel = (r, step) -> {
            if (r.getContext().getDomain().equals(domain)) {
                seen.add(step);
                if (step == WixStep.CANCEL_PACKAGE) {
                    victim.get().halt();
                    throw new CancellationException("simulated kill after " + step);
                }
            }
        };
        victim.set(h.start("compensation-crash", COMPENSATING, killAfterCancel, ConnectorLoop.BeforeCommit.NONE));
        h.publish(request);
        assertThat(victim.get().awaitTermination(WAIT)).as("killed").isTrue();
        assertThat(seen).containsExactly(WixStep.CREATE_PACKAGE, WixStep.CANCEL_PACKAGE);
        assertThat(packageOf(request).canceled()).as("cancelled before the kill").isTrue();
        assertThat(h.failed(request.getContext().getRequestId())).as("nothing published before the kill").isEmpty();

        DomainFailed failed;
        try (DomainConnectorApp restarted = h.start("compensation-crash", COMPENSATING, AfterWixCall.NONE,
                ConnectorLoop.BeforeCommit.NONE)) {
            failed = awaitOneFailure(request);
        }

        PackageSnapshot pkg = packageOf(request);
        String key = ConnectionWorkflow.packageIdempotencyKey(request.getContext().getRequestId());
        assertThat(sandbox.calls(Endpoint.CREATE_PACKAGE)).filteredOn(c -> key.equals(c.idempotencyKey()))
                .extracting(CallRecord::effect).containsExactly(Effect.PACKAGE_CREATED, Effect.NONE);
        assertThat(cancels(pkg)).extracting(CallRecord::effect).containsExactly(Effect.PACKAGE_CANCELED);
        assertThat(sandbox.domain(domain)).isEmpty();
        assertThat(failed.getPackageId()).isEqualTo(pkg.id());
        assertThat(failed.getPackageCanceled()).isTrue();
        assertThat(failed.getReason()).isEqualTo(FailureReason.PREMIUM_PLAN_REQUIRED);
        assertThat(failed.getMessage()).contains("already cancelled");
    }
}
