package io.domainlink.deploy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import io.domainlink.events.ConnectionAccepted;
import io.domainlink.events.ConnectionConfigured;
import io.domainlink.events.ConnectionRequested;
import io.domainlink.events.DnsRecord;
import io.domainlink.events.DomainConnected;
import io.domainlink.events.DomainFailed;
import io.domainlink.events.OwnerAction;
import io.domainlink.events.OwnerActionRequired;
import io.domainlink.events.PropagationProgress;
import io.domainlink.events.RequestContext;
import io.domainlink.tools.RequestFile;

/**
 * What the local stack shows while the pipeline works: per request, its domain, flow and current stage
 * (requested → accepted → configured / owner action → propagation status → CONNECTED or FAILED), one progress line each
 * time a stage moves forward, and at the end a summary table of outcomes and durations. Pure: it is fed the events, in
 * whatever order the topics deliver them, and never goes backwards.
 */
final class ProgressBoard {

    static final String CONNECTED = "CONNECTED";
    static final String FAILED = "FAILED";

    private static final int REQUESTED = 0;
    private static final int ACCEPTED = 1;
    private static final int CONFIGURED = 2;
    private static final int PROPAGATING = 3;
    private static final int TERMINAL = 4;

    /** One request on the board. */
    static final class Row {
        final String requestId;
        String domain;
        String flow = "";
        String stage = "requested";
        int rank = REQUESTED;
        Instant requestedAt;
        String outcome;
        String reason = "";
        String message = "";
        Duration duration;
        RequestFile.Expectation expect;

        Row(String requestId, String domain) {
            this.requestId = requestId;
            this.domain = domain;
        }

        boolean done() {
            return rank == TERMINAL;
        }

        boolean asExpected() {
            return expect == null || (outcome != null && expect.matches(outcome, reason));
        }
    }

    private final Map<String, Row> rows = new LinkedHashMap<>();
    private Instant start;
    private final boolean followAll;

    /**
     * @param start     time zero of the progress lines
     * @param followAll also show requests this board was not told about (seen on the requests topic), as in
     *                  {@code --keep-running} where users submit their own
     */
    ProgressBoard(Instant start, boolean followAll) {
        this.start = start;
        this.followAll = followAll;
    }

    /** Time zero of the progress lines from now on. */
    synchronized void restartClock(Instant zero) {
        this.start = zero;
    }

    /**
     * A request this run submits, with the outcome it should reach (or null).
     *
     * @return its first progress line
     */
    synchronized String plan(ConnectionRequested request, RequestFile.Expectation expect) {
        Row row = rows.computeIfAbsent(request.getRequestId(), id -> new Row(id, request.getDomain()));
        row.requestedAt = request.getRequestedAt();
        row.expect = expect;
        if (request.getConnectionType() != null) {
            row.flow = request.getConnectionType().name();
        }
        row.stage = "requested (" + request.getRequestId() + ")";
        return line(row, request.getRequestedAt());
    }

    /**
     * Applies one pipeline event seen at {@code now}.
     *
     * @return the progress line to print when the request's stage moved forward
     */
    synchronized Optional<String> apply(Object event, Instant now) {
        if (event instanceof ConnectionRequested r) {
            boolean known = rows.containsKey(r.getRequestId());
            Row row = row(r.getRequestId(), r.getDomain(), true);
            if (row == null || known) {
                return Optional.empty();   // planned requests were announced when they were submitted
            }
            row.requestedAt = r.getRequestedAt();
            return Optional.of(line(row, now));
        }
        if (event instanceof ConnectionAccepted a) {
            Row row = row(a.getContext());
            return row == null ? Optional.empty()
                    : advance(row, ACCEPTED, "accepted (generation " + a.getContext().getGeneration() + ")", now);
        }
        if (event instanceof OwnerActionRequired o) {
            Row row = row(o.getContext());
            if (row == null) {
                return Optional.empty();
            }
            String what = o.getAction() == OwnerAction.SET_NAMESERVERS
                    ? "owner must set nameservers " + values(o.getRecords())
                    : "owner must set records " + records(o.getRecords());
            return advance(row, CONFIGURED, what, now);
        }
        if (event instanceof ConnectionConfigured c) {
            Row row = row(c.getContext());
            if (row == null) {
                return Optional.empty();
            }
            String what = "configured at Wix" + (c.getPackageId() != null ? " (premium package " + c.getPackageId() + ")" : "")
                    + (c.getRecordsSetByPipeline().isEmpty() ? "" : ", zone set: " + records(c.getRecordsSetByPipeline()));
            return advance(row, CONFIGURED, what, now);
        }
        if (event instanceof PropagationProgress p) {
            Row row = row(p.getContext());
            return row == null ? Optional.empty()
                    : advance(row, PROPAGATING, "propagation " + p.getStatus() + " (check " + p.getChecks() + ")", now);
        }
        if (event instanceof DomainConnected d) {
            Row row = row(d.getContext());
            if (row == null || row.done()) {
                return Optional.empty();
            }
            row.outcome = CONNECTED;
            row.reason = "";
            row.duration = Duration.ofMillis(d.getDurationMillis());
            return advance(row, TERMINAL, "CONNECTED after " + seconds(row.duration), now);
        }
        if (event instanceof DomainFailed f) {
            Row row = row(f.getContext());
            if (row == null || row.done()) {
                return Optional.empty();
            }
            row.outcome = FAILED;
            row.reason = f.getReason().name();
            row.message = f.getMessage();
            if (row.requestedAt != null) {
                row.duration = Duration.between(row.requestedAt, f.getOccurredAt());
            }
            return advance(row, TERMINAL, "FAILED " + row.reason + ": " + f.getMessage(), now);
        }
        return Optional.empty();
    }

