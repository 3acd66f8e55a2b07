package io.domainlink.ingestor;

import java.time.Instant;
import java.util.Map;

import io.domainlink.events.AssignmentType;
import io.domainlink.events.BillingCycle;
import io.domainlink.events.ConnectionRequested;
import io.domainlink.events.ConnectionType;
import io.domainlink.events.CycleType;
import io.domainlink.events.CycleUnit;
import io.domainlink.events.PremiumPlan;

/** Test requests: valid unless a test changes a field. */
final class Requests {

    static final String ACCOUNT = "7d0a3a5e-5b8a-4e84-9a7c-0c0a1d2b3c4d";
    static final String SITE = "11111111-2222-4333-8444-555555555555";
    static final String PRODUCT = "00ba7923-2655-402a-852d-2b2100568bcf";
    static final Instant REQUESTED_AT = Instant.parse("2026-01-01T10:00:00Z");

    private Requests() {
    }

    static ConnectionRequested.Builder apex(String requestId, String domain, ConnectionType type) {
        return ConnectionRequested.newBuilder()
                .setRequestId(requestId)
                .setDomain(domain)
                .setConnectionType(type)
                .setAccountId(ACCOUNT)
                .setSiteId(SITE)
                .setCorrelation(Map.of("ticket", "T-" + requestId))
                .setRequestedAt(REQUESTED_AT);
    }

    static ConnectionRequested.Builder subdomain(String requestId, String domain) {
        return apex(requestId, domain, null);
    }

    static PremiumPlan.Builder plan() {
        return PremiumPlan.newBuilder()
                .setCatalogProductId(PRODUCT)
                .setCountryCode("US")
                .setBillingCycle(BillingCycle.newBuilder().setType(CycleType.RECURRING).setUnit(CycleUnit.YEAR).setCount(1).build());
    }

    static ConnectionRequested.Builder assignment(ConnectionRequested.Builder b, AssignmentType a) {
        return b.setAssignment(a);
    }
}
