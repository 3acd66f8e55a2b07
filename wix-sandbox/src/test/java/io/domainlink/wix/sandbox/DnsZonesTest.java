package io.domainlink.wix.sandbox;

import static io.domainlink.wix.sandbox.WixHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DnsZonesTest extends SandboxTestBase {

    @BeforeAll
    static void start() {
        startSandbox(SandboxConfig.defaults().withScenario(new Scenario().allSitesPremium(true)));
    }

    @BeforeEach
    void connectMysite() {
        sandbox.updateScenario(s -> s.allSitesPremium(true));
        assertThat(http.createDomain("mysite.com", "NAMESERVERS").status()).isEqualTo(200);
    }

    private static JsonNode record(JsonNode zone, String type, String host) {
        for (JsonNode r : zone.at("/dnsZone/records")) {
            if (r.get("type").asText().equals(type) && r.get("hostName").asText().equals(host)) {
                return r;
            }
        }
        return null;
    }

    private static String addition(String type, String host, String... values) {
        return "{\"type\": \"" + type + "\", \"hostName\": \"" + host + "\", \"ttl\": 3600, \"values\": "
                + WixHttp.MAPPER.valueToTree(List.of(values)) + "}";
    }

    @Test
    void createsTheZoneOfANameserversDomainWithNsSoaAndAParkedARecord() {
        JsonNode zone = http.get("/domains/v1/dns-zones/mysite.com").send().json();

        assertThat(zone.at("/dnsZone/domainName").asText()).isEqualTo("mysite.com");
        assertThat(record(zone, "NS", "mysite.com").get("values"))
                .isEqualTo(json("[\"ns12.wixdns.net\", \"ns13.wixdns.net\"]"));
        assertThat(record(zone, "SOA", "mysite.com")).isNotNull();
        assertThat(record(zone, "A", "mysite.com").get("values")).isEqualTo(json("[\"192.0.2.1\"]"));
    }

    @Test
    void updatesTheZoneAsInTheReferenceExampleAndAnswersTheWholeZone() {
        WixHttp.Response r = http.updateZone("mysite.com", """
                {"deletions": [{"values": ["192.0.2.1"], "type": "A", "hostName": "mysite.com", "ttl": 3600}],
                 "additions": [{"values": ["10 aspmx.l.google.com"], "type": "MX", "hostName": "mysite.com", "ttl": 3600}],
                 "domainName": "mysite.com"}
                """);

        assertThat(r.status()).isEqualTo(200);
        assertThat(record(r.json(), "MX", "mysite.com")).isEqualTo(json(
                "{\"type\": \"MX\", \"hostName\": \"mysite.com\", \"ttl\": 3600, \"values\": [\"10 aspmx.l.google.com\"]}"));
        assertThat(record(r.json(), "A", "mysite.com")).isNull();
        assertThat(record(r.json(), "NS", "mysite.com")).isNotNull();
        assertThat(sandbox.count(Effect.ZONE_UPDATED, "mysite.com")).isEqualTo(1);
    }

    @Test
    void rejectsValuesSentAsABareStringLikeTheDocExample() {
        WixHttp.Response r = http.updateZone("mysite.com", """
                {"additions": [{"values": "10 aspmx.l.google.com", "type": "MX", "hostName": "mysite.com", "ttl": 3600}]}
                """);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().at("/details/validationError/fieldViolations/0/field").asText())
                .isEqualTo("additions[0].values");
    }

    @Test
    void refusesMoreThanTenAdditionsOrTenDeletions() {
        List<String> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add(addition("TXT", "t" + i + ".mysite.com", "v" + i));
        }
        WixHttp.Response adds = http.updateZone("mysite.com", "{\"additions\": " + eleven + "}");
        WixHttp.Response dels = http.updateZone("mysite.com", "{\"deletions\": " + eleven + "}");

        assertThat(adds.status()).isEqualTo(400);
        assertThat(adds.json().at("/details/validationError/fieldViolations/0/violatedRule").asText())
                .isEqualTo("MAX");
        assertThat(adds.json().at("/details/validationError/fieldViolations/0/data/threshold").asInt())
                .isEqualTo(10);
        assertThat(dels.status()).isEqualTo(400);
        assertThat(dels.json().at("/details/validationError/fieldViolations/0/field").asText())
                .isEqualTo("deletions");
    }

    @Test
    void refusesMoreThanFiftyValuesPerType() {
        String[] values = new String[51];
        for (int i = 0; i < values.length; i++) {
            values[i] = "v" + i;
        }
        WixHttp.Response r = http.updateZone("mysite.com",
                "{\"additions\": [" + addition("TXT", "mysite.com", values) + "]}");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().at("/details/validationError/fieldViolations/0/data/threshold").asInt())
                .isEqualTo(50);
    }

    @Test
    void answersTheDomainDnsValidationCodesWith428() {
        WixHttp.Response mx = http.updateZone("mysite.com",
                "{\"additions\": [" + addition("MX", "mysite.com", "aspmx.l.google.com") + "]}");
        WixHttp.Response cnameApex = http.updateZone("mysite.com",
                "{\"additions\": [" + addition("CNAME", "mysite.com", "x.example.net") + "]}");
        WixHttp.Response cnameForeign = http.updateZone("mysite.com",
                "{\"additions\": [" + addition("CNAME", "www.othersite.com", "x.example.net") + "]}");
        WixHttp.Response empty = http.updateZone("mysite.com",
                "{\"additions\": [" + addition("TXT", "mysite.com") + "]}");
        WixHttp.Response duplicate = http.updateZone("mysite.com",
                "{\"additions\": [" + addition("A", "mysite.com", "185.230.63.107") + "]}");

        assertThat(mx.status()).isEqualTo(428);
        assertThat(mx.code()).isEqualTo("DOMAIN_MX_RECORD_VALUE_INVALID");
        assertThat(cnameApex.status()).isEqualTo(428);
        assertThat(cnameApex.code()).isEqualTo("DOMAIN_CNAME_RECORD_HOSTNAME_INVALID");
        assertThat(cnameForeign.code()).isEqualTo("DOMAIN_CNAME_RECORD_HOSTNAME_INVALID");
        assertThat(empty.status()).isEqualTo(428);
        assertThat(empty.code()).isEqualTo("DOMAIN_DNS_EMPTY_RECORD_VALUE");
        assertThat(duplicate.status()).isEqualTo(428);
        assertThat(duplicate.code()).isEqualTo("DOMAIN_MX_RECORD_VALUE_INVALID");
        assertThat(duplicate.json().get("message").asText()).startsWith("Multiple A records with the same hostName");
        assertThat(sandbox.count(Effect.ZONE_UPDATED, "mysite.com")).isZero();
    }

    @Test
    void replacesARecordByDeletingAndAddingInOneCall() {
        WixHttp.Response r = http.updateZone("mysite.com", "{\"deletions\": ["
                + "{\"type\": \"A\", \"hostName\": \"mysite.com\"}], \"additions\": ["
                + addition("A", "mysite.com", "185.230.63.107", "185.230.63.171", "185.230.63.186") + ","
                + addition("CNAME", "www.mysite.com", "pointing.wixdns.net") + "]}");

        assertThat(r.status()).isEqualTo(200);
        assertThat(record(r.json(), "A", "mysite.com").get("values")).hasSize(3);
        assertThat(record(r.json(), "CNAME", "www.mysite.com").get("values"))
                .isEqualTo(json("[\"pointing.wixdns.net\"]"));
    }

    @Test
    void refusesZoneCallsOnPointingDomainsAndSubdomainsWith428() {
        http.createDomain("pointed.com", "POINTING");
        http.createDomain("shop.pointed.com", null);

        for (String d : new String[] {"pointed.com", "shop.pointed.com"}) {
            WixHttp.Response get = http.get("/domains/v1/dns-zones/" + d).send();
            WixHttp.Response update = http.updateZone(d, "{\"additions\": [" + addition("TXT", d, "x") + "]}");
            assertThat(get.status()).isEqualTo(428);
            assertThat(get.code()).isEqualTo("DOMAIN_NOT_PERMITTED");
            assertThat(update.code()).isEqualTo("DOMAIN_NOT_PERMITTED");
        }
    }

    @Test
    void answersDnsZoneNotFoundForADomainWithoutZone() {
        WixHttp.Response unknown = http.get("/domains/v1/dns-zones/unknown.com").send();
        http.delete("/domains/v1/dns-zones/mysite.com").send();
        WixHttp.Response deleted = http.get("/domains/v1/dns-zones/mysite.com/preview").send();

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.code()).isEqualTo("DNS_ZONE_NOT_FOUND");
        assertThat(deleted.status()).isEqualTo(404);
        assertThat(deleted.code()).isEqualTo("DNS_ZONE_NOT_FOUND");
    }

    @Test
    void deletesAndRecreatesAZoneAsInTheReferenceExamples() {
        WixHttp.Response delete = http.delete("/domains/v1/dns-zones/mysite.com").send();
        String example = "{\"dnsZone\": {\"records\": [{\"values\": [\"10 aspmx.l.google.com\"], \"ttl\": 3600,"
                + " \"hostName\": \"mysite.com\", \"type\": \"MX\"}], \"domainName\": \"mysite.com\"}}";
        WixHttp.Response create = http.post("/domains/v1/dns-zones", example).send();
        WixHttp.Response again = http.post("/domains/v1/dns-zones", example).send();
        WixHttp.Response get = http.get("/domains/v1/dns-zones/mysite.com").send();

        assertThat(delete.json()).isEqualTo(json("{}"));
        assertThat(create.status()).isEqualTo(200);
        assertThat(create.json()).isEqualTo(json(example));
        assertThat(get.json()).isEqualTo(json(example));
        assertThat(again.status()).isEqualTo(428);
        assertThat(again.code()).isEqualTo("DOMAIN_ALREADY_EXISTS");
        assertThat(sandbox.count(Effect.ZONE_DELETED, "mysite.com")).isEqualTo(1);
        assertThat(sandbox.count(Effect.ZONE_CREATED, "mysite.com")).isEqualTo(1);
    }

    @Test
    void refusesToCreateAZoneForADomainThatIsNotConnectedByNameservers() {
        WixHttp.Response r = http.post("/domains/v1/dns-zones",
                "{\"dnsZone\": {\"domainName\": \"stranger.com\", \"records\": []}}").send();

        assertThat(r.status()).isEqualTo(428);
        assertThat(r.code()).isEqualTo("DOMAIN_NOT_PERMITTED");
    }

    @Test
    void previewsTheZoneWithWixsCalculatedRecords() {
        http.updateZone("mysite.com", "{\"additions\": [" + addition("MX", "mysite.com", "10 mx.mysite.com") + "]}");

        JsonNode preview = http.get("/domains/v1/dns-zones/mysite.com/preview").send().json();

        assertThat(record(preview, "A", "mysite.com").get("values"))
                .isEqualTo(json("[\"185.230.63.107\", \"185.230.63.171\", \"185.230.63.186\"]"));
        assertThat(record(preview, "CNAME", "www.mysite.com").get("values"))
                .isEqualTo(json("[\"pointing.wixdns.net\"]"));
        assertThat(record(preview, "NS", "mysite.com").get("ttl").asInt()).isEqualTo(86400);
        assertThat(record(preview, "SOA", "mysite.com")).isNotNull();
        assertThat(record(preview, "MX", "mysite.com")).isNotNull();
        // the preview changes nothing
        assertThat(record(http.get("/domains/v1/dns-zones/mysite.com").send().json(), "A", "mysite.com")
                .get("values")).isEqualTo(json("[\"192.0.2.1\"]"));
    }
}
