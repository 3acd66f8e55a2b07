package io.domainlink.tools;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.HdrHistogram.Histogram;

import io.domainlink.events.DomainConnected;
import io.domainlink.events.DomainFailed;
import io.domainlink.events.FailureReason;
import io.domainlink.events.Flow;
import io.domainlink.events.PropagationProgress;
import io.domainlink.events.PropagationStatus;

/**
 * The figures of {@code domainlink stats}, from outcome and progress events whose {@code occurredAt} is in the window
 * (a pure class: no Kafka). Time to connect is {@code DomainConnected.durationMillis} (request to {@code COMPLETED});
 * percentiles are nearest-rank from an HdrHistogram with 3 significant digits.
 */
final class OutcomeStats {

    static final class PerFlow {
        long connected;
        long failed;
        long checks;
        final Histogram timeToConnect = new Histogram(3);
        final Map<FailureReason, Long> reasons = new EnumMap<>(FailureReason.class);
        final Set<String> watched = new HashSet<>();
        final Map<PropagationStatus, Long> progressByStatus = new EnumMap<>(PropagationStatus.class);
    }

    private final Instant from;
    private final Instant to;
    private final Map<Flow, PerFlow> flows = new TreeMap<>();
    private final Map<String, PropagationStatus> lastStatus = new HashMap<>();
    private final Set<String> ended = new HashSet<>();
    private long outcomesRead;
    private long progressRead;

    OutcomeStats(Instant from, Instant to) {
        this.from = from;
        this.to = to;
    }

    boolean inWindow(Instant t) {
        return !t.isBefore(from) && t.isBefore(to);
    }

    void connected(DomainConnected c) {
        if (!inWindow(c.getOccurredAt())) {
            return;
        }
        outcomesRead++;
        PerFlow f = flow(c.getContext().getFlow());
        f.connected++;
        f.checks += c.getChecks();
        f.timeToConnect.recordValue(Math.max(0, c.getDurationMillis()));
        ended.add(c.getContext().getRequestId());
    }

    void failed(DomainFailed d) {
        if (!inWindow(d.getOccurredAt())) {
            return;
        }
        outcomesRead++;
        PerFlow f = flow(d.getContext().getFlow());
        f.failed++;
        f.reasons.merge(d.getReason(), 1L, Long::sum);
        ended.add(d.getContext().getRequestId());
    }

    void progress(PropagationProgress p) {
        if (!inWindow(p.getOccurredAt())) {
            return;
        }
        progressRead++;
        PerFlow f = flow(p.getContext().getFlow());
        f.watched.add(p.getContext().getRequestId());
        f.progressByStatus.merge(p.getStatus(), 1L, Long::sum);
        lastStatus.put(p.getContext().getRequestId(), p.getStatus());
    }

    private PerFlow flow(Flow flow) {
        return flows.computeIfAbsent(flow, k -> new PerFlow());
    }

    long connected(Flow flow) {
        PerFlow f = flows.get(flow);
        return f == null ? 0 : f.connected;
    }

    long failed(Flow flow, FailureReason reason) {
        PerFlow f = flows.get(flow);
        return f == null ? 0 : f.reasons.getOrDefault(reason, 0L);
    }

    /** Nearest-rank percentile of time to connect over every flow, in ms; -1 without a connection. */
    long percentile(double p) {
        Histogram all = all();
        return all.getTotalCount() == 0 ? -1 : all.getValueAtPercentile(p);
    }

    private Histogram all() {
        Histogram all = new Histogram(3);
        flows.values().forEach(f -> all.add(f.timeToConnect));
        return all;
    }

    void print(PrintWriter out) {
        out.printf(Locale.ROOT, "Window %s .. %s: %d outcomes, %d progress events%n%n", from, to, outcomesRead, progressRead);
        Table t = new Table("FLOW", "REQUESTS", "CONNECTED", "FAILED", "CONNECTED%", "P50", "P90", "P99", "MAX", "AVG CHECKS")
                .alignRight(1, 2, 3, 4, 5, 6, 7, 8, 9);
        long c = 0;
        long fl = 0;
        long checks = 0;
        for (Map.Entry<Flow, PerFlow> e : flows.entrySet()) {
            PerFlow f = e.getValue();
            if (f.connected + f.failed == 0) {
                continue;
            }
            row(t, e.getKey().name(), f.connected, f.failed, f.checks, f.timeToConnect);
            c += f.connected;
            fl += f.failed;
            checks += f.checks;
        }
        row(t, "ALL", c, fl, checks, all());
        t.print(out);

        out.println();
        out.println("Failed, by reason:");
        Table r = new Table("FLOW", "REASON", "COUNT", "SHARE OF FLOW").alignRight(2, 3);
        flows.forEach((flow, f) -> f.reasons.forEach((reason, n) -> r.row(flow, reason, n,
                String.format(Locale.ROOT, "%.1f%%", 100.0 * n / (f.connected + f.failed)))));
        if (r.size() == 0) {
            out.println("  (none)");
        } else {
            r.print(out);
        }

        out.println();
        out.println("Propagation (domains.progress):");
        Table p = new Table("FLOW", "REQUESTS WATCHED", "IN_PROGRESS", "COMPLETED", "FAILED", "STILL WATCHED").alignRight(1, 2, 3, 4, 5);
        flows.forEach((flow, f) -> {
            if (f.watched.isEmpty()) {
                return;
            }
            long open = f.watched.stream().filter(id -> !ended.contains(id) && lastStatus.get(id) != PropagationStatus.COMPLETED).count();
            p.row(flow, f.watched.size(), f.progressByStatus.getOrDefault(PropagationStatus.IN_PROGRESS, 0L),
                    f.progressByStatus.getOrDefault(PropagationStatus.COMPLETED, 0L),
                    f.progressByStatus.getOrDefault(PropagationStatus.FAILED, 0L), open);
        });
        if (p.size() == 0) {
            out.println("  (none)");
        } else {
            p.print(out);
        }
        out.flush();
    }

    private static void row(Table t, String flow, long connected, long failed, long checks, Histogram h) {
        long n = connected + failed;
        boolean any = h.getTotalCount() > 0;
        t.row(flow, n, connected, failed, n == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * connected / n),
                any ? Times.seconds(h.getValueAtPercentile(50)) : "-", any ? Times.seconds(h.getValueAtPercentile(90)) : "-",
                any ? Times.seconds(h.getValueAtPercentile(99)) : "-", any ? Times.seconds(h.getMaxValue()) : "-",
                connected == 0 ? "-" : String.format(Locale.ROOT, "%.1f", (double) checks / connected));
    }
}