    private Row row(RequestContext ctx) {
        Row row = row(ctx.getRequestId(), ctx.getDomain(), false);
        if (row != null) {
            row.domain = ctx.getDomain();
            if (ctx.getFlow() != null && !ctx.getFlow().name().equals("UNKNOWN")) {
                row.flow = ctx.getFlow().name();
            }
        }
        return row;
    }

    private Row row(String requestId, String domain, boolean mayAdd) {
        Row row = rows.get(requestId);
        if (row == null && followAll && mayAdd) {
            row = new Row(requestId, domain);
            rows.put(requestId, row);
        }
        return row;
    }

    private Optional<String> advance(Row row, int rank, String stage, Instant now) {
        if (row.done() || rank < row.rank) {
            return Optional.empty();   // topics are read in parallel: never go backwards
        }
        row.rank = rank;
        row.stage = stage;
        return Optional.of(line(row, now));
    }

    private String line(Row row, Instant now) {
        return String.format(Locale.ROOT, "%8s  %-34s %-12s %s", "+" + seconds(Duration.between(start, now)),
                row.domain, row.flow, row.stage);
    }

    /** True when every request this board knows of has its terminal event. */
    synchronized boolean allDone() {
        return rows.values().stream().allMatch(Row::done);
    }

    synchronized boolean allDone(Collection<String> requestIds) {
        return requestIds.stream().map(rows::get).allMatch(r -> r != null && r.done());
    }

    /** True when every request ended and each one with an expectation ended as expected. */
    synchronized boolean allAsExpected() {
        return allDone() && rows.values().stream().allMatch(Row::asExpected);
    }

    synchronized List<Row> rows() {
        return new ArrayList<>(rows.values());
    }

    /** The summary table: domain, flow, outcome, reason, duration (request to outcome) and, when given, the check. */
    synchronized String summary() {
        boolean checks = rows.values().stream().anyMatch(r -> r.expect != null);
        StringBuilder sb = new StringBuilder();
        String format = "%-34s %-12s %-10s %-24s %9s" + (checks ? "  %s" : "%s") + "%n";
        sb.append(String.format(Locale.ROOT, format, "DOMAIN", "FLOW", "OUTCOME", "REASON", "DURATION", checks ? "EXPECTED" : ""));
        for (Row r : rows.values()) {
            String check = "";
            if (checks) {
                check = r.expect == null ? "-" : r.asExpected() ? "ok (" + r.expect + ")" : "MISMATCH (expected " + r.expect + ")";
            }
            sb.append(String.format(Locale.ROOT, format, r.domain, r.flow.isEmpty() ? "-" : r.flow,
                    r.outcome == null ? "PENDING" : r.outcome, r.reason.isEmpty() ? (r.outcome == null ? r.stage : "-") : r.reason,
                    r.duration == null ? "-" : seconds(r.duration), check));
        }
        long connected = rows.values().stream().filter(r -> CONNECTED.equals(r.outcome)).count();
        long failed = rows.values().stream().filter(r -> FAILED.equals(r.outcome)).count();
        long pending = rows.values().stream().filter(r -> r.outcome == null).count();
        sb.append(String.format(Locale.ROOT, "%d requests: %d connected, %d failed, %d pending%s%n", rows.size(), connected,
                failed, pending, checks ? (allAsExpected() ? "; all as expected" : "; NOT all as expected") : ""));
        return sb.toString();
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }

    private static String values(List<DnsRecord> records) {
        return records.stream().flatMap(r -> r.getValues().stream()).distinct().collect(Collectors.joining(", "));
    }

    private static String records(List<DnsRecord> records) {
        return records.stream().map(r -> r.getType() + " " + r.getHostName() + " → " + String.join(",", r.getValues()))
                .collect(Collectors.joining("; "));
    }
}
