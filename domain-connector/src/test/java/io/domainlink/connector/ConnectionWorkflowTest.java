package io.domainlink.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.domainlink.events.ConnectionAccepted;
import io.domainlink.events.FailureReason;
import io.domainlink.events.Flow;
import io.domainlink.events.OwnerAction;
import io.domainlink.events.RecordType;
import io.domainlink.events.Stage;
import io.domainlink.wix.ApiKey;
import io.domainlink.wix.RetryPolicy;
import io.domainlink.wix.WixClient;
import io.domainlink.wix.WixRateLimiter;
import io.domainlink.wix.sandbox.CallRecord;
import io.domainlink.wix.sandbox.DnsRecord;
import io.domainlink.wix.sandbox.Effect;
import io.domainlink.wix.sandbox.Endpoint;
import io.domainlink.wix.sandbox.Scenario;
import io.domainlink.wix.sandbox.WixSandbox;

class ConnectionWorkflowTest {

    static final List<String> WIX_A = List.of("185.230.63.107", "185.230.63.171", "185.230.63.186");
    static final int MAX_ATTEMPTS = 4;

    static WixSandbox sandbox;
    static WixClient wix;
    final List<WixStep> steps = new CopyOnWriteArrayList<>();
    ConnectionWorkflow workflow;

    @BeforeAll
    static void startSandbox() {
        sandbox = WixSandbox.start();
        wix = WixClient.builder()
                .baseUrl(sandbox.baseUrl())
                .apiKey(ApiKey.of(Scenario.DEFAULT_API_KEY))
                .rateLimiter(WixRateLimiter.unlimited())
                .retryPolicy(RetryPolicy.defaults().withMaxAttempts(MAX_ATTEMPTS).withBackoff(Duration.ZERO, Duration.ofMillis(5), 1.0))
                .build();
    }

    @AfterAll
    static void stopSandbox() {
        wix.close();
        sandbox.close();
    }

    @BeforeEach
    void freshSandbox() {
        sandbox.reset();
        sandbox.updateScenario(s -> s.allSitesPremium = true);
        workflow = new ConnectionWorkflow(wix, Clock.systemUTC(), (request, step) -> steps.add(step));
    }

    @Test
    void nameserversFlowReplacesTheParkedRecordsWithWixsAndAsksTheOwnerToSetWixNameservers() {
        ConnectionAccepted request = Requests.nameservers("apex-ns.test");

        Outcome outcome = workflow.connect(request, "t-0@0");

        assertThat(outcome.isFailed()).isFalse();
        var snapshot = sandbox.domain("apex-ns.test").orElseThrow();
        assertThat(snapshot.connectionType()).isEqualTo("NAMESERVERS");
        assertThat(snapshot.siteId()).isEqualTo(Requests.SITE);
        assertThat(snapshot.zone()).contains(new DnsRecord("A", "apex-ns.test", 3600, WIX_A),
                new DnsRecord("CNAME", "www.apex-ns.test", 3600, List.of("pointing.wixdns.net")));
        assertThat(snapshot.zone()).noneMatch(r -> r.values().contains("192.0.2.1"));
        assertThat(snapshot.zoneHasExpectedRecords()).isTrue();

        var configured = outcome.configured();
        assertThat(configured.getContext()).isEqualTo(request.getContext());
        assertThat(configured.getRecordsSetByPipeline()).extracting(r -> r.getType() + " " + r.getHostName())
                .containsExactly("A apex-ns.test", "CNAME www.apex-ns.test");
        assertThat(configured.getRecordsForOwner()).singleElement().satisfies(ns -> {
            assertThat(ns.getType()).isEqualTo(RecordType.NS);
            assertThat(ns.getValues()).containsExactly("ns12.wixdns.net", "ns13.wixdns.net");
        });
        assertThat(configured.getPackageId()).isNull();
        var action = outcome.ownerAction();
        assertThat(action.getAction()).isEqualTo(OwnerAction.SET_NAMESERVERS);
        assertThat(action.getRegistrar().getNameServers()).containsExactly("ns1.registrar.test", "ns2.registrar.test");
        assertThat(action.getInstructions()).contains("ns1.registrar.test").contains("ns12.wixdns.net");
        assertThat(steps).containsExactly(WixStep.CREATE_CONNECTED_DOMAIN, WixStep.GET_SETUP_INFO, WixStep.PREVIEW_DNS_ZONE,
                WixStep.GET_DNS_ZONE, WixStep.UPDATE_DNS_ZONE);
    }

