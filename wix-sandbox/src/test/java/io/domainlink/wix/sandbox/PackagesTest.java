package io.domainlink.wix.sandbox;

import static io.domainlink.wix.sandbox.WixHttp.ACCOUNT;
import static io.domainlink.wix.sandbox.WixHttp.SITE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PackagesTest {
    static final String PRODUCT = Scenario.DEFAULT_PREMIUM_PRODUCT;
    static WixSandbox sandbox;
    static WixHttp http;

    @BeforeAll
    static void start() {
        sandbox = WixSandbox.start(SandboxConfig.defaults()
                .withScenario(new Scenario()).withClock(ManualClock.startingAt("2021-12-02T15:45:30.941Z")));
        http = new WixHttp(sandbox);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        sandbox.reset();
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
}
