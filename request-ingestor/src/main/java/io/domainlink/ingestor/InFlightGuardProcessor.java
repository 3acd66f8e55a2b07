package io.domainlink.ingestor;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.domainlink.common.RequestHeaders;
import io.domainlink.events.ConnectionAccepted;
import io.domainlink.events.FailureReason;
import io.domainlink.events.RequestContext;
import io.domainlink.ingestor.InternalRecords.Admission;
import io.domainlink.ingestor.InternalRecords.DomainState;
import io.domainlink.ingestor.InternalRecords.IdEntry;

/**
 * Partitioned by normalized domain (co-partitioned with the outcomes topic). Admits a request when its domain has
 * no request in flight, with generation = previous + 1, and writes the internal request headers on the accepted event;
 * refuses a different request while one is in flight ({@code DOMAIN_IN_FLIGHT}) unless the one in flight is older than
 * {@code in.flight.max.age.ms} (then the new one is admitted, WARN and counted); drops a re-published request that was
 * admitted already (remembered for the retention). {@link OutcomeListener} ends the in-flight state when the active
 * request's outcome is published.
 */
final class InFlightGuardProcessor implements Processor<String, Admission, String, Step> {

    private static final Logger log = LoggerFactory.getLogger(InFlightGuardProcessor.class);

    private final IngestorSettings settings;
    private final IngestorMetrics metrics;
    private ProcessorContext<String, Step> context;
    private KeyValueStore<String, DomainState> domains;
    private ExpiringIds admitted;

    InFlightGuardProcessor(IngestorSettings settings, IngestorMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Step> context) {
        this.context = context;
        this.domains = context.getStateStore(IngestorTopology.IN_FLIGHT);
        this.admitted = new ExpiringIds(context.getStateStore(IngestorTopology.ADMITTED_IDS), context.getStateStore(IngestorTopology.ADMITTED_IDS_BY_EXPIRY));
        admitted.schedulePurge(context, settings.purgeInterval(), metrics, IngestorTopology.ADMITTED_IDS);
    }

    @Override
    public void process(Record<String, Admission> record) {
        long now = context.currentSystemTimeMs();
        String at = IngestorTopology.at(context);
        String domain = record.key();
        Admission admission = record.value();
        ConnectionAccepted candidate = admission.accepted();
        RequestContext ctx = candidate.getContext();
        String requestId = ctx.getRequestId();
        DomainState state = domains.get(domain);
        if (state == null) {
            state = DomainState.EMPTY;
        }

        IdEntry before = admitted.get(requestId, now);
        boolean isActive = state.inFlight() && state.activeRequestId().equals(requestId);
        if (before != null || isActive) {
            boolean same = before != null ? before.sameFingerprint(admission.fingerprint())
                    : Arrays.equals(state.activeFingerprint(), admission.fingerprint());
            if (same) {
                metrics.duplicateDropped();
                log.info("duplicate dropped requestId={} domain={} fingerprint={} at={} (admitted already)",
                        requestId, domain, Fingerprint.shortHex(admission.fingerprint()), at);
            } else {
                reject(record, ctx, FailureReason.REQUEST_ID_CONFLICT, "requestId '" + requestId
                        + "' was already admitted for a different request; a re-published request must be identical except requestedAt", now, at);
            }
            return;
        }

        if (state.inFlight()) {
            Duration age = Duration.ofMillis(now - state.activeSince());
            if (age.compareTo(settings.inFlightMaxAge()) < 0) {
                reject(record, ctx, FailureReason.DOMAIN_IN_FLIGHT, "domain '" + domain + "' has request '" + state.activeRequestId()
                        + "' in flight (generation " + state.generation() + ", admitted at " + Instant.ofEpochMilli(state.activeSince())
                        + "); publish again after its outcome", now, at);
                return;
            }
            metrics.inFlightExpired();
            log.warn("in-flight request expired: admitting requestId={} domain={} although request {} (generation {}, admitted at {}) "
                    + "has had no outcome for {}, longer than {}={} at={}", requestId, domain, state.activeRequestId(),
                    state.generation(), Instant.ofEpochMilli(state.activeSince()), age, IngestorConfig.IN_FLIGHT_MAX_AGE_MS,
                    settings.inFlightMaxAge(), at);
        }

        DomainState next = state.admit(requestId, admission.fingerprint(), now);
        domains.put(domain, next);
        admitted.put(requestId, new IdEntry(admission.fingerprint(), now + settings.dedupRetention().toMillis(), true));
        RequestContext admittedContext = RequestContext.newBuilder(ctx).setGeneration(next.generation()).build();
        ConnectionAccepted accepted = ConnectionAccepted.newBuilder(candidate)
                .setContext(admittedContext)
                .setOccurredAt(Instant.ofEpochMilli(now))
                .build();
        metrics.accepted();
        log.info("admitted requestId={} domain={} flow={} generation={} at={}", requestId, domain, ctx.getFlow(), next.generation(), at);
        // the next stage can still end this request when it cannot read the event (UnreadableOutcomes)
        Headers headers = RequestHeaders.write(new RecordHeaders(record.headers().toArray()), requestId, next.generation());
        context.forward(record.withValue(new Step.Accept(accepted)).withHeaders(headers));
    }

    private void reject(Record<String, Admission> record, RequestContext ctx, FailureReason reason, String message, long now, String at) {
        context.forward(record.withValue(new Step.Reject(Rejections.reject(metrics, ctx, reason, message, now, at))));
    }
}
