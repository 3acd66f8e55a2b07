package io.domainlink.wix.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ScriptedRulesTest extends SandboxTestBase {
    static final ManualClock CLOCK = ManualClock.startingAt("2024-03-01T10:00:00Z");
    static final String SCENARIO = """
            {"allSitesPremium": true,
             "propagation": {"delayMs": 2000},
             "rules": [
               {"pattern": "*.fail.test", "propagation": "FAILED"},
               {"pattern": "*.never.test", "propagation": "NEVER"},
               {"pattern": "slow.test", "propagationDelayMs": 60000},
               {"pattern": "self.test", "autoOwnerRecordsAfterMs": 500, "propagationDelayMs": 100},
               {"pattern": "*.denied.test",
                "error": {"endpoint": "CREATE_CONNECTED_DOMAIN", "status": 403, "code": "DOMAINS_DOMAIN_NOT_PERMITTED",
                          "message": "Domain isn't permitted for the account."}},
               {"pattern": "flaky-*.test",
                "errors": [{"endpoint": "CREATE_CONNECTED_DOMAIN", "status": 503, "code": "UNAVAILABLE", "times": 2},
                           {"endpoint": "GET_CONNECTED_DOMAIN", "status": 429, "code": "RESOURCE_EXHAUSTED",
                            "message": "slow down", "times": 1, "retryAfterSeconds": 7}]},
               {"pattern": "*.test", "propagation": "COMPLETED"}
             ]}
            """;

    @BeforeAll
    static void start() {
        startSandbox(SandboxConfig.defaults().withClock(CLOCK).withScenario(Scenario.parse(SCENARIO)));
    }

    private void connectAndSetRecords(String domain) {
        assertThat(http.createDomain(domain, "POINTING").status()).isEqualTo(200);
        sandbox.ownerSetRecords(domain);
    }

    @Test
    void failsPropagationForDomainsMatchingAFailedRule() {
        connectAndSetRecords("fail.test"); // fail.test itself does not match *.fail.test
        http.createDomain("shop.fail.test", null);
        sandbox.ownerSetRecords("shop.fail.test");
        CLOCK.advance(Duration.ofSeconds(3));

        assertThat(http.status("shop.fail.test")).isEqualTo("FAILED");
        assertThat(http.status("fail.test")).isEqualTo("COMPLETED");
    }

    @Test
    void keepsPropagationInProgressForeverForANeverRule() {
        http.createDomain("x.never.test", null);
        sandbox.ownerSetRecords("x.never.test");
        CLOCK.advance(Duration.ofDays(3));

        assertThat(http.status("x.never.test")).isEqualTo("IN_PROGRESS");
    }

    @Test
    void usesTheRulesPropagationDelay() {
        connectAndSetRecords("slow.test");
        CLOCK.advance(Duration.ofSeconds(59));
        assertThat(http.status("slow.test")).isEqualTo("IN_PROGRESS");
        CLOCK.advance(Duration.ofSeconds(1));
        assertThat(http.status("slow.test")).isEqualTo("COMPLETED");
    }

    @Test
    void letsTheOwnerSetRecordsByThemselvesForARuleWithAutoOwnerRecords() {
        http.createDomain("self.test", "POINTING");
        CLOCK.advance(Duration.ofMillis(600));

        assertThat(http.status("self.test")).isEqualTo("COMPLETED");
        assertThat(sandbox.domain("self.test").orElseThrow().matchedRule()).isEqualTo("self.test");
    }

    @Test
    void answersAScriptedErrorForTheEndpointWithTheWixBodyShape() {
        WixHttp.Response r = http.createDomain("shop.denied.test", null);

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json()).isEqualTo(WixHttp.json("""
                {"message": "Domain isn't permitted for the account.",
                 "details": {"applicationError": {"code": "DOMAINS_DOMAIN_NOT_PERMITTED",
                   "description": "Domain isn't permitted for the account.", "data": {}}}}
                """));
        assertThat(sandbox.calls().get(0).fault()).isEqualTo("SCRIPTED");
        assertThat(sandbox.domain("shop.denied.test")).isEmpty();
    }

    @Test
    void answersATransientScriptedErrorOnlyForTheFirstNCallsPerDomain() {
        WixHttp.Response first = http.createDomain("flaky-one.test", "POINTING");
        WixHttp.Response second = http.createDomain("flaky-one.test", "POINTING");
        WixHttp.Response third = http.createDomain("flaky-one.test", "POINTING");
        WixHttp.Response otherDomain = http.createDomain("flaky-two.test", "POINTING");
        WixHttp.Response get1 = http.getDomain("flaky-one.test");
        WixHttp.Response get2 = http.getDomain("flaky-one.test");

        assertThat(first.status()).isEqualTo(503);
        assertThat(first.json()).isEqualTo(WixHttp.json("{\"message\": \"\", \"details\": {}}"));
        assertThat(second.status()).isEqualTo(503);
        assertThat(third.status()).isEqualTo(200);
        assertThat(otherDomain.status()).isEqualTo(503);
        assertThat(get1.status()).isEqualTo(429);
        assertThat(get1.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(get2.status()).isEqualTo(200);
        assertThat(sandbox.count(Effect.DOMAIN_CREATED, "flaky-one.test")).isEqualTo(1);
    }

    @Test
    void firstMatchingRuleWins() {
        // *.test comes last: a domain under fail.test gets FAILED, not the catch-all's COMPLETED
        assertThat(sandbox.scenario().ruleFor("deep.shop.fail.test").propagation)
                .isEqualTo(Scenario.Outcome.FAILED);
        assertThat(sandbox.scenario().ruleFor("other.test").propagation).isEqualTo(Scenario.Outcome.COMPLETED);
        assertThat(sandbox.scenario().ruleFor("example.com")).isNull();
    }
}