    @Test
    void nameserversFlowTakesTheRecordsFromSetupInfoWhenWixSendsThemThere() {
        sandbox.updateScenario(s -> s.nameserversSetupInfo = Scenario.NameserversSetupInfo.SAMPLE_FLOW);

        Outcome outcome = workflow.connect(Requests.nameservers("sample-flow.test"), "t-0@0");

        assertThat(outcome.isFailed()).isFalse();
        assertThat(sandbox.calls(Endpoint.PREVIEW_DNS_ZONE)).isEmpty();
        assertThat(sandbox.domain("sample-flow.test").orElseThrow().zoneHasExpectedRecords()).isTrue();
    }

    @Test
    void pointingFlowAsksTheOwnerForTheARecordsAndTheWwwCname() {
        Outcome outcome = workflow.connect(Requests.pointing("apex-pointing.test"), "t-0@1");

        assertThat(sandbox.domain("apex-pointing.test").orElseThrow().connectionType()).isEqualTo("POINTING");
        assertThat(outcome.configured().getRecordsSetByPipeline()).isEmpty();
        assertThat(outcome.configured().getRecordsForOwner())
                .extracting(r -> r.getType() + " " + r.getHostName() + " " + r.getValues())
                .containsExactly("A apex-pointing.test " + WIX_A, "CNAME www.apex-pointing.test [pointing.wixdns.net]");
        assertThat(outcome.ownerAction().getAction()).isEqualTo(OwnerAction.SET_RECORDS);
        assertThat(outcome.ownerAction().getRecords()).isEqualTo(outcome.configured().getRecordsForOwner());
        assertThat(sandbox.calls(Endpoint.UPDATE_DNS_ZONE)).isEmpty();
    }

    @Test
    void subdomainFlowCreatesWithoutAConnectionTypeAndAsksForTheCname() {
        Outcome outcome = workflow.connect(Requests.subdomain("shop.parent.test"), "t-0@2");

        assertThat(sandbox.domain("shop.parent.test").orElseThrow().rootDomain()).isFalse();
        assertThat(outcome.configured().getRecordsForOwner()).singleElement().satisfies(c -> {
            assertThat(c.getType()).isEqualTo(RecordType.CNAME);
            assertThat(c.getValues()).containsExactly("pointing.wixdns.net");
        });
        assertThat(outcome.ownerAction().getInstructions()).contains("CNAME");
    }

    @Test
    void premiumPlanIsBoughtWithAKeyDerivedFromTheRequestIdBeforeTheDomainIsCreated() {
        sandbox.updateScenario(s -> s.allSitesPremium = false);
        ConnectionAccepted request = Requests.withPlan(Requests.nameservers("with-plan.test"));

        Outcome outcome = workflow.connect(request, "t-0@3");

        assertThat(outcome.isFailed()).isFalse();
        List<CallRecord> calls = sandbox.calls();
        assertThat(calls.get(0).endpoint()).isEqualTo(Endpoint.CREATE_PACKAGE);
        assertThat(calls.get(0).idempotencyKey())
                .isEqualTo(ConnectionWorkflow.packageIdempotencyKey(request.getContext().getRequestId()));
        assertThat(calls.get(1).endpoint()).isEqualTo(Endpoint.CREATE_CONNECTED_DOMAIN);
        assertThat(outcome.configured().getPackageId()).isNotBlank();
    }

    @Test
    void idempotencyKeyIsTheSameForTheSameRequestIdAndDiffersBetweenRequests() {
        assertThat(ConnectionWorkflow.packageIdempotencyKey("r-1")).isEqualTo(ConnectionWorkflow.packageIdempotencyKey("r-1"))
                .isNotEqualTo(ConnectionWorkflow.packageIdempotencyKey("r-2")).startsWith("domainlink-pkg-");
    }

