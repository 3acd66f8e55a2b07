package io.domainlink.wix.sandbox;

import static io.domainlink.wix.sandbox.WixHttp.ACCOUNT;
import static io.domainlink.wix.sandbox.WixHttp.OTHER_ACCOUNT;
import static io.domainlink.wix.sandbox.WixHttp.SITE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PackagesTest extends SandboxTestBase {
    static final String PRODUCT = Scenario.DEFAULT_PREMIUM_PRODUCT;
    static ManualClock clock;

    @BeforeAll
    static void start() {
        clock = ManualClock.startingAt("2021-12-02T15:45:30.941Z");
        startSandbox(SandboxConfig.defaults().withScenario(new Scenario()).withClock(clock));
    }

    @BeforeEach
    void rewindClock() {
        clock.set(java.time.Instant.parse("2021-12-02T15:45:30.941Z"));
    }

    private static String request(String idempotencyKey, String site, String product) {
        String key = idempotencyKey == null ? "" : "\"idempotencyKey\": \"" + idempotencyKey + "\", ";
        return "{" + key + "\"products\": [{\"catalogProductId\": \"" + product + "\", \"siteId\": \"" + site + "\","
                + " \"billingInfo\": {\"type\": \"RECURRING\", \"cycleDuration\": {\"unit\": \"YEAR\", \"count\": 1}},"
                + " \"countryCode\": \"BR\"}], \"externalId\": \"some-external-id\"}";
    }

    @Test
    void createsAPackageShapedLikeTheReferenceExample() {
        WixHttp.Response r = http.post("/resellers/v2/packages", request(null, SITE, PRODUCT)).send();

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("idempotencyKey").asText()).isEmpty();
        JsonNode pkg = r.json().get("package");
        assertThat(pkg.get("id").asText()).matches("[0-9a-f-]{36}");
        assertThat(pkg.get("accountId").asText()).isEqualTo(ACCOUNT);
        assertThat(pkg.get("externalId").asText()).isEqualTo("some-external-id");
        assertThat(pkg.get("createdDate").asText()).isEqualTo("2021-12-02T15:45:30.941Z");
        assertThat(pkg.get("updatedDate").asText()).isEqualTo("2021-12-02T15:45:30.941Z");
        JsonNode instance = pkg.at("/productInstances/0");
        assertThat(instance.get("instanceId").asText()).matches("[0-9a-f-]{36}");
        assertThat(instance.get("siteId").asText()).isEqualTo(SITE);
        assertThat(instance.get("catalogProductId").asText()).isEqualTo(PRODUCT);
        assertThat(instance.get("status").asText()).isEqualTo("PENDING");
        assertThat(instance.get("billingInfo")).isEqualTo(WixHttp.json(
                "{\"type\": \"RECURRING\", \"cycleDuration\": {\"unit\": \"YEAR\", \"count\": 1}}"));
        assertThat(instance.get("countryCode").asText()).isEqualTo("BR");
        assertThat(instance.get("createdDate").asText()).isEqualTo("2021-12-02T15:45:30.941Z");
    }

    @Test
    void makesTheSitePremiumSoItsDomainCanBeConnected() {
        assertThat(http.createDomain("mysite.com", "POINTING").code()).isEqualTo("NON_PREMIUM_SITE");

        http.post("/resellers/v2/packages", request("k1", SITE, PRODUCT)).send();

        assertThat(http.createDomain("mysite.com", "POINTING").status()).isEqualTo(200);
    }

    @Test
    void replaysTheFirstResponseForTheSameKeyAndBodyWithoutANewPackage() {
        WixHttp.Response first = http.post("/resellers/v2/packages", request("key-1", SITE, PRODUCT)).send();
        WixHttp.Response replay = http.post("/resellers/v2/packages", request("key-1", SITE, PRODUCT)).send();

        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.json()).isEqualTo(first.json());
        assertThat(first.json().get("idempotencyKey").asText()).isEqualTo("key-1");
        assertThat(sandbox.calls(Endpoint.CREATE_PACKAGE)).extracting(CallRecord::effect)
                .containsExactly(Effect.PACKAGE_CREATED, Effect.NONE);
        assertThat(sandbox.calls(Endpoint.CREATE_PACKAGE)).extracting(CallRecord::idempotencyKey)
                .containsExactly("key-1", "key-1");
    }

    @Test
    void answersIdempotencyKeyConflictForTheSameKeyWithADifferentBody() {
        http.post("/resellers/v2/packages", request("key-2", SITE, PRODUCT)).send();

        WixHttp.Response r = http.post("/resellers/v2/packages", request("key-2", WixHttp.OTHER_SITE, PRODUCT))
                .send();

        assertThat(r.status()).isEqualTo(409);
        assertThat(r.code()).isEqualTo("IDEMPOTENCY_KEY_CONFLICT");
    }

    @Test
    void createsANewPackageEachTimeWithoutAKey() {
        WixHttp.Response a = http.post("/resellers/v2/packages", request(null, SITE, PRODUCT)).send();
        WixHttp.Response b = http.post("/resellers/v2/packages", request(null, SITE, PRODUCT)).send();

        assertThat(a.json().at("/package/id")).isNotEqualTo(b.json().at("/package/id"));
    }

    @Test
    void answersProductNotFoundForAProductOutsideTheCatalog() {
        WixHttp.Response r = http.post("/resellers/v2/packages",
                request(null, SITE, "99999999-9999-4999-8999-999999999999")).send();

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.code()).isEqualTo("PRODUCT_NOT_FOUND");
        assertThat(r.json().get("message").asText()).isEqualTo("Product id not found in catalog.");
    }

    @Test
    void answersMissingBillingCycleWithoutBillingInfo() {
        WixHttp.Response r = http.post("/resellers/v2/packages", "{\"products\": [{\"catalogProductId\": \""
                + PRODUCT + "\", \"siteId\": \"" + SITE + "\", \"countryCode\": \"BR\"}]}").send();

        assertThat(r.status()).isEqualTo(428);
        assertThat(r.code()).isEqualTo("MISSING_BILLING_CYCLE");
    }

    @Test
    void requiresProductsAndTheirCountryCode() {
        WixHttp.Response noProducts = http.post("/resellers/v2/packages", "{\"products\": []}").send();
        WixHttp.Response noCountry = http.post("/resellers/v2/packages", "{\"products\": [{\"catalogProductId\": \""
                + PRODUCT + "\", \"billingInfo\": {\"type\": \"ONE_TIME\"}}]}").send();

        assertThat(noProducts.status()).isEqualTo(400);
        assertThat(noProducts.json().at("/details/validationError/fieldViolations/0/field").asText())
                .isEqualTo("products");
        assertThat(noCountry.status()).isEqualTo(400);
        assertThat(noCountry.json().at("/details/validationError/fieldViolations/0/field").asText())
                .isEqualTo("products[0].countryCode");
    }

    @Test
    void createsAFloatingInstanceWithoutSiteThatMakesNoSitePremium() {
        WixHttp.Response r = http.post("/resellers/v2/packages", "{\"products\": [{\"catalogProductId\": \""
                + PRODUCT + "\", \"billingInfo\": {\"type\": \"ONE_TIME\"}, \"countryCode\": \"US\"}]}").send();

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().at("/package/productInstances/0").has("siteId")).isFalse();
        assertThat(http.createDomain("mysite.com", "POINTING").code()).isEqualTo("NON_PREMIUM_SITE");
    }

    // ------------------------------------------------------------------ Cancel Package (C23)

    private static String create(String idempotencyKey) {
        WixHttp.Response r = http.post("/resellers/v2/packages", request(idempotencyKey, SITE, PRODUCT)).send();
        assertThat(r.status()).isEqualTo(200);
        return r.json().at("/package/id").asText();
    }

    private static WixHttp.Response cancel(String packageId) {
        return http.delete("/resellers/v1/packages/" + packageId).send();
    }

    @Test
    void cancelSetsEveryProductInstanceToCanceledAndAnswersThePackage() {
        String id = create("cancel-1");
        clock.advance(Duration.ofMinutes(5));

        WixHttp.Response r = cancel(id);

        assertThat(r.status()).isEqualTo(200);
        JsonNode pkg = r.json().get("package");
        assertThat(pkg.get("id").asText()).isEqualTo(id);
        assertThat(pkg.get("accountId").asText()).isEqualTo(ACCOUNT);
        assertThat(pkg.get("createdDate").asText()).isEqualTo("2021-12-02T15:45:30.941Z");
        assertThat(pkg.get("updatedDate").asText()).isEqualTo("2021-12-02T15:50:30.941Z");
        assertThat(pkg.at("/productInstances/0/status").asText()).isEqualTo("CANCELED");
        assertThat(pkg.at("/productInstances/0/updatedDate").asText()).isEqualTo("2021-12-02T15:50:30.941Z");
        assertThat(pkg.at("/productInstances/0/siteId").asText()).isEqualTo(SITE);
        PackageSnapshot state = sandbox.resellerPackage(id).orElseThrow();
        assertThat(state.canceled()).isTrue();
        assertThat(state.productInstanceStatuses()).containsExactly("CANCELED");
        assertThat(state.canceledDate()).isEqualTo("2021-12-02T15:50:30.941Z");
        CallRecord call = sandbox.calls(Endpoint.CANCEL_PACKAGE).get(0);
        assertThat(call.method()).isEqualTo("DELETE");
        assertThat(call.path()).isEqualTo("/resellers/v1/packages/" + id);
        assertThat(call.packageId()).isEqualTo(id);
        assertThat(call.domain()).isNull();
        assertThat(call.effect()).isEqualTo(Effect.PACKAGE_CANCELED);
    }

    @Test
    void aCancelledPackageNoLongerMakesItsSitePremiumButConnectedDomainsStay() {
        String id = create("cancel-2");
        assertThat(http.createDomain("kept.test", "POINTING").status()).isEqualTo(200);

        cancel(id);

        assertThat(http.createDomain("after-cancel.test", "POINTING").code()).isEqualTo("NON_PREMIUM_SITE");
        assertThat(http.getDomain("kept.test").status()).isEqualTo(200);
    }

    @Test
    void cancellingAgainAnswersTheSameCancelledPackageWithoutANewEffect() {
        String id = create("cancel-3");
        WixHttp.Response first = cancel(id);
        clock.advance(Duration.ofMinutes(1));

        WixHttp.Response again = cancel(id);

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json()).isEqualTo(first.json());
        assertThat(sandbox.calls(Endpoint.CANCEL_PACKAGE)).extracting(CallRecord::effect)
                .containsExactly(Effect.PACKAGE_CANCELED, Effect.NONE);
    }

    @Test
    void replayingTheCreateAfterACancelAnswersTheCancelledPackageAndBuysNothing() {
        String id = create("cancel-4");
        WixHttp.Response cancelled = cancel(id);

        WixHttp.Response replay = http.post("/resellers/v2/packages", request("cancel-4", SITE, PRODUCT)).send();

        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.json().get("idempotencyKey").asText()).isEqualTo("cancel-4");
        assertThat(replay.json().get("package")).isEqualTo(cancelled.json().get("package"));
        assertThat(sandbox.calls(Endpoint.CREATE_PACKAGE)).extracting(CallRecord::effect)
                .containsExactly(Effect.PACKAGE_CREATED, Effect.NONE);
        assertThat(sandbox.packages()).hasSize(1);
        assertThat(http.createDomain("still-free.test", "POINTING").code()).isEqualTo("NON_PREMIUM_SITE");
    }

    @Test
    void anotherAccountsPackageIsNotFoundAndStaysLiveLikeAnUnknownId() {
        String id = create("cancel-5");

        WixHttp.Response foreign = http.delete("/resellers/v1/packages/" + id).account(OTHER_ACCOUNT).send();
        WixHttp.Response unknown = cancel("99999999-9999-4999-8999-999999999999");

        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.code()).isEqualTo("PACKAGE_NOT_FOUND");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.code()).isEqualTo("PACKAGE_NOT_FOUND");
        assertThat(unknown.json().get("message").asText()).contains("99999999-9999-4999-8999-999999999999");
        assertThat(sandbox.resellerPackage(id).orElseThrow().canceled()).isFalse();
        assertThat(http.createDomain("still-premium.test", "POINTING").status()).isEqualTo(200);
    }

    @Test
    void cancelGoesThroughAuthFaultsAndScriptedErrorsLikeEveryCall() {
        String id = create("cancel-6");

        WixHttp.Response noKey = http.delete("/resellers/v1/packages/" + id).header("Authorization", null).send();
        FaultOverride cancelsFail = new FaultOverride();
        cancelsFail.endpoints = List.of(Endpoint.CANCEL_PACKAGE);
        cancelsFail.serverErrorRate = 1.0;
        sandbox.setFaults(new Faults().override(cancelsFail));
        WixHttp.Response faulted = cancel(id);
        sandbox.setFaults(Faults.none());
        sandbox.updateScenario(s -> s.rule(new Scenario.Rule("*").error(new Scenario.ScriptedError(
                Endpoint.CANCEL_PACKAGE, 428, "PACKAGE_NOT_CANCELABLE", "scripted").times(1))));
        WixHttp.Response scripted = cancel(id);
        WixHttp.Response served = cancel(id);

        assertThat(noKey.status()).isEqualTo(401);
        assertThat(faulted.status()).isIn(500, 503);
        assertThat(scripted.status()).isEqualTo(428);
        assertThat(scripted.code()).isEqualTo("PACKAGE_NOT_CANCELABLE");
        assertThat(served.status()).isEqualTo(200);
        assertThat(sandbox.calls(Endpoint.CANCEL_PACKAGE)).extracting(CallRecord::fault)
                .containsExactly(null, "SERVER_ERROR", "SCRIPTED", null);
        assertThat(sandbox.calls(Endpoint.CANCEL_PACKAGE)).extracting(CallRecord::effect)
                .containsExactly(Effect.NONE, Effect.NONE, Effect.NONE, Effect.PACKAGE_CANCELED);
    }

    @Test
    void adminApiShowsPackagesWithTheirState() {
        String id = create("cancel-7");
        cancel(id);

        JsonNode one = http.get("/_sandbox/packages/" + id).send().json();
        JsonNode all = http.get("/_sandbox/packages").send().json();

        assertThat(one.get("id").asText()).isEqualTo(id);
        assertThat(one.get("idempotencyKey").asText()).isEqualTo("cancel-7");
        assertThat(one.get("siteIds")).hasSize(1);
        assertThat(one.get("canceled").asBoolean()).isTrue();
        assertThat(all.get("packages")).hasSize(1);
        assertThat(http.get("/_sandbox/packages/nope").send().status()).isEqualTo(404);
    }
}
