package io.domainlink.wix.sandbox;

import static io.domainlink.wix.sandbox.WixHttp.ACCOUNT;
import static io.domainlink.wix.sandbox.WixHttp.SITE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CallLogAndAdminTest extends SandboxTestBase {

    @BeforeAll
    static void start() {
        startSandbox(SandboxConfig.defaults().withScenario(new Scenario().allSitesPremium(true)));
    }

    @BeforeEach
    void allSitesPremium() {
        sandbox.updateScenario(s -> s.allSitesPremium(true));
    }

    @Test
    void recordsEveryCallWithItsEffect() {
        http.createDomain("Log.Test", "NAMESERVERS");
        http.createDomain("log.test", "NAMESERVERS");
        http.getDomain("nothere.test");

        assertThat(sandbox.calls()).hasSize(3);
        CallRecord created = sandbox.calls().get(0);
        assertThat(created.seq()).isEqualTo(1);
        assertThat(created.method()).isEqualTo("POST");
        assertThat(created.path()).isEqualTo("/domains/v1/connected-domains");
        assertThat(created.endpoint()).isEqualTo(Endpoint.CREATE_CONNECTED_DOMAIN);
        assertThat(created.accountId()).isEqualTo(ACCOUNT);
        assertThat(created.siteId()).isEqualTo(SITE);
        assertThat(created.domain()).isEqualTo("log.test");
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.code()).isNull();
        assertThat(created.effect()).isEqualTo(Effect.DOMAIN_CREATED);
        assertThat(created.time()).endsWith("Z");
        assertThat(sandbox.calls().get(1).effect()).isEqualTo(Effect.NONE);
        assertThat(sandbox.calls().get(2).status()).isEqualTo(404);
        assertThat(sandbox.calls().get(2).code()).isEqualTo("NOT_FOUND");
        assertThat(sandbox.count(Effect.DOMAIN_CREATED, "log.test")).isEqualTo(1);
    }

    @Test
    void servesAndClearsTheCallLogOverHttp() {
        http.createDomain("a.test", "POINTING");
        http.getDomain("a.test");
        http.getDomain("b.test");

        JsonNode all = http.get("/_sandbox/calls").send().json().get("calls");
        JsonNode forA = http.get("/_sandbox/calls?domain=a.test&endpoint=GET_CONNECTED_DOMAIN").send().json()
                .get("calls");
        WixHttp.Response cleared = http.delete("/_sandbox/calls").send();

        assertThat(all).hasSize(3);
        assertThat(all.get(0).get("effect").asText()).isEqualTo("DOMAIN_CREATED");
        assertThat(all.get(0).get("endpoint").asText()).isEqualTo("CREATE_CONNECTED_DOMAIN");
        assertThat(forA).hasSize(1);
        assertThat(cleared.status()).isEqualTo(200);
        assertThat(sandbox.calls()).isEmpty();
    }

    @Test
    void showsTheFullInternalStateOfADomainIncludingItsZone() {
        http.createDomain("state.test", "NAMESERVERS");

        JsonNode state = http.get("/_sandbox/domains/state.test").send().json();
        JsonNode all = http.get("/_sandbox/domains").send().json();

        assertThat(state.get("domain").asText()).isEqualTo("state.test");
        assertThat(state.get("accountId").asText()).isEqualTo(ACCOUNT);
        assertThat(state.get("connectionType").asText()).isEqualTo("NAMESERVERS");
        assertThat(state.get("rootDomain").asBoolean()).isTrue();
        assertThat(state.get("dnsPropagationStatus").asText()).isEqualTo("UNKNOWN_DNS_PROPAGATION_STATUS");
        assertThat(state.get("zoneHasExpectedRecords").asBoolean()).isFalse();
        assertThat(state.get("zone")).hasSize(3);
        assertThat(all.get("domains")).hasSize(1);
        assertThat(http.get("/_sandbox/domains/none.test").send().status()).isEqualTo(404);
    }

    @Test
    void replacesFaultsAndScenarioOverHttp() {
        WixHttp.Response faults = http.put("/_sandbox/faults",
                "{\"tooManyRequestsRate\": 1.0, \"retryAfterSeconds\": 9}").send();
        assertThat(faults.json().get("retryAfterSeconds").asInt()).isEqualTo(9);
        assertThat(http.get("/domains/v1/connected-domains").send().status()).isEqualTo(429);
        assertThat(http.get("/_sandbox/faults").send().json().get("tooManyRequestsRate").asDouble()).isEqualTo(1.0);

        WixHttp.Response scenario = http.put("/_sandbox/scenario",
                "{\"allSitesPremium\": false, \"identicalRecreate\": \"CONFLICT\"}").send();

        assertThat(scenario.status()).isEqualTo(200);
        assertThat(scenario.json().get("identicalRecreate").asText()).isEqualTo("CONFLICT");
        assertThat(scenario.json().get("apiKeys").get(WixHttp.KEY).get(0).asText()).isEqualTo("*");
        assertThat(http.get("/domains/v1/connected-domains").send().status()).isEqualTo(200); // faults replaced too
        assertThat(http.createDomain("free.test", "POINTING").code()).isEqualTo("NON_PREMIUM_SITE");
    }

    @Test
    void rejectsAScenarioWithAnUnknownProperty() {
        WixHttp.Response r = http.put("/_sandbox/scenario", "{\"allSitesPremum\": true}").send();

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("message").asText()).contains("allSitesPremum");
    }

    @Test
    void resetForgetsEverythingAndRestoresTheStartScenario() {
        http.createDomain("gone.test", "POINTING");
        sandbox.updateScenario(s -> s.identicalRecreate(Scenario.IdenticalRecreate.CONFLICT));

        WixHttp.Response r = http.post("/_sandbox/reset", "").send();

        assertThat(r.status()).isEqualTo(200);
        assertThat(sandbox.domains()).isEmpty();
        assertThat(sandbox.calls()).isEmpty();
        assertThat(sandbox.scenario().identicalRecreate).isEqualTo(Scenario.IdenticalRecreate.OK);
    }

    @Test
    void answersUnknownAdminPathsWith404() {
        assertThat(http.get("/_sandbox/nothing").send().status()).isEqualTo(404);
        assertThat(http.delete("/_sandbox/reset").send().status()).isEqualTo(405);
    }
}