    @Test
    void siteWithoutPremiumFailsWithPremiumPlanRequiredTellingTheCallerToRequestAPlan() {
        sandbox.updateScenario(s -> s.allSitesPremium = false);

        Outcome outcome = workflow.connect(Requests.pointing("free-site.test"), "t-0@4");

        assertThat(outcome.failed().getReason()).isEqualTo(FailureReason.PREMIUM_PLAN_REQUIRED);
        assertThat(outcome.failed().getStage()).isEqualTo(Stage.CONNECTOR);
        assertThat(outcome.failed().getWixErrorCode()).isEqualTo("NON_PREMIUM_SITE");
        assertThat(outcome.failed().getWixHttpStatus()).isEqualTo(403);
        assertThat(outcome.failed().getMessage()).contains("premiumPlan");
        assertThat(sandbox.domain("free-site.test")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Scenario.IdenticalRecreate.class)
    void repeatingARequestAfterACrashCreatesNothingTwiceAndGivesTheSameOutcome(Scenario.IdenticalRecreate recreate) {
        sandbox.updateScenario(s -> {
            s.allSitesPremium = false;
            s.identicalRecreate = recreate;
        });
        ConnectionAccepted request = Requests.withPlan(Requests.nameservers("repeat.test"));

        Outcome first = workflow.connect(request, "t-0@5");
        Outcome again = workflow.connect(request, "t-0@5");

        assertThat(again.isFailed()).isFalse();
        assertThat(again.configured().getPackageId()).isEqualTo(first.configured().getPackageId());
        assertThat(again.configured().getRecordsForOwner()).isEqualTo(first.configured().getRecordsForOwner());
        assertThat(sandbox.calls(Endpoint.CREATE_PACKAGE)).filteredOn(c -> c.effect() == Effect.PACKAGE_CREATED).hasSize(1);
        assertThat(sandbox.count(Effect.DOMAIN_CREATED, "repeat.test")).isEqualTo(1);
        assertThat(sandbox.count(Effect.ZONE_UPDATED, "repeat.test")).isEqualTo(1);
    }

    @Test
    void domainConnectedToAnotherSiteFailsAsOwnedElsewhereAndIsLeftAlone() {
        workflow.connect(Requests.accepted("taken.test", Flow.POINTING, io.domainlink.events.ConnectionType.POINTING,
                Requests.ACCOUNT, Requests.OTHER_SITE), "t-0@6");

        Outcome outcome = workflow.connect(Requests.pointing("taken.test"), "t-0@7");

        assertThat(outcome.failed().getReason()).isEqualTo(FailureReason.DOMAIN_OWNED_ELSEWHERE);
        assertThat(outcome.failed().getWixErrorCode()).isEqualTo("DOMAINS_ALREADY_EXISTS");
        assertThat(sandbox.domain("taken.test").orElseThrow().siteId()).isEqualTo(Requests.OTHER_SITE);
    }

    @Test
    void domainConnectedWithAnotherTypeFailsAsOwnedElsewhere() {
        workflow.connect(Requests.pointing("typed.test"), "t-0@8");

        Outcome outcome = workflow.connect(Requests.nameservers("typed.test"), "t-0@9");

        assertThat(outcome.failed().getReason()).isEqualTo(FailureReason.DOMAIN_OWNED_ELSEWHERE);
        assertThat(sandbox.domain("typed.test").orElseThrow().connectionType()).isEqualTo("POINTING");
    }

    @Test
    void domainInAnotherWixAccountFailsAsOwnedElsewhere() {
        workflow.connect(Requests.pointing("foreign.test"), "t-0@10");

        Outcome outcome = workflow.connect(Requests.forAccount(Requests.pointing("foreign.test"),
                "99999999-2222-3333-4444-555555555555"), "t-0@11");

        assertThat(outcome.failed().getReason()).isEqualTo(FailureReason.DOMAIN_OWNED_ELSEWHERE);
        assertThat(outcome.failed().getWixErrorCode()).isEqualTo("DOMAINS_DOMAIN_NOT_PERMITTED");
        assertThat(outcome.failed().getWixHttpStatus()).isEqualTo(403);
    }

    @Test
    void wixFailingEveryAttemptGivesRetriesExhaustedWithTheLastWixErrorAfterTheBudget() {
        sandbox.updateScenario(s -> s.rule(new Scenario.Rule("down.test").error(
                new Scenario.ScriptedError(Endpoint.GET_CONNECTED_DOMAIN_SETUP_INFO, 503, null, ""))));

        Outcome outcome = workflow.connect(Requests.pointing("down.test"), "t-0@12");

        assertThat(outcome.failed().getReason()).isEqualTo(FailureReason.RETRIES_EXHAUSTED);
        assertThat(outcome.failed().getWixHttpStatus()).isEqualTo(503);
        assertThat(outcome.failed().getMessage()).contains("after " + MAX_ATTEMPTS + " attempts");
        assertThat(sandbox.calls(Endpoint.GET_CONNECTED_DOMAIN_SETUP_INFO)).hasSize(MAX_ATTEMPTS);
    }

    @Test
    void aPassing429IsRetriedAndTheRequestStillConfigures() {
        var error = new Scenario.ScriptedError(Endpoint.CREATE_CONNECTED_DOMAIN, 429, "RESOURCE_EXHAUSTED", "slow down").times(2);
        error.retryAfterSeconds = 0;
        sandbox.updateScenario(s -> s.rule(new Scenario.Rule("*.busy.test").error(error)));

        Outcome outcome = workflow.connect(Requests.subdomain("shop.busy.test"), "t-0@13");

        assertThat(outcome.failed()).isNull();
        assertThat(sandbox.calls(Endpoint.CREATE_CONNECTED_DOMAIN)).hasSize(3);
        assertThat(sandbox.count(Effect.DOMAIN_CREATED, "shop.busy.test")).isEqualTo(1);
    }

    @Test
    void permanentWixErrorFailsAtOnceWithTheWixCodeAndMessage() {
        sandbox.updateScenario(s -> s.allSitesPremium = false);
        ConnectionAccepted request = Requests.withPlan(Requests.pointing("bad-product.test"));
        request.getPremiumPlan().setCatalogProductId("not-a-product");

        Outcome outcome = workflow.connect(request, "t-0@14");

        assertThat(outcome.failed().getReason()).isEqualTo(FailureReason.WIX_REJECTED);
        assertThat(outcome.failed().getWixErrorCode()).isEqualTo("PRODUCT_NOT_FOUND");
        assertThat(outcome.failed().getWixHttpStatus()).isEqualTo(404);
        assertThat(outcome.failed().getWixMessage()).contains("not found");
        assertThat(sandbox.calls()).hasSize(1);
    }

    @Test
    void requestWithoutAnAccountFailsAsInvalidWithoutCallingWix() {
        ConnectionAccepted request = Requests.forAccount(Requests.pointing("no-account.test"), "");

        Outcome outcome = workflow.connect(request, "t-0@15");

        assertThat(outcome.failed().getReason()).isEqualTo(FailureReason.INVALID_REQUEST);
        assertThat(outcome.failed().getMessage()).contains("accountId");
        assertThat(sandbox.calls()).isEmpty();
    }

    @Test
    void zoneChangeDeletesOnlyWhatDiffersAndNothingWhenTheZoneIsRight() {
        var wanted = List.of(io.domainlink.wix.DnsRecord.of(io.domainlink.wix.RecordType.A, "z.test", 3600, WIX_A),
                io.domainlink.wix.DnsRecord.of(io.domainlink.wix.RecordType.CNAME, "www.z.test", 3600, List.of("pointing.wixdns.net")));
        var parked = io.domainlink.wix.DnsRecord.of(io.domainlink.wix.RecordType.A, "z.test", 3600, List.of("192.0.2.1"));
        var zone = new io.domainlink.wix.DnsZone("z", "z.test", List.of(parked), false, null);

        var change = ConnectionWorkflow.ZoneChange.between(zone, wanted);
        var none = ConnectionWorkflow.ZoneChange.between(new io.domainlink.wix.DnsZone("z", "z.test",
                List.of(wanted.get(1), io.domainlink.wix.DnsRecord.of(io.domainlink.wix.RecordType.A, "z.test.", 600,
                        List.of(WIX_A.get(2), WIX_A.get(0), WIX_A.get(1)))), false, null), wanted);

        assertThat(change.deletions()).containsExactly(parked);
        assertThat(change.additions()).isEqualTo(wanted);
        assertThat(none.isEmpty()).isTrue();
    }

    // ------------------------------------------------------------------ compensation (compensation.cancel.package)

    /** A request with a plan for a free site whose Create Connected Domain Wix refuses: the domain is in another account. */
    private static ConnectionAccepted planRequestForADomainOwnedElsewhere(String domain) {
        sandbox.updateScenario(s -> {
            s.allSitesPremium = false;
            s.rule(new Scenario.Rule(domain).error(new Scenario.ScriptedError(Endpoint.CREATE_CONNECTED_DOMAIN, 403,
                    "DOMAINS_DOMAIN_NOT_PERMITTED", "Domain " + domain + " isn't permitted for the account.")));
        });
        return Requests.withPlan(Requests.pointing(domain));
    }

    private ConnectionWorkflow compensating() {
        return new ConnectionWorkflow(wix, Clock.systemUTC(), (request, step) -> steps.add(step), true);
    }

    private static String onlyPackageId() {
        assertThat(sandbox.packages()).hasSize(1);
        return sandbox.packages().get(0).id();
    }

    @Test
    void withCompensationAFailedRequestCancelsThePackageItBoughtAndSaysSoInItsDomainFailed() {
        ConnectionAccepted request = planRequestForADomainOwnedElsewhere("elsewhere-on.test");

        Outcome outcome = compensating().connect(request, "t-1@0");

        String packageId = onlyPackageId();
        var failed = outcome.failed();
        assertThat(failed.getReason()).isEqualTo(FailureReason.DOMAIN_OWNED_ELSEWHERE);
        assertThat(failed.getWixErrorCode()).as("the connection's error, not the cancel's").isEqualTo("DOMAINS_DOMAIN_NOT_PERMITTED");
        assertThat(failed.getPackageId()).isEqualTo(packageId);
        assertThat(failed.getPackageCanceled()).isTrue();
        assertThat(failed.getMessage()).contains("another Wix account").contains(packageId + " bought for this request was cancelled");
        assertThat(sandbox.resellerPackage(packageId).orElseThrow().canceled()).isTrue();
        assertThat(sandbox.calls(Endpoint.CANCEL_PACKAGE)).singleElement().satisfies(c -> {
            assertThat(c.packageId()).isEqualTo(packageId);
            assertThat(c.accountId()).isEqualTo(Requests.ACCOUNT);
            assertThat(c.effect()).isEqualTo(Effect.PACKAGE_CANCELED);
        });
        assertThat(steps).containsExactly(WixStep.CREATE_PACKAGE, WixStep.CANCEL_PACKAGE);
    }

    @Test
    void withoutCompensationTheFailedRequestNamesThePackageItBoughtAndLeavesItLive() {
        ConnectionAccepted request = planRequestForADomainOwnedElsewhere("elsewhere-off.test");

        Outcome outcome = workflow.connect(request, "t-1@1");

        String packageId = onlyPackageId();
        assertThat(outcome.failed().getReason()).isEqualTo(FailureReason.DOMAIN_OWNED_ELSEWHERE);
        assertThat(outcome.failed().getPackageId()).isEqualTo(packageId);
        assertThat(outcome.failed().getPackageCanceled()).isNull();
        assertThat(outcome.failed().getMessage()).contains(packageId + " bought for this request was left as it is");
        assertThat(sandbox.resellerPackage(packageId).orElseThrow().canceled()).isFalse();
        assertThat(sandbox.calls(Endpoint.CANCEL_PACKAGE)).isEmpty();
    }

    @Test
    void aCancelThatKeepsFailingStillEndsInOneDomainFailedThatSaysThePackageIsLiveAndWhy() {
        ConnectionAccepted request = planRequestForADomainOwnedElsewhere("cancel-down.test");
        io.domainlink.wix.sandbox.FaultOverride cancelsFail = new io.domainlink.wix.sandbox.FaultOverride();
        cancelsFail.endpoints = List.of(Endpoint.CANCEL_PACKAGE);
        cancelsFail.serverErrorRate = 1.0;
        cancelsFail.serverErrorStatuses = List.of(503);
        sandbox.setFaults(new io.domainlink.wix.sandbox.Faults().override(cancelsFail));
        try {
            Outcome outcome = compensating().connect(request, "t-1@2");

            String packageId = onlyPackageId();
            var failed = outcome.failed();
            assertThat(failed.getReason()).isEqualTo(FailureReason.DOMAIN_OWNED_ELSEWHERE);
            assertThat(failed.getWixErrorCode()).isEqualTo("DOMAINS_DOMAIN_NOT_PERMITTED");
            assertThat(failed.getPackageId()).isEqualTo(packageId);
            assertThat(failed.getPackageCanceled()).isFalse();
            assertThat(failed.getMessage()).contains("Cancelling the Premium package " + packageId)
                    .contains("after " + MAX_ATTEMPTS + " attempts").contains("HTTP 503").contains("still live");
            assertThat(sandbox.calls(Endpoint.CANCEL_PACKAGE)).hasSize(MAX_ATTEMPTS);
            assertThat(sandbox.resellerPackage(packageId).orElseThrow().canceled()).isFalse();
        } finally {
            sandbox.setFaults(io.domainlink.wix.sandbox.Faults.none());
        }
    }

    @Test
    void aPlanThatDidNotMakeTheSitePremiumIsCancelledWithTheRequest() {
        sandbox.updateScenario(s -> {
            s.allSitesPremium = false;
            s.otherProducts = List.of("0a0a0a0a-0000-4000-8000-00000000000a");
        });
        ConnectionAccepted request = Requests.withPlan(Requests.pointing("not-a-plan.test"));
        request.getPremiumPlan().setCatalogProductId("0a0a0a0a-0000-4000-8000-00000000000a");

        Outcome outcome = compensating().connect(request, "t-1@3");

        assertThat(outcome.failed().getReason()).isEqualTo(FailureReason.PREMIUM_PLAN_REQUIRED);
        assertThat(outcome.failed().getWixErrorCode()).isEqualTo("NON_PREMIUM_SITE");
        assertThat(outcome.failed().getPackageCanceled()).isTrue();
        assertThat(sandbox.resellerPackage(onlyPackageId()).orElseThrow().canceled()).isTrue();
    }

    @Test
    void aRequestWhoseCreatePackageFailedHasNoPackageToNameOrCancel() {
        ConnectionAccepted request = Requests.withPlan(Requests.pointing("no-package.test"));
        request.getPremiumPlan().setCatalogProductId("not-a-product");

        Outcome outcome = compensating().connect(request, "t-1@4");

        assertThat(outcome.failed().getWixErrorCode()).isEqualTo("PRODUCT_NOT_FOUND");
        assertThat(outcome.failed().getPackageId()).isNull();
        assertThat(outcome.failed().getPackageCanceled()).isNull();
        assertThat(sandbox.calls(Endpoint.CANCEL_PACKAGE)).isEmpty();
    }

    @Test
    void aRerunAfterTheCancelEndsOnTheAlreadyCancelledPackageAndNeverConnectsTheDomain() {
        ConnectionAccepted request = planRequestForADomainOwnedElsewhere("rerun.test");
        Outcome first = compensating().connect(request, "t-1@5");
        // what could change before the re-delivery: the refusal was transient and the site is premium by other means
        sandbox.updateScenario(s -> {
            s.rules.clear();
            s.allSitesPremium = true;
        });
        sandbox.clearCalls();
        steps.clear();

        Outcome again = compensating().connect(request, "t-1@5");

        assertThat(first.failed().getPackageCanceled()).isTrue();
        var failed = again.failed();
        assertThat(failed).as("still failed").isNotNull();
        assertThat(failed.getPackageId()).isEqualTo(first.failed().getPackageId());
        assertThat(failed.getPackageCanceled()).isTrue();
        assertThat(failed.getReason()).isEqualTo(FailureReason.PREMIUM_PLAN_REQUIRED);
        assertThat(failed.getMessage()).contains("already cancelled");
        assertThat(sandbox.calls()).singleElement().satisfies(c -> {
            assertThat(c.endpoint()).isEqualTo(Endpoint.CREATE_PACKAGE);
            assertThat(c.effect()).as("replayed, nothing bought").isEqualTo(Effect.NONE);
        });
        assertThat(sandbox.domain("rerun.test")).isEmpty();
        assertThat(steps).containsExactly(WixStep.CREATE_PACKAGE);
    }
}
