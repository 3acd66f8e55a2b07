package io.domainlink.connector;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.domainlink.events.AssignmentType;
import io.domainlink.events.BillingCycle;
import io.domainlink.events.ConnectionAccepted;
import io.domainlink.events.ConnectionType;
import io.domainlink.events.CycleType;
import io.domainlink.events.CycleUnit;
import io.domainlink.events.Flow;
import io.domainlink.events.PremiumPlan;
import io.domainlink.events.RequestContext;
import io.domainlink.wix.sandbox.Scenario;

/** Accepted requests as the request-ingestor publishes them. */
final class Requests {

    static final String ACCOUNT = "11111111-2222-3333-4444-555555555555";
    static final String SITE = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
    static final String OTHER_SITE = "ffffffff-bbbb-cccc-dddd-eeeeeeeeeeee";

    private Requests() {
    }

    static ConnectionAccepted nameservers(String domain) {
        return accepted(domain, Flow.NAMESERVERS, ConnectionType.NAMESERVERS);
    }

    static ConnectionAccepted pointing(String domain) {
        return accepted(domain, Flow.POINTING, ConnectionType.POINTING);
    }

    static ConnectionAccepted subdomain(String domain) {
        return accepted(domain, Flow.SUBDOMAIN, null);
    }

    static ConnectionAccepted accepted(String domain, Flow flow, ConnectionType type) {
        return accepted(domain, flow, type, ACCOUNT, SITE);
    }

    static ConnectionAccepted accepted(String domain, Flow flow, ConnectionType type, String account, String site) {
        Instant now = Instant.parse("2025-01-01T00:00:00Z");
        return ConnectionAccepted.newBuilder()
                .setContext(RequestContext.newBuilder()
                        .setRequestId("req-" + UUID.randomUUID())
                        .setDomain(domain)
                        .setFlow(flow)
                        .setAccountId(account)
                        .setSiteId(site)
                        .setCorrelation(Map.of("ticket", "T-" + domain))
                        .setGeneration(1)
                        .build())
                .setOccurredAt(now)
                .setRequestedAt(now)
                .setConnectionType(type)
                .setAssignment(AssignmentType.PRIMARY)
                .build();
    }

    /** Site id number {@code n} of its own, not premium in any scenario: a plan request makes it premium. */
    static String freeSite(int n) {
        return String.format("%08d-bbbb-cccc-dddd-eeeeeeeeeeee", n);
    }

    static ConnectionAccepted withPlan(ConnectionAccepted request) {
        return ConnectionAccepted.newBuilder(request)
                .setPremiumPlan(PremiumPlan.newBuilder()
                        .setCatalogProductId(Scenario.DEFAULT_PREMIUM_PRODUCT)
                        .setCountryCode("US")
                        .setBillingCycle(BillingCycle.newBuilder().setType(CycleType.RECURRING).setUnit(CycleUnit.YEAR).setCount(1).build())
                        .build())
                .build();
    }

    static ConnectionAccepted forAccount(ConnectionAccepted request, String account) {
        return ConnectionAccepted.newBuilder(request)
                .setContext(RequestContext.newBuilder(request.getContext()).setAccountId(account).build()).build();
    }
}
