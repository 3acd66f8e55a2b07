package io.domainlink.ingestor;

import java.time.Duration;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.domainlink.events.ConnectionRequested;
import io.domainlink.events.FailureReason;
import io.domainlink.ingestor.InternalRecords.Admission;
import io.domainlink.ingestor.InternalRecords.IdEntry;
import io.domainlink.ingestor.RequestValidator.Invalid;
import io.domainlink.ingestor.RequestValidator.Valid;
import io.domainlink.ingestor.RequestValidator.Verdict;

/**
 * Partitioned by request id. Validates the request and remembers its id with its fingerprint for the retention:
 * a different payload under a remembered id is a {@code REQUEST_ID_CONFLICT}; an identical invalid one is dropped
 * (it was answered already); an identical valid one goes on to the in-flight guard, which knows whether it was
 * admitted (drop) or refused while another request was in flight (decide again). Output is keyed by the
 * normalized domain.
 */
final class RequestIdDedupProcessor implements Processor<String, ConnectionRequested, String, Step> {

    private static final Logger log = LoggerFactory.getLogger(RequestIdDedupProcessor.class);

    private final RequestValidator validator;
    private final IngestorSettings settings;
    private final IngestorMetrics metrics;
    private ProcessorContext<String, Step> context;
    private ExpiringIds ids;

    RequestIdDedupProcessor(RequestValidator validator, IngestorSettings settings, IngestorMetrics metrics) {
        this.validator = validator;
        this.settings = settings;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Step> context) {
        this.context = context;
        this.ids = new ExpiringIds(context.getStateStore(IngestorTopology.REQUEST_IDS), context.getStateStore(IngestorTopology.REQUEST_IDS_BY_EXPIRY));
        ids.schedulePurge(context, settings.purgeInterval(), metrics, IngestorTopology.REQUEST_IDS);
    }

    @Override
    public void process(Record<String, ConnectionRequested> record) {
        long now = context.currentSystemTimeMs();
        String at = IngestorTopology.at(context);
        ConnectionRequested request = record.value();
        String requestId = record.key();
        Verdict verdict = validator.validate(request, now);
        byte[] fingerprint = Fingerprint.of(request);

        IdEntry seen = ids.get(requestId, now);
        if (seen != null) {
            if (!seen.sameFingerprint(fingerprint)) {
                String message = "requestId '" + requestId + "' was already used for a different request within the last "
                        + human(settings.dedupRetention()) + "; a re-published request must be identical except requestedAt";
                reject(record, verdict, FailureReason.REQUEST_ID_CONFLICT, message, now, at);
            } else if (seen.valid() && verdict instanceof Valid valid) {
                context.forward(record.withKey(valid.key()).withValue(new Step.Forward(new Admission(fingerprint, valid.accepted()))));
            } else {
                metrics.duplicateDropped();
                log.info("duplicate dropped requestId={} domain={} fingerprint={} at={} (an identical invalid request was answered already)",
                        requestId, verdict.key(), Fingerprint.shortHex(fingerprint), at);
            }
            return;
        }

        ids.put(requestId, new IdEntry(fingerprint, now + settings.dedupRetention().toMillis(), verdict instanceof Valid));
        if (verdict instanceof Invalid invalid) {
            reject(record, verdict, FailureReason.INVALID_REQUEST, invalid.message(), now, at);
        } else {
            Valid valid = (Valid) verdict;
            context.forward(record.withKey(valid.key()).withValue(new Step.Forward(new Admission(fingerprint, valid.accepted()))));
        }
    }

    private void reject(Record<String, ConnectionRequested> record, Verdict verdict, FailureReason reason, String message,
                        long now, String at) {
        context.forward(record.withKey(verdict.key()).withValue(
                new Step.Reject(Rejections.reject(metrics, verdict.context(), reason, message, now, at))));
    }

    static String human(Duration d) {
        if (d.toDays() > 0 && d.equals(Duration.ofDays(d.toDays()))) {
            return d.toDays() + " days";
        }
        if (d.toHours() > 0 && d.equals(Duration.ofHours(d.toHours()))) {
            return d.toHours() + " hours";
        }
        return d.toMillis() + " ms";
    }
}
