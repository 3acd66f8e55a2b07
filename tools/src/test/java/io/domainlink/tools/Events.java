package io.domainlink.tools;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.domainlink.events.ConnectionAccepted;
import io.domainlink.events.ConnectionConfigured;
import io.domainlink.events.ConnectionRequested;
import io.domainlink.events.ConnectionType;
import io.domainlink.events.DnsRecord;
import io.domainlink.events.DomainConnected;
import io.domainlink.events.DomainFailed;
import io.domainlink.events.FailureReason;
import io.domainlink.events.Flow;
import io.domainlink.events.OwnerAction;
import io.domainlink.events.OwnerActionRequired;
import io.domainlink.events.PropagationProgress;
import io.domainlink.events.PropagationStatus;
import io.domainlink.events.RecordType;
import io.domainlink.events.RequestContext;
import io.domainlink.events.Stage;

/** Pipeline events as the services write them, built with the generated builders. */
final class Events {

    static final String ACCOUNT = "9795dd3f-f50c-4092-a5c4-1c8e88517e1c";
    static final String SITE = "e365b3fc-8416-4310-a1c2-a4074de10dd0";

    private Events() {
    }

    static RequestContext context(String requestId, String domain, Flow flow, long generation) {
        return RequestContext.newBuilder().setRequestId(requestId).setDomain(domain).setFlow(flow).setAccountId(ACCOUNT)
                .setSiteId(SITE).setCorrelation(Map.of("ticket", "T-" + requestId)).setGeneration(generation).build();
    }

    static ConnectionRequested requested(String requestId, String domain, ConnectionType type, Instant at) {
        return ConnectionRequested.newBuilder().setRequestId(requestId).setDomain(domain).setConnectionType(type)
                .setAccountId(ACCOUNT).setSiteId(SITE).setCorrelation(Map.of("ticket", "T-" + requestId)).setRequestedAt(at).build();
    }

    static ConnectionAccepted accepted(RequestContext c, Instant requestedAt, Instant at) {
        return ConnectionAccepted.newBuilder().setContext(c).setOccurredAt(at).setRequestedAt(requestedAt)
                .setConnectionType(c.getFlow() == Flow.SUBDOMAIN ? null : ConnectionType.valueOf(c.getFlow().name())).build();
    }

    static ConnectionConfigured configured(RequestContext c, Instant requestedAt, Instant at) {
        return ConnectionConfigured.newBuilder().setContext(c).setOccurredAt(at).setRequestedAt(requestedAt)
                .setRecordsForOwner(List.of(record(c.getDomain()))).setOwnerMustAct(true)
                .setWixStatus(PropagationStatus.IN_PROGRESS).build();
    }

    static OwnerActionRequired ownerAction(RequestContext c, Instant at) {
        return OwnerActionRequired.newBuilder().setContext(c).setOccurredAt(at).setAction(OwnerAction.SET_RECORDS)
                .setRecords(List.of(record(c.getDomain()))).setInstructions("Set these records at your registrar.").build();
    }

    static PropagationProgress progress(RequestContext c, PropagationStatus previous, PropagationStatus status, int checks, Instant at) {
        return PropagationProgress.newBuilder().setContext(c).setOccurredAt(at).setPreviousStatus(previous).setStatus(status)
                .setChecks(checks).build();
    }

    static DomainConnected connected(RequestContext c, Instant requestedAt, Instant at, int checks) {
        return DomainConnected.newBuilder().setContext(c).setOccurredAt(at).setRequestedAt(requestedAt)
                .setDurationMillis(at.toEpochMilli() - requestedAt.toEpochMilli()).setChecks(checks).build();
    }

    static DomainFailed failed(RequestContext c, FailureReason reason, Stage stage, Instant at) {
        return DomainFailed.newBuilder().setContext(c).setOccurredAt(at).setReason(reason).setStage(stage)
                .setMessage(reason + " for " + c.getRequestId()).build();
    }

    private static DnsRecord record(String domain) {
        return DnsRecord.newBuilder().setType(RecordType.CNAME).setHostName("www." + domain).setValues(List.of("pointing.wixdns.net")).build();
    }
}
