package io.domainlink.ingestor;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.domainlink.events.DomainConnected;
import io.domainlink.events.DomainFailed;
import io.domainlink.events.RequestContext;
import io.domainlink.events.Stage;
import io.domainlink.ingestor.InternalRecords.DomainState;

/**
 * Reads the outcomes topic (keyed by normalized domain, co-partitioned with the by-domain repartition topic) and
 * ends a domain's in-flight state when the outcome of its active request arrives: any {@code DomainConnected} or
 * {@code DomainFailed} naming that request id, including {@code UNREADABLE} (a later stage dead-lettered one of its
 * records) and {@code OPERATOR_RELEASED} ({@code domainlink release}). The ingestor's own rejections (DomainFailed
 * from stage INGESTOR) never end anything: they are about requests that were never admitted.
 */
final class OutcomeListener implements Processor<String, SpecificRecord, Void, Void> {

    private static final Logger log = LoggerFactory.getLogger(OutcomeListener.class);

    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, DomainState> domains;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.domains = context.getStateStore(IngestorTopology.IN_FLIGHT);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        RequestContext ctx;
        if (record.value() instanceof DomainConnected connected) {
            ctx = connected.getContext();
        } else if (record.value() instanceof DomainFailed failed) {
            if (failed.getStage() == Stage.INGESTOR) {
                return;
            }
            ctx = failed.getContext();
        } else {
            return;
        }
        String domain = record.key() != null ? record.key() : ctx.getDomain();
        DomainState state = domains.get(domain);
        if (state != null && state.inFlight() && state.activeRequestId().equals(ctx.getRequestId())) {
            domains.put(domain, state.ended());
            log.info("in-flight ended requestId={} domain={} generation={} outcome={} at={}", ctx.getRequestId(), domain,
                    state.generation(), record.value().getClass().getSimpleName(), IngestorTopology.at(context));
        }
    }
}
