package io.domainlink.wix.sandbox;

import static io.domainlink.wix.sandbox.WixHttp.OTHER_ACCOUNT;
import static io.domainlink.wix.sandbox.WixHttp.OTHER_SITE;
import static io.domainlink.wix.sandbox.WixHttp.SITE;
import static io.domainlink.wix.sandbox.WixHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ConnectedDomainsTest extends SandboxTestBase {

    @BeforeAll
    static void start() {
        startSandbox(SandboxConfig.defaults().withScenario(new Scenario().premiumSite(SITE)));
    }

    /** The response without the dates the reference examples don't show. */
    private static JsonNode withoutDates(JsonNode connectedDomain) {
        ObjectNode copy = connectedDomain.deepCopy();
        copy.remove("createdDate");
        copy.remove("updatedDate");
        return copy;
    }

    @Test
    void createsANameserversDomainExactlyAsTheReferenceExample() {
        WixHttp.Response r = http.post("/domains/v1/connected-domains",
                "{\"connectedDomain\": {\"domain\": \"mysite.com\", \"connectionType\": \"NAMESERVERS\","
                        + " \"siteInfo\": {\"assignmentType\": \"PRIMARY\"}}}").site(SITE).send();

        assertThat(r.status()).isEqualTo(200);
        assertThat(withoutDates(r.json().get("connectedDomain"))).isEqualTo(json("""
                {"id": "mysite.com", "domain": "mysite.com", "connectionType": "NAMESERVERS",
                 "siteInfo": {"id": "%s", "assignmentType": "PRIMARY"},
                 "suppressNotifications": false, "dnsPropagationStatus": "UNKNOWN_DNS_PROPAGATION_STATUS"}
                """.formatted(SITE)));
        assertThat(r.json().at("/connectedDomain/createdDate").asText())
                .matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
        assertThat(sandbox.count(Effect.DOMAIN_CREATED, "mysite.com")).isEqualTo(1);
    }

    @Test
    void createsAPointingDomainAndASubdomainWithoutConnectionType() {
        WixHttp.Response pointing = http.createDomain("mybusiness.com", "POINTING");
        WixHttp.Response sub = http.post("/domains/v1/connected-domains",
                "{\"connectedDomain\": {\"domain\": \"sub.mysite.com\", \"suppressNotifications\": true}}")
                .site(SITE).send();

        assertThat(pointing.json().at("/connectedDomain/connectionType").asText()).isEqualTo("POINTING");
        assertThat(sub.status()).isEqualTo(200);
        assertThat(withoutDates(sub.json().get("connectedDomain"))).isEqualTo(json("""
                {"id": "sub.mysite.com", "domain": "sub.mysite.com", "connectionType": "UNKNOWN_CONNECTION_TYPE",
                 "siteInfo": {"id": "%s", "assignmentType": "PRIMARY"},
                 "suppressNotifications": true, "dnsPropagationStatus": "UNKNOWN_DNS_PROPAGATION_STATUS"}
                """.formatted(SITE)));
    }

    @Test
    void treatsATestDomainAsRootAndItsChildAsSubdomain() {
        assertThat(http.createDomain("example.test", null).code()).isEqualTo("INVALID_CONNECTION_TYPE");
        assertThat(http.createDomain("example.test", "POINTING").status()).isEqualTo(200);
        assertThat(http.createDomain("shop.example.test", "POINTING").code()).isEqualTo("INVALID_CONNECTION_TYPE");
        assertThat(http.createDomain("shop.example.test", null).status()).isEqualTo(200);
        assertThat(http.createDomain("shop.example.co.uk", null).status()).isEqualTo(200);
        assertThat(http.createDomain("example.co.uk", "NAMESERVERS").status()).isEqualTo(200);
    }

    @Test
    void rejectsARootDomainWithoutConnectionTypeAsAValidationError() {
        WixHttp.Response r = http.createDomain("mysite.com", null);

        assertThat(r.status()).isEqualTo(400);
        JsonNode violation = r.json().at("/details/validationError/fieldViolations/0");
        assertThat(violation.get("field").asText()).isEqualTo("connectedDomain.connectionType");
        assertThat(violation.get("violatedRule").asText()).isEqualTo("CUSTOM");
        assertThat(violation.get("ruleName").asText()).isEqualTo("INVALID_CONNECTION_TYPE");
        assertThat(r.json().get("message").asText()).startsWith("Invalid connection type");
    }

    @Test
    void rejectsASubdomainWithAConnectionTypeAndARootWithHidden() {
        assertThat(http.createDomain("shop.mysite.com", "NAMESERVERS").code()).isEqualTo("INVALID_CONNECTION_TYPE");
        assertThat(http.createDomain("mysite.com", "HIDDEN").code()).isEqualTo("INVALID_CONNECTION_TYPE");
    }

    @Test
    void rejectsInvalidDomainNamesAndPublicSuffixes() {
        for (String bad : new String[] {"not a domain", "com", "co.uk", "localhost"}) {
            WixHttp.Response r = http.createDomain(bad, "POINTING");
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.json().at("/details/validationError/fieldViolations/0/ruleName").asText())
                    .isEqualTo("INVALID_DOMAIN");
            assertThat(r.json().at("/details/validationError/fieldViolations/0/field").asText())
                    .isEqualTo("connectedDomain.domain");
        }
    }

    @Test
    void refusesAFreeSiteWithNonPremiumSite() {
        WixHttp.Response r = http.post("/domains/v1/connected-domains",
                "{\"connectedDomain\": {\"domain\": \"mysite.com\", \"connectionType\": \"POINTING\"}}")
                .site(OTHER_SITE).send();

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json()).isEqualTo(json("""
                {"message": "Domain mysite.com can't be assigned to free Wix site %1$s.",
                 "details": {"applicationError": {"code": "NON_PREMIUM_SITE",
                   "description": "Domain mysite.com can't be assigned to free Wix site %1$s.", "data": {}}}}
                """.formatted(OTHER_SITE)));
    }

    @Test
    void answersAnIdenticalRecreateWithTheExistingDomainAndNoNewEffect() {
        WixHttp.Response first = http.createDomain("mysite.com", "NAMESERVERS");
        WixHttp.Response again = http.createDomain("mysite.com", "NAMESERVERS");

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json()).isEqualTo(first.json());
        assertThat(sandbox.count(Effect.DOMAIN_CREATED, "mysite.com")).isEqualTo(1);
    }

    @Test
    void answersAnIdenticalRecreateWith409WhenSwitchedToConflict() {
        sandbox.updateScenario(s -> s.identicalRecreate = Scenario.IdenticalRecreate.CONFLICT);
        http.createDomain("mysite.com", "NAMESERVERS");

        WixHttp.Response again = http.createDomain("mysite.com", "NAMESERVERS");

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("DOMAINS_ALREADY_EXISTS");
    }

    @Test
    void answersDomainsAlreadyExistsForADifferentConnectionTypeOrSite() {
        http.createDomain("mysite.com", "NAMESERVERS");
        sandbox.updateScenario(s -> s.premiumSite(OTHER_SITE));

        WixHttp.Response otherType = http.createDomain("mysite.com", "POINTING");
        WixHttp.Response otherSite = http.post("/domains/v1/connected-domains",
                "{\"connectedDomain\": {\"domain\": \"mysite.com\", \"connectionType\": \"NAMESERVERS\"}}")
                .site(OTHER_SITE).send();

        assertThat(otherType.status()).isEqualTo(409);
        assertThat(otherType.code()).isEqualTo("DOMAINS_ALREADY_EXISTS");
        assertThat(otherType.json().get("message").asText()).contains("different connection type");
        assertThat(otherSite.status()).isEqualTo(409);
        assertThat(otherSite.json().get("message").asText()).contains("different settings");
    }

    @Test
    void refusesAnotherAccountsDomainOnEveryCall() {
        http.createDomain("mysite.com", "NAMESERVERS");

        WixHttp.Response create = http.post("/domains/v1/connected-domains",
                "{\"connectedDomain\": {\"domain\": \"mysite.com\", \"connectionType\": \"NAMESERVERS\"}}")
                .site(SITE).account(OTHER_ACCOUNT).send();
        WixHttp.Response get = http.get("/domains/v1/connected-domains/mysite.com").account(OTHER_ACCOUNT).send();
        WixHttp.Response setup = http.get("/domains/v1/connected-domain-setup-info/mysite.com")
                .account(OTHER_ACCOUNT).send();
        WixHttp.Response zone = http.get("/domains/v1/dns-zones/mysite.com").account(OTHER_ACCOUNT).send();
        WixHttp.Response delete = http.delete("/domains/v1/connected-domains/mysite.com").account(OTHER_ACCOUNT)
                .send();

        for (WixHttp.Response r : new WixHttp.Response[] {create, get, setup, zone, delete}) {
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.code()).isEqualTo("DOMAINS_DOMAIN_NOT_PERMITTED");
        }
        assertThat(sandbox.domain("mysite.com")).isPresent();
    }

    @Test
    void getsAConnectedDomainAndAnswers404ForAnUnknownOne() {
        http.createDomain("mysite.com", "NAMESERVERS");

        assertThat(http.getDomain("mysite.com").json().at("/connectedDomain/id").asText()).isEqualTo("mysite.com");
        for (WixHttp.Request missing : new WixHttp.Request[] {
                http.get("/domains/v1/connected-domains/unknown.com"),
                http.get("/domains/v1/connected-domain-setup-info/unknown.com"),
                http.delete("/domains/v1/connected-domains/unknown.com")}) {
            WixHttp.Response r = missing.send();
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.code()).isEqualTo("NOT_FOUND");
            assertThat(r.json().get("message").asText()).isEqualTo("Domain name unknown.com wasn't found.");
        }
    }

    @Test
    void deletesADomainWithAnEmptyBodyAndForgetsItsZone() {
        http.createDomain("mysite.com", "NAMESERVERS");

        WixHttp.Response r = http.delete("/domains/v1/connected-domains/mysite.com").send();

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json()).isEqualTo(json("{}"));
        assertThat(http.getDomain("mysite.com").status()).isEqualTo(404);
        assertThat(http.get("/domains/v1/dns-zones/mysite.com").send().code()).isEqualTo("DNS_ZONE_NOT_FOUND");
        assertThat(sandbox.count(Effect.DOMAIN_DELETED, "mysite.com")).isEqualTo(1);
    }

    @Test
    void listsOnlyTheCallersDomainsNewestFirstInCursorPages() {
        ManualClock clock = ManualClock.startingAt("2024-01-01T00:00:00Z");
        try (WixSandbox local = WixSandbox.start(SandboxConfig.defaults().withClock(clock)
                .withScenario(new Scenario().allSitesPremium(true)))) {
            WixHttp h = new WixHttp(local);
            for (String d : new String[] {"a.com", "b.com", "c.com"}) {
                h.createDomain(d, "POINTING");
                clock.advance(java.time.Duration.ofSeconds(1));
            }
            h.post("/domains/v1/connected-domains",
                    "{\"connectedDomain\": {\"domain\": \"other.com\", \"connectionType\": \"POINTING\"}}")
                    .site(SITE).account(OTHER_ACCOUNT).send();

            WixHttp.Response first = h.get("/domains/v1/connected-domains?paging.limit=2").send();
            String next = first.json().at("/pagingMetadata/cursors/next").asText();
            WixHttp.Response second = h.get("/domains/v1/connected-domains?paging.limit=2&paging.cursor=" + next)
                    .send();
            WixHttp.Response all = h.get("/domains/v1/connected-domains").send();

            assertThat(ids(first)).containsExactly("c.com", "b.com");
            assertThat(first.json().get("pagingMetadata").get("count").asInt()).isEqualTo(2);
            assertThat(first.json().get("pagingMetadata").get("hasNext").asBoolean()).isTrue();
            assertThat(first.json().at("/pagingMetadata/cursors/prev").isNull()).isTrue();
            assertThat(ids(second)).containsExactly("a.com");
            assertThat(second.json().at("/pagingMetadata/hasNext").asBoolean()).isFalse();
            assertThat(second.json().at("/pagingMetadata/cursors/next").isNull()).isTrue();
            assertThat(all.json().at("/pagingMetadata/count").asInt()).isEqualTo(3);
        }
    }

    private static java.util.List<String> ids(WixHttp.Response list) {
        java.util.List<String> ids = new java.util.ArrayList<>();
        list.json().get("connectedDomains").forEach(d -> ids.add(d.get("id").asText()));
        return ids;
    }

    @Test
    void listAnswersTheReferenceExampleShape() {
        http.createDomain("mysite.com", "NAMESERVERS");

        WixHttp.Response r = http.get("/domains/v1/connected-domains").send();

        assertThat(r.json().get("pagingMetadata")).isEqualTo(json(
                "{\"count\": 1, \"cursors\": {\"next\": null, \"prev\": null}, \"hasNext\": false}"));
        assertThat(withoutDates(r.json().at("/connectedDomains/0")))
                .isEqualTo(withoutDates(http.getDomain("mysite.com").json().get("connectedDomain")));
    }

    @Test
    void rejectsAPageLimitAbove100AndAForeignCursor() {
        WixHttp.Response tooMany = http.get("/domains/v1/connected-domains?paging.limit=101").send();
        WixHttp.Response badCursor = http.get("/domains/v1/connected-domains?paging.cursor=nonsense").send();

        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.json().at("/details/validationError/fieldViolations/0/field").asText())
                .isEqualTo("paging.limit");
        assertThat(badCursor.status()).isEqualTo(400);
        assertThat(badCursor.json().at("/details/validationError/fieldViolations/0/field").asText())
                .isEqualTo("paging.cursor");
    }

    @Test
    void servesTheSchemaShapedSetupInfoForNameservers() {
        http.createDomain("mysite.com", "NAMESERVERS");

        WixHttp.Response r = http.get("/domains/v1/connected-domain-setup-info/mysite.com").send();

        assertThat(r.json()).isEqualTo(json("""
                {"connectedDomainSetupInfo": {
                  "connectedDomainId": "mysite.com",
                  "registrar": {"name": "OTHER", "nameServers": ["ns1.registrar.test", "ns2.registrar.test"]},
                  "nameserverRecord": {"nsRecord": {"hostName": "mysite.com", "ttl": 86400,
                                                    "values": ["ns12.wixdns.net", "ns13.wixdns.net"]}}}}
                """));
    }

    @Test
    void servesPointingRecordsForNameserversTooWhenConfiguredAsTheSampleFlow() {
        sandbox.updateScenario(s -> s.nameserversSetupInfo(Scenario.NameserversSetupInfo.SAMPLE_FLOW));
        http.createDomain("mysite.com", "NAMESERVERS");

        JsonNode info = http.get("/domains/v1/connected-domain-setup-info/mysite.com").send().json()
                .get("connectedDomainSetupInfo");

        assertThat(info.has("nameserverRecord")).isTrue();
        assertThat(info.at("/pointingRecords/aRecord/values")).isEqualTo(
                json("[\"185.230.63.107\", \"185.230.63.171\", \"185.230.63.186\"]"));
        assertThat(info.at("/pointingRecords/cnameRecord/value").asText()).isEqualTo("pointing.wixdns.net");
    }

    @Test
    void servesPointingAndSubdomainSetupInfo() {
        http.createDomain("mybusiness.com", "POINTING");
        http.createDomain("shop.mybusiness.com", null);

        JsonNode pointing = http.get("/domains/v1/connected-domain-setup-info/mybusiness.com").send().json();
        JsonNode sub = http.get("/domains/v1/connected-domain-setup-info/shop.mybusiness.com").send().json();

        assertThat(pointing.at("/connectedDomainSetupInfo/pointingRecords")).isEqualTo(json("""
                {"aRecord": {"hostName": "mybusiness.com", "ttl": 3600,
                             "values": ["185.230.63.107", "185.230.63.171", "185.230.63.186"]},
                 "cnameRecord": {"hostName": "www.mybusiness.com", "ttl": 3600, "value": "pointing.wixdns.net"}}
                """));
        assertThat(pointing.at("/connectedDomainSetupInfo").has("nameserverRecord")).isFalse();
        assertThat(sub.at("/connectedDomainSetupInfo/subdomainRecords")).isEqualTo(json("""
                {"cnameRecords": [{"hostName": "shop.mybusiness.com", "ttl": 3600, "value": "pointing.wixdns.net"}]}
                """));
    }

    @Test
    void reportsTheSitesPrimaryDomainForARedirect() {
        http.createDomain("mysite.com", "POINTING");
        WixHttp.Response r = http.post("/domains/v1/connected-domains",
                "{\"connectedDomain\": {\"domain\": \"old.com\", \"connectionType\": \"POINTING\","
                        + " \"siteInfo\": {\"assignmentType\": \"REDIRECT\"}}}").site(SITE).send();

        assertThat(r.json().at("/connectedDomain/siteInfo/redirectInfo/primaryDomain").asText())
                .isEqualTo("mysite.com");
        assertThat(r.json().at("/connectedDomain/siteInfo/id").asText()).isEqualTo(SITE);
    }
}
