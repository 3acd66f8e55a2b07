package io.domainlink.reliability;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.domainlink.common.DomainNames;
import io.domainlink.events.AssignmentType;
import io.domainlink.events.BillingCycle;
import io.domainlink.events.ConnectionRequested;
import io.domainlink.events.ConnectionType;
import io.domainlink.events.CycleType;
import io.domainlink.events.CycleUnit;
import io.domainlink.events.PremiumPlan;
import io.domainlink.wix.sandbox.Scenario;

/**
 * Valid connection requests as an upstream system publishes them. A workload mixes the three flows and plans the way
 * production traffic would: per 10 requests, 5 NAMESERVERS, 1 NAMESERVERS with a Premium plan, 2 POINTING (one typed
 * in upper case with a trailing dot), 2 SUBDOMAIN; spread over several Wix accounts (the rate limiters are per account).
 */
final class Requests {

    static final String PRODUCT = Scenario.DEFAULT_PREMIUM_PRODUCT;

    private Requests() {
    }

    /** Account {@code n} (a GUID, C4). */
    static String account(int n) {
        return String.format(Locale.ROOT, "a%07x-0000-4000-8000-%012x", n, n);
    }

    /** Site {@code n} of an account (a GUID). */
    static String site(int n) {
        return String.format(Locale.ROOT, "5%07x-1111-4111-8111-%012x", n, n);
    }

    /** A unique tag for one test run, so request ids and domains never repeat between runs on one cluster. */
    static String runTag() {
        return Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    }

    static ConnectionRequested nameservers(String id, String domain, int account) {
        return base(id, domain, ConnectionType.NAMESERVERS, account).build();
    }

    static ConnectionRequested pointing(String id, String domain, int account) {
        return base(id, domain, ConnectionType.POINTING, account).build();
    }

    static ConnectionRequested subdomain(String id, String domain, int account) {
        return base(id, domain, null, account).build();
    }

    static ConnectionRequested withPlan(ConnectionRequested r) {
        return ConnectionRequested.newBuilder(r).setPremiumPlan(PremiumPlan.newBuilder()
                .setCatalogProductId(PRODUCT).setCountryCode("US")
                .setBillingCycle(BillingCycle.newBuilder().setType(CycleType.RECURRING).setUnit(CycleUnit.YEAR).setCount(1).build())
                .build()).build();
    }

    static ConnectionRequested.Builder base(String id, String domain, ConnectionType type, int account) {
        return ConnectionRequested.newBuilder()
                .setRequestId(id)
                .setDomain(domain)
                .setConnectionType(type)
                .setAccountId(account(account))
                .setSiteId(site(Math.abs(siteKey(domain).hashCode()) % 1_000_000))  // same domain, same site
                .setAssignment(AssignmentType.PRIMARY)
                .setCorrelation(Map.of("ticket", "T-" + id, "source", "reliability"))
                .setRequestedAt(Instant.now());
    }

    private static String siteKey(String domain) {
        try {
            return DomainNames.normalize(domain);
        } catch (IllegalArgumentException e) {
            return domain;   // an invalid request
        }
    }

    /** {@code n} requests named {@code <prefix>-<i>-<tag>}, flows mixed as described above, over {@code accounts} accounts. */
    static List<ConnectionRequested> mixed(String prefix, int n, int accounts) {
        String tag = runTag();
        List<ConnectionRequested> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String id = prefix + "-" + i + "-" + tag;
            String apex = prefix + "-" + i + "-" + tag + ".com";
            int account = i % accounts;
            out.add(switch (i % 10) {
                case 0, 1, 2, 3, 4 -> nameservers(id, apex, account);
                case 5 -> withPlan(nameservers(id, apex, account));
                case 6 -> pointing(id, apex, account);
                case 7 -> pointing(id, apex.toUpperCase(Locale.ROOT) + ".", account);
                default -> subdomain(id, "shop." + apex, account);
            });
        }
        return out;
    }
}
