package io.domainlink.tools;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.avro.specific.SpecificRecord;

import io.domainlink.events.ConnectionAccepted;
import io.domainlink.events.ConnectionConfigured;
import io.domainlink.events.ConnectionRequested;
import io.domainlink.events.DnsRecord;
import io.domainlink.events.DomainConnected;
import io.domainlink.events.DomainFailed;
import io.domainlink.events.Flow;
import io.domainlink.events.OwnerActionRequired;
import io.domainlink.events.PropagationProgress;
import io.domainlink.events.RecheckRequested;
import io.domainlink.events.RequestContext;

/**
 * The few facts a person wants from each pipeline event (a pure function of the event): its request, flow,
 * generation, when it happened, and one line of what it says.
 *
 * @param event record name, e.g. {@code DomainFailed}
 * @param requestId the request it belongs to (null for a recheck without one)
 * @param flow null when the event has no context yet (a request)
 * @param generation 0 when the event has no context
 * @param time when it happened ({@code occurredAt}, or {@code requestedAt} for upstream events)
 * @param facts one line for a table
 */
record EventFacts(String event, String requestId, Flow flow, long generation, Instant time, String facts) {

    static EventFacts of(SpecificRecord value) {
        String name = value.getSchema().getName();
        if (value instanceof ConnectionRequested r) {
            String type = r.getConnectionType() == null ? "no connection type (subdomain)" : "connectionType " + r.getConnectionType();
            return new EventFacts(name, r.getRequestId(), null, 0, r.getRequestedAt(),
                    "requested \"" + r.getDomain() + "\", " + type + ", site " + r.getSiteId()
                            + (r.getPremiumPlan() != null ? ", premium plan " + r.getPremiumPlan().getCatalogProductId() : "")
                            + correlation(r.getCorrelation()));
        }
        if (value instanceof RecheckRequested r) {
            return new EventFacts(name, r.getRequestId(), null, 0, r.getRequestedAt(),
                    "owner says DNS was fixed: check now" + correlation(r.getCorrelation()));
        }
        if (value instanceof ConnectionAccepted a) {
            return withContext(name, a.getContext(), a.getOccurredAt(), "accepted as " + a.getContext().getFlow()
                    + ", generation " + a.getContext().getGeneration());
        }
        if (value instanceof ConnectionConfigured c) {
            StringBuilder sb = new StringBuilder("configured at Wix");
            if (c.getPackageId() != null) {
                sb.append(", premium package ").append(c.getPackageId());
            }
            if (!c.getRecordsSetByPipeline().isEmpty()) {
                sb.append(", zone set: ").append(records(c.getRecordsSetByPipeline()));
            }
            sb.append(c.getOwnerMustAct() ? ", owner must act" : ", nothing for the owner to do").append(", Wix status ").append(c.getWixStatus());
            return withContext(name, c.getContext(), c.getOccurredAt(), sb.toString());
        }
        if (value instanceof OwnerActionRequired o) {
            return withContext(name, o.getContext(), o.getOccurredAt(), o.getAction() + " " + records(o.getRecords()));
        }
        if (value instanceof PropagationProgress p) {
            return withContext(name, p.getContext(), p.getOccurredAt(), "propagation " + (p.getPreviousStatus() == null ? "" : p.getPreviousStatus() + " -> ")
                    + p.getStatus() + " (check " + p.getChecks() + (p.getNextCheckAt() != null ? ", next at " + p.getNextCheckAt() : "") + ")");
        }
        if (value instanceof DomainConnected d) {
            return withContext(name, d.getContext(), d.getOccurredAt(), "CONNECTED after " + Times.seconds(d.getDurationMillis())
                    + " (" + d.getChecks() + " checks)");
        }
        if (value instanceof DomainFailed f) {
            String wix = f.getWixErrorCode() == null ? "" : " [Wix " + (f.getWixHttpStatus() == null ? "" : f.getWixHttpStatus() + " ") + f.getWixErrorCode() + "]";
            return withContext(name, f.getContext(), f.getOccurredAt(), "FAILED " + f.getReason() + " at " + f.getStage() + ": "
                    + f.getMessage() + wix);
        }
        return new EventFacts(name, null, null, 0, null, value.toString());
    }

    private static EventFacts withContext(String name, RequestContext c, Instant time, String facts) {
        return new EventFacts(name, c.getRequestId(), c.getFlow(), c.getGeneration(), time, facts);
    }

    static String records(List<DnsRecord> records) {
        return records.stream().map(r -> r.getType() + " " + r.getHostName() + " -> " + String.join(",", r.getValues()))
                .collect(Collectors.joining("; "));
    }

    private static String correlation(java.util.Map<String, String> correlation) {
        return correlation == null || correlation.isEmpty() ? "" : ", correlation " + new java.util.TreeMap<>(correlation);
    }
}
