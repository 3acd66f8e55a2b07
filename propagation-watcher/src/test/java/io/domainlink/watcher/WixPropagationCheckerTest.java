package io.domainlink.watcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.domainlink.events.PropagationStatus;
import io.domainlink.watcher.PropagationChecker.CheckRequest;
import io.domainlink.wix.ApiKey;
import io.domainlink.wix.AssignmentType;
import io.domainlink.wix.ConnectedDomain;
import io.domainlink.wix.ConnectionType;
import io.domainlink.wix.WixClient;
import io.domainlink.wix.WixRateLimiter;
import io.domainlink.wix.sandbox.Endpoint;
import io.domainlink.wix.sandbox.SandboxConfig;
import io.domainlink.wix.sandbox.Scenario;
import io.domainlink.wix.sandbox.WixSandbox;

/** The real checker against the Wix sandbox over HTTP: one call per check, every answer classified. */
class WixPropagationCheckerTest {

    static final String ACCOUNT = "11111111-2222-4333-8444-555555555555";
    static final String OTHER_ACCOUNT = "99999999-2222-4333-8444-555555555555";
    static final String SITE = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";

    private WixSandbox wix;
    private WixClient client;
    private WixPropagationChecker checker;

    @BeforeEach
    void start() {
        Scenario scenario = new Scenario().allSitesPremium(true).propagationDelayMs(0)
                .rule(new Scenario.Rule("flaky.test").error(withRetryAfter(
                        new Scenario.ScriptedError(Endpoint.GET_CONNECTED_DOMAIN, 503, "UNAVAILABLE", "try later").times(1))));
        wix = WixSandbox.start(SandboxConfig.defaults().withScenario(scenario));
        client = WixClient.builder().baseUrl(wix.baseUrl()).apiKey(ApiKey.of(Scenario.DEFAULT_API_KEY))
                .rateLimiter(WixRateLimiter.unlimited()).build();
        checker = new WixPropagationChecker(client);
    }

    private static Scenario.ScriptedError withRetryAfter(Scenario.ScriptedError e) {
        e.retryAfterSeconds = 7;
        return e;
    }

    @AfterEach
    void stop() {
        client.close();
        wix.close();
    }

    private void connect(String domain) {
        client.createConnectedDomain(ACCOUNT, SITE, ConnectedDomain.toCreate(domain, ConnectionType.POINTING, AssignmentType.PRIMARY));
    }

    private CheckResult check(String domain, String account) {
        return checker.check(new CheckRequest(domain, account, "r-1", 0));
    }

    @Test
    void readsThePropagationStatusAsItChanges() {
        connect("shop.test");
        assertThat(check("shop.test", ACCOUNT)).isEqualTo(CheckResult.status(PropagationStatus.UNKNOWN_DNS_PROPAGATION_STATUS));
        wix.ownerSetRecords("shop.test");
        assertThat(check("shop.test", ACCOUNT)).isEqualTo(CheckResult.status(PropagationStatus.COMPLETED));
        assertThat(wix.calls(Endpoint.GET_CONNECTED_DOMAIN)).hasSize(2);
    }

    @Test
    void anUnknownDomainIsNotFound() {
        assertThat(check("never-created.test", ACCOUNT)).isInstanceOfSatisfying(CheckResult.NotFound.class, nf -> {
            assertThat(nf.httpStatus()).isEqualTo(404);
            assertThat(nf.wixCode()).isEqualTo("NOT_FOUND");
        });
    }

    @Test
    void aServerErrorIsRetryableWithItsRetryAfterAndIsNotRetriedInline() {
        connect("flaky.test");
        assertThat(check("flaky.test", ACCOUNT)).isInstanceOfSatisfying(CheckResult.Retryable.class, r -> {
            assertThat(r.httpStatus()).isEqualTo(503);
            assertThat(r.retryAfter()).hasSeconds(7);
        });
        assertThat(wix.calls(Endpoint.GET_CONNECTED_DOMAIN)).as("one attempt: the watcher reschedules").hasSize(1);
    }

    @Test
    void aDomainOfAnotherAccountIsARejectionNotAFailure() {
        connect("theirs.test");
        assertThat(check("theirs.test", OTHER_ACCOUNT)).isInstanceOfSatisfying(CheckResult.Rejected.class,
                r -> assertThat(r.httpStatus()).isEqualTo(403));
    }
}
