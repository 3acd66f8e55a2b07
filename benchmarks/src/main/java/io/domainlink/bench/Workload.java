package io.domainlink.bench;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.domainlink.events.AssignmentType;
import io.domainlink.events.ConnectionAccepted;
import io.domainlink.events.ConnectionRequested;
import io.domainlink.events.ConnectionType;
import io.domainlink.events.Flow;
import io.domainlink.events.RequestContext;

/**
 * N connection requests, the three flows mixed in turn (NAMESERVERS, POINTING, SUBDOMAIN), spread over a number of
 * Wix accounts and sites. Request {@code i} is a pure function of ({@code tag}, {@code i}); domains are already
 * normalized, so the pipeline's key of every event about request {@code i} names {@code i} ({@link #indexOf}).
 * The tag keeps the domains of two runs against one sandbox apart.
 */
record Workload(String tag, int size, int accounts) {

    private static final Pattern INDEX = Pattern.compile("(?:^|\\.)d(\\d+)-");

    Workload {
        if (size < 1 || accounts < 1) {
            throw new IllegalArgumentException("size and accounts must be positive");
        }
        if (!tag.matches("[a-z0-9]{1,12}")) {
            throw new IllegalArgumentException("tag must be 1-12 lower-case letters or digits: " + tag);
        }
    }

    Flow flow(int i) {
        return switch (i % 3) {
            case 0 -> Flow.NAMESERVERS;
            case 1 -> Flow.POINTING;
            default -> Flow.SUBDOMAIN;
        };
    }

    String domain(int i) {
        String root = "d" + i + "-" + tag + ".com";
        return flow(i) == Flow.SUBDOMAIN ? "shop." + root : root;
    }

    /** Index of the request a (normalized) domain belongs to, or -1 when it is not one of this workload's. */
    int indexOf(String domain) {
        if (domain == null || !domain.endsWith("-" + tag + ".com")) {
            return -1;
        }
        Matcher m = INDEX.matcher(domain);
        if (!m.find()) {
            return -1;
        }
        int i = Integer.parseInt(m.group(1));
        return i < size ? i : -1;
    }

    String account(int i) {
        return guid(0xacc, i % accounts);
    }

    String site(int i) {
        return guid(0x517e, i % (accounts * 4));
    }

    String requestId(int i) {
        return "bench-" + tag + "-" + i;
    }

    ConnectionRequested request(int i, Instant requestedAt) {
        Flow flow = flow(i);
        return ConnectionRequested.newBuilder()
                .setRequestId(requestId(i))
                .setDomain(domain(i))
                .setConnectionType(switch (flow) {
                    case NAMESERVERS -> ConnectionType.NAMESERVERS;
                    case POINTING -> ConnectionType.POINTING;
                    default -> null;
                })
                .setAccountId(account(i))
                .setSiteId(site(i))
                .setAssignment(AssignmentType.PRIMARY)
                .setCorrelation(Map.of("bench", tag, "n", Integer.toString(i)))
                .setRequestedAt(requestedAt)
                .build();
    }

    /** What the ingestor would admit for request {@code i}: the bare Wix loop's input (no Kafka). */
    ConnectionAccepted accepted(int i, Instant at) {
        ConnectionRequested r = request(i, at);
        return ConnectionAccepted.newBuilder()
                .setContext(RequestContext.newBuilder().setRequestId(r.getRequestId()).setDomain(r.getDomain())
                        .setFlow(flow(i)).setAccountId(r.getAccountId()).setSiteId(r.getSiteId())
                        .setCorrelation(r.getCorrelation()).setGeneration(1).build())
                .setOccurredAt(at)
                .setRequestedAt(at)
                .setConnectionType(r.getConnectionType())
                .setAssignment(r.getAssignment())
                .setSuppressNotifications(false)
                .build();
    }

    /** A valid GUID (8-4-4-4-12 hex) from two numbers. */
    static String guid(int kind, int n) {
        return String.format(Locale.ROOT, "%08x-0000-4000-8000-%012x", kind, n);
    }
}
