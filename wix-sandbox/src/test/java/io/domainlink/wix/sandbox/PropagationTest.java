package io.domainlink.wix.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PropagationTest extends SandboxTestBase {
    static final ManualClock CLOCK = ManualClock.startingAt("2024-03-01T10:00:00Z");

    static final String FULL_UPDATE = """
            {"deletions": [{"type": "A", "hostName": "%1$s", "values": ["192.0.2.1"]}],
             "additions": [
               {"type": "A", "hostName": "%1$s", "ttl": 3600,
                "values": ["185.230.63.107", "185.230.63.171", "185.230.63.186"]},
               {"type": "CNAME", "hostName": "www.%1$s", "ttl": 3600, "values": ["pointing.wixdns.net"]}]}
            """;

    @BeforeAll
    static void start() {
        startSandbox(SandboxConfig.defaults().withClock(CLOCK)
                .withScenario(new Scenario().allSitesPremium(true).propagationDelayMs(2000)));
    }

    @Test
    void nameserversDomainCompletesOnlyAfterTheZoneHoldsTheExpectedRecords() {
        http.createDomain("ns.test", "NAMESERVERS");
        assertThat(http.status("ns.test")).isEqualTo("UNKNOWN_DNS_PROPAGATION_STATUS");

        // only the A record: not enough
        http.updateZone("ns.test", """
                {"deletions": [{"type": "A", "hostName": "ns.test"}],
                 "additions": [{"type": "A", "hostName": "ns.test", "values": ["185.230.63.107", "185.230.63.171", "185.230.63.186"]}]}
                """);
        CLOCK.advance(Duration.ofSeconds(10));
        assertThat(http.status("ns.test")).isEqualTo("UNKNOWN_DNS_PROPAGATION_STATUS");

        // CNAME too, but the A record keeps one value too many
        http.updateZone("ns.test", """
                {"deletions": [{"type": "A", "hostName": "ns.test"}],
                 "additions": [{"type": "A", "hostName": "ns.test", "values": ["185.230.63.107", "185.230.63.171", "185.230.63.186", "192.0.2.1"]},
                               {"type": "CNAME", "hostName": "www.ns.test", "values": ["pointing.wixdns.net"]}]}
                """);
        CLOCK.advance(Duration.ofSeconds(10));
        assertThat(http.status("ns.test")).isEqualTo("UNKNOWN_DNS_PROPAGATION_STATUS");

        http.updateZone("ns.test", """
                {"deletions": [{"type": "A", "hostName": "ns.test"}],
                 "additions": [{"type": "A", "hostName": "ns.test", "values": ["185.230.63.107", "185.230.63.171", "185.230.63.186"]}]}
                """);
        assertThat(http.status("ns.test")).isEqualTo("IN_PROGRESS");
        CLOCK.advance(Duration.ofMillis(1999));
        assertThat(http.status("ns.test")).isEqualTo("IN_PROGRESS");
        CLOCK.advance(Duration.ofMillis(1));
        assertThat(http.status("ns.test")).isEqualTo("COMPLETED");
        // updatedDate moves with the status change that just happened
        assertThat(http.getDomain("ns.test").json().at("/connectedDomain/updatedDate").asText())
                .isEqualTo(Json.date(CLOCK.instant()));
    }

    @Test
    void nameserversDomainGoesBackToUnknownWhenTheRecordsAreRemovedBeforeCompletion() {
        http.createDomain("flip.test", "NAMESERVERS");
        http.updateZone("flip.test", FULL_UPDATE.formatted("flip.test"));
        assertThat(http.status("flip.test")).isEqualTo("IN_PROGRESS");

        http.updateZone("flip.test", "{\"deletions\": [{\"type\": \"CNAME\", \"hostName\": \"www.flip.test\"}]}");

        assertThat(http.status("flip.test")).isEqualTo("UNKNOWN_DNS_PROPAGATION_STATUS");
        CLOCK.advance(Duration.ofSeconds(5));
        assertThat(http.status("flip.test")).isEqualTo("UNKNOWN_DNS_PROPAGATION_STATUS");
    }

    @Test
    void pointingDomainWaitsForTheOwnerToSetTheRecordsAtTheRegistrar() {
        http.createDomain("pointed.test", "POINTING");
        CLOCK.advance(Duration.ofMinutes(5));
        assertThat(http.status("pointed.test")).isEqualTo("UNKNOWN_DNS_PROPAGATION_STATUS");

        WixHttp.Response admin = http.post("/_sandbox/owner-records/pointed.test", "").send();

        assertThat(admin.status()).isEqualTo(200);
        assertThat(admin.json().get("dnsPropagationStatus").asText()).isEqualTo("IN_PROGRESS");
        assertThat(http.status("pointed.test")).isEqualTo("IN_PROGRESS");
        CLOCK.advance(Duration.ofSeconds(2));
        assertThat(http.status("pointed.test")).isEqualTo("COMPLETED");
    }

    @Test
    void subdomainCompletesAfterTheOwnerSetTheCnameThroughTheJavaApi() {
        http.createDomain("shop.pointed.test", null);

        DomainSnapshot snapshot = sandbox.ownerSetRecords("shop.pointed.test");
        CLOCK.advance(Duration.ofSeconds(3));

        assertThat(snapshot.dnsPropagationStatus()).isEqualTo("IN_PROGRESS");
        assertThat(http.status("shop.pointed.test")).isEqualTo("COMPLETED");
    }

    @Test
    void ownerRecordsAppearByThemselvesAfterTheConfiguredDelay() {
        sandbox.updateScenario(s -> s.autoOwnerRecordsAfterMs(1000L));
        http.createDomain("auto.test", "POINTING");

        assertThat(http.status("auto.test")).isEqualTo("UNKNOWN_DNS_PROPAGATION_STATUS");
        CLOCK.advance(Duration.ofMillis(1000));
        assertThat(http.status("auto.test")).isEqualTo("IN_PROGRESS");
        CLOCK.advance(Duration.ofMillis(2000));
        assertThat(http.status("auto.test")).isEqualTo("COMPLETED");
    }

    @Test
    void ownerRecordsDoNotMoveANameserversDomain() {
        http.createDomain("nsowner.test", "NAMESERVERS");
        sandbox.ownerSetRecords("nsowner.test");
        CLOCK.advance(Duration.ofMinutes(1));

        assertThat(http.status("nsowner.test")).isEqualTo("UNKNOWN_DNS_PROPAGATION_STATUS");
    }

    @Test
    void ownerRecordsForAnUnknownDomainAre404OnTheAdminApi() {
        assertThat(http.post("/_sandbox/owner-records/nobody.test", "").send().status()).isEqualTo(404);
    }
}
