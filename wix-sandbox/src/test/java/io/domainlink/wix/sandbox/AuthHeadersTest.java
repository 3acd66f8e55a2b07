package io.domainlink.wix.sandbox;

import static io.domainlink.wix.sandbox.WixHttp.OTHER_ACCOUNT;
import static io.domainlink.wix.sandbox.WixHttp.SITE;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AuthHeadersTest extends SandboxTestBase {
    static final String RESTRICTED_KEY = "restricted-key";

    @BeforeAll
    static void start() {
        Scenario scenario = new Scenario().allSitesPremium(true).apiKey(RESTRICTED_KEY, WixHttp.ACCOUNT);
        startSandbox(SandboxConfig.defaults().withScenario(scenario));
    }

    @Test
    void answers401UnauthenticatedWithoutAuthorization() {
        WixHttp.Response r = http.get("/domains/v1/connected-domains").header("Authorization", null).send();

        assertThat(r.status()).isEqualTo(401);
        assertThat(r.code()).isEqualTo("UNAUTHENTICATED");
        assertThat(r.json().at("/details/applicationError/description").asText()).isNotEmpty();
    }

    @Test
    void answers401ForAnUnknownKeyAndForABearerPrefix() {
        assertThat(http.get("/domains/v1/connected-domains").header("Authorization", "wrong").send().status())
                .isEqualTo(401);
        assertThat(http.get("/domains/v1/connected-domains")
                .header("Authorization", "Bearer " + WixHttp.KEY).send().status()).isEqualTo(401);
    }

    @Test
    void answers403GuidNotFoundWithoutAccountHeader() {
        WixHttp.Response r = http.get("/domains/v1/connected-domains").account(null).send();

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.code()).isEqualTo("DOMAINS_GUID_NOT_FOUND");
    }

    @Test
    void answers400GuidNotValidForAnAccountIdThatIsNoGuid() {
        WixHttp.Response r = http.get("/domains/v1/connected-domains").account("my-account").send();

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.code()).isEqualTo("DOMAINS_GUID_NOT_VALID");
    }

    @Test
    void answers403PermissionDeniedWhenTheKeyMayNotActForTheAccount() {
        WixHttp.Response allowed = http.get("/domains/v1/connected-domains")
                .header("Authorization", RESTRICTED_KEY).send();
        WixHttp.Response denied = http.get("/domains/v1/connected-domains")
                .header("Authorization", RESTRICTED_KEY).account(OTHER_ACCOUNT).send();

        assertThat(allowed.status()).isEqualTo(200);
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.code()).isEqualTo("DOMAINS_PERMISSION_DENIED");
        assertThat(denied.json().get("message").asText()).isEqualTo("Permission denied for account ID "
                + OTHER_ACCOUNT + ".");
    }

    @Test
    void requiresAGuidSiteIdOnCreate() {
        String body = "{\"connectedDomain\": {\"domain\": \"nosite.com\", \"connectionType\": \"POINTING\"}}";

        WixHttp.Response missing = http.post("/domains/v1/connected-domains", body).send();
        WixHttp.Response invalid = http.post("/domains/v1/connected-domains", body).site("site-1").send();
        WixHttp.Response ok = http.post("/domains/v1/connected-domains", body).site(SITE).send();

        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.code()).isEqualTo("DOMAINS_GUID_NOT_VALID");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.code()).isEqualTo("DOMAINS_GUID_NOT_VALID");
        assertThat(ok.status()).isEqualTo(200);
    }

    @Test
    void answersJsonForUnknownPathsAndWrongMethods() {
        WixHttp.Response unknown = http.get("/domains/v2/whatever").send();
        WixHttp.Response wrongMethod = http.put("/domains/v1/connected-domains", "{}").send();

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.code()).isEqualTo("NOT_FOUND");
        assertThat(wrongMethod.status()).isEqualTo(405);
    }

    @Test
    void answersAValidationErrorForABodyThatIsNotJson() {
        WixHttp.Response r = http.post("/domains/v1/connected-domains", "{not json").site(SITE).send();

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().at("/details/validationError/fieldViolations/0/violatedRule").asText())
                .isEqualTo("FORMAT");
    }
}
