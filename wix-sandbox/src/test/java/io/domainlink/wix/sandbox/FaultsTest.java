package io.domainlink.wix.sandbox;

import static io.domainlink.wix.sandbox.WixHttp.ACCOUNT;
import static io.domainlink.wix.sandbox.WixHttp.OTHER_ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FaultsTest extends SandboxTestBase {

    @BeforeAll
    static void start() {
        startSandbox(SandboxConfig.defaults().withScenario(new Scenario().allSitesPremium(true)));
    }

    private WixHttp.Response list() {
        return http.get("/domains/v1/connected-domains").send();
    }

    @Test
    void dropsTheConnectionSoTheClientSeesAnIOException() {
        sandbox.setFaults(new Faults().dropConnectionRate(1.0));

        assertThatThrownBy(() -> http.post("/domains/v1/connected-domains",
                "{\"connectedDomain\": {\"domain\": \"drop.test\", \"connectionType\": \"POINTING\"}}")
                .site(WixHttp.SITE).sendRaw()).isInstanceOf(IOException.class);

        CallRecord call = sandbox.calls().get(0);
        assertThat(call.status()).isZero();
        assertThat(call.code()).isEqualTo("CONNECTION_DROPPED");
        assertThat(call.fault()).isEqualTo("DROP");
        assertThat(sandbox.domain("drop.test")).isEmpty();
    }

    @Test
    void answers429WithRetryAfter() {
        sandbox.setFaults(new Faults().tooManyRequestsRate(1.0, 3));

        WixHttp.Response r = list();

        assertThat(r.status()).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("3");
        assertThat(r.code()).isEqualTo("RESOURCE_EXHAUSTED");
        assertThat(sandbox.calls().get(0).fault()).isEqualTo("TOO_MANY_REQUESTS");
    }

    @Test
    void answersServerErrorsWithTheEmptySystemBody() {
        Faults faults = new Faults().serverErrorRate(1.0);
        faults.serverErrorStatuses = List.of(503);
        sandbox.setFaults(faults);

        WixHttp.Response r = list();

        assertThat(r.status()).isEqualTo(503);
        assertThat(r.json()).isEqualTo(WixHttp.json("{\"message\": \"\", \"details\": {}}"));
    }

    @Test
    void addsLatency() {
        sandbox.setFaults(new Faults().latency(150, 50));

        long start = System.nanoTime();
        WixHttp.Response r = list();
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(r.status()).isEqualTo(200);
        assertThat(tookMs).isGreaterThanOrEqualTo(150);
        assertThat(sandbox.calls().get(0).latencyMs()).isBetween(150L, 200L);
    }

    @Test
    void appliesAnOverrideOnlyToItsAccount() {
        FaultOverride slowOther = new FaultOverride().forAccount(OTHER_ACCOUNT);
        slowOther.tooManyRequestsRate = 1.0;
        sandbox.setFaults(new Faults().override(slowOther));

        assertThat(list().status()).isEqualTo(200);
        assertThat(http.get("/domains/v1/connected-domains").account(OTHER_ACCOUNT).send().status()).isEqualTo(429);
    }

    @Test
    void appliesAnOverrideOnlyToMatchingDomains() {
        FaultOverride broken = new FaultOverride().forPattern("*.broken.test");
        broken.serverErrorRate = 1.0;
        sandbox.setFaults(new Faults().override(broken));

        assertThat(http.createDomain("fine.test", "POINTING").status()).isEqualTo(200);
        assertThat(http.createDomain("www.broken.test", null).status()).isIn(500, 503);
    }

    @Test
    void repeatsTheSameFaultsForTheSameSeed() {
        List<Integer> first = statuses(20);
        List<Integer> second = statuses(20);

        assertThat(first).isEqualTo(second);
        assertThat(first).contains(200).containsAnyOf(500, 503, 429);
    }

    private List<Integer> statuses(int n) {
        sandbox.setFaults(new Faults().seed(42).serverErrorRate(0.3).tooManyRequestsRate(0.2, 1));
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            statuses.add(list().status());
        }
        return statuses;
    }

    @Test
    void neverInjectsFaultsIntoTheAdminApi() {
        sandbox.setFaults(new Faults().dropConnectionRate(1.0));

        assertThat(http.get("/_sandbox/calls").send().status()).isEqualTo(200);
    }

    @Test
    void enforcesTheRateLimitPerAccountOverASlidingMinute() {
        ManualClock clock = ManualClock.startingAt("2024-01-01T00:00:00Z");
        try (WixSandbox limited = WixSandbox.start(SandboxConfig.defaults().withClock(clock)
                .withScenario(new Scenario().rateLimitPerMinute(3)))) {
            WixHttp h = new WixHttp(limited);
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                statuses.add(h.get("/domains/v1/connected-domains").send().status());
                clock.advance(Duration.ofSeconds(10));
            }
            WixHttp.Response limitedCall = h.get("/domains/v1/connected-domains").send();
            WixHttp.Response otherAccount = h.get("/domains/v1/connected-domains").account(OTHER_ACCOUNT).send();
            clock.advance(Duration.ofSeconds(30)); // the first call leaves the window
            WixHttp.Response afterSlide = h.get("/domains/v1/connected-domains").send();

            assertThat(statuses).containsExactly(200, 200, 200);
            assertThat(limitedCall.status()).isEqualTo(429);
            assertThat(limitedCall.code()).isEqualTo("RESOURCE_EXHAUSTED");
            assertThat(limitedCall.headers().firstValue("Retry-After")).hasValue("30");
            assertThat(limited.calls().get(3).fault()).isEqualTo("RATE_LIMIT");
            assertThat(limited.calls().get(3).accountId()).isEqualTo(ACCOUNT);
            assertThat(otherAccount.status()).isEqualTo(200);
            assertThat(afterSlide.status()).isEqualTo(200);
        }
    }

    @Test
    void rejectsInvalidFaultsOnTheAdminApi() {
        WixHttp.Response r = http.put("/_sandbox/faults", "{\"serverErrorRate\": 2}").send();

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("message").asText()).contains("serverErrorRate");
    }
}
