package io.domainlink.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.domainlink.events.AssignmentType;
import io.domainlink.events.ConnectionRequested;
import io.domainlink.events.ConnectionType;
import io.domainlink.events.CycleType;
import io.domainlink.events.CycleUnit;
import io.domainlink.tools.RequestFile;

class RequestFileTest {

    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    @Test
    void demoRequestsCoverEveryFlowAPremiumPlanAnInvalidRequestAndAWixRejection() {
        List<RequestFile.Planned> demo = RequestFile.parse(LocalStack.resource(LocalStack.DEMO_REQUESTS), "7", NOW);

        assertThat(demo).extracting(p -> p.request().getConnectionType()).contains(ConnectionType.NAMESERVERS, ConnectionType.POINTING, null);
        assertThat(demo).anySatisfy(p -> assertThat(p.request().getPremiumPlan()).isNotNull());
        assertThat(demo).extracting(p -> p.expect().toString())
                .contains("CONNECTED", "FAILED:INVALID_REQUEST", "FAILED:WIX_REJECTED");
        assertThat(demo).allSatisfy(p -> {
            assertThat(p.request().getRequestId()).contains("-7-").doesNotContain("{run}");
            assertThat(p.request().getDomain()).contains("-7.").doesNotContain("{run}");
            assertThat(p.request().getCorrelation()).containsEntry("source", "local-stack-demo");
        });
        assertThat(demo).extracting(p -> p.request().getRequestId()).doesNotHaveDuplicates();
    }

    @Test
    void readsEveryFieldOfARequestWithTheGeneratedBuilders() {
        ConnectionRequested r = RequestFile.parse("""
                {"requestId": "r-{run}", "domain": "shop.example.com", "accountId": "a", "siteId": "s",
                 "assignment": "redirect", "suppressNotifications": true, "requestedAt": "2026-11-27T09:00:00Z",
                 "premiumPlan": {"catalogProductId": "p", "countryCode": "US", "billingCycle": {"type": "RECURRING", "unit": "YEAR", "count": 2}},
                 "correlation": {"ticket": "T-{run}"}}""", "9", NOW).get(0).request();

        assertThat(r.getRequestId()).isEqualTo("r-9");
        assertThat(r.getConnectionType()).isNull();
        assertThat(r.getAssignment()).isEqualTo(AssignmentType.REDIRECT);
        assertThat(r.getSuppressNotifications()).isTrue();
        assertThat(r.getRequestedAt()).isEqualTo(Instant.parse("2026-11-27T09:00:00Z"));
        assertThat(RequestFile.parse("""
                {"domain": "a.com", "accountId": "a", "siteId": "s", "requestedAt": "2026-11-27T09:00:00Z"}""", "1", NOW)
                .get(0).stamped(NOW).getRequestedAt()).as("a given requestedAt is kept").isEqualTo(Instant.parse("2026-11-27T09:00:00Z"));
        assertThat(r.getPremiumPlan().getBillingCycle().getType()).isEqualTo(CycleType.RECURRING);
        assertThat(r.getPremiumPlan().getBillingCycle().getUnit()).isEqualTo(CycleUnit.YEAR);
        assertThat(r.getPremiumPlan().getBillingCycle().getCount()).isEqualTo(2);
        assertThat(r.getCorrelation()).containsEntry("ticket", "T-9");
    }

    @Test
    void fillsInARandomRequestIdAndNowWhenLeftOut() {
        List<RequestFile.Planned> two = RequestFile.parse("""
                [{"domain": "a.com", "connectionType": "POINTING", "accountId": "a", "siteId": "s"},
                 {"domain": "b.com", "connectionType": "POINTING", "accountId": "a", "siteId": "s"}]""", "1", NOW);

        assertThat(two.get(0).request().getRequestId()).isNotBlank().isNotEqualTo(two.get(1).request().getRequestId());
        assertThat(two.get(0).stamped(NOW.plusSeconds(5)).getRequestedAt()).as("stamped when submitted").isEqualTo(NOW.plusSeconds(5));
        assertThat(two.get(0).expect()).isNull();
    }

    @Test
    void namesEveryProblemOfEveryRequestAtOnce() {
        assertThatThrownBy(() -> RequestFile.parse("""
                [{"domain": "a.com", "connectionType": "CNAME", "siteId": "s"},
                 {"domian": "b.com", "accountId": "a", "siteId": "s", "expect": "MAYBE"}]""", "1", NOW))
                .hasMessageContaining("request[0]: accountId is required")
                .hasMessageContaining("connectionType must be one of")
                .hasMessageContaining("request[1]: unknown field 'domian'")
                .hasMessageContaining("domain is required")
                .hasMessageContaining("expect must be CONNECTED or FAILED");
    }

    @Test
    void rejectsTextThatIsNotJson() {
        assertThatThrownBy(() -> RequestFile.parse("{domain: ", "1", NOW)).hasMessageStartingWith("not valid JSON");
    }

    @Test
    void anExpectationWithoutReasonAcceptsAnyReason() {
        RequestFile.Expectation failed = RequestFile.Expectation.parse("failed");
        RequestFile.Expectation rejected = RequestFile.Expectation.parse("FAILED:WIX_REJECTED");

        assertThat(failed.matches("FAILED", "INVALID_REQUEST")).isTrue();
        assertThat(rejected.matches("FAILED", "INVALID_REQUEST")).isFalse();
        assertThat(rejected.matches("CONNECTED", "")).isFalse();
    }
}
