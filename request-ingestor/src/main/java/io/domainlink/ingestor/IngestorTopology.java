package io.domainlink.ingestor;

import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.domainlink.common.Topics;
import io.domainlink.common.tracing.TracingProcessor;
import io.domainlink.events.ConnectionRequested;
import io.domainlink.events.FailureReason;
import io.domainlink.ingestor.InternalRecords.Admission;
import io.domainlink.ingestor.RequestValidator.Invalid;

/**
 * The request-ingestor topology:
 *
 * <pre>
 * requests ─▶ drop tombstones ─┬─ unusable requestId ─▶ DomainFailed(INVALID_REQUEST) ─▶ outcomes
 *                              └─ selectKey(requestId) ─▶ repartition "by-request-id"
 *                                   ─▶ validate + de-duplicate by id [request-ids] ─┬─ rejection ─▶ outcomes
 *                                                                                   └─ repartition "by-domain"
 * outcomes ─▶ end in-flight [in-flight] ◀──── (co-partitioned) ──── in-flight guard [in-flight, admitted-ids]
 *                                                                      ├─ accepted ─▶ accepted
 *                                                                      └─ rejection ─▶ outcomes
 * </pre>
 */
public final class IngestorTopology {

    public static final String REQUEST_IDS = "request-ids";
    public static final String REQUEST_IDS_BY_EXPIRY = "request-ids-by-expiry";
    public static final String ADMITTED_IDS = "admitted-ids";
    public static final String ADMITTED_IDS_BY_EXPIRY = "admitted-ids-by-expiry";
    public static final String IN_FLIGHT = "in-flight";
    public static final String BY_REQUEST_ID = "by-request-id";
    public static final String BY_DOMAIN = "by-domain";

    private static final Logger log = LoggerFactory.getLogger(IngestorTopology.class);

    private IngestorTopology() {
    }

    public static Topology build(IngestorSettings settings, IngestorSerdes serdes, IngestorMetrics metrics) {
        RequestValidator validator = new RequestValidator(settings.limits());
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(REQUEST_IDS), Serdes.String(), InternalRecords.idEntrySerde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(REQUEST_IDS_BY_EXPIRY), Serdes.Bytes(), Serdes.ByteArray()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ADMITTED_IDS), Serdes.String(), InternalRecords.idEntrySerde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ADMITTED_IDS_BY_EXPIRY), Serdes.Bytes(), Serdes.ByteArray()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(IN_FLIGHT), Serdes.String(), InternalRecords.domainStateSerde()));

        Produced<String, SpecificRecord> toOutcomes = Produced.with(Serdes.String(), serdes.outcomes());

        Map<String, KStream<String, ConnectionRequested>> byIdUsability = builder
                .stream(Topics.REQUESTS.name(), Consumed.with(Serdes.String(), serdes.requests()).withName("read-requests"))
                .peek((key, request) -> metrics.eventIn(Topics.REQUESTS.name()), Named.as("count-requests"))
                // this stage's span of the caller's trace (a new trace when the request has none): every record produced
                // from the request carries it, through both repartition topics, to accepted and outcomes
                .processValues(TracingProcessor.<String, ConnectionRequested>startSpan((k, r) -> r.getRequestId(), (k, r) -> r.getDomain()),
                        Named.as("trace-request"))
                .filter((key, request) -> {
                    if (request == null) {
                        metrics.tombstoneIgnored();
                        log.warn("ignored a record without a value on {} key={}", Topics.REQUESTS.name(), key);
                        return false;
                    }
                    return true;
                }, Named.as("drop-tombstones"))
                .split(Named.as("request-id-"))
                .branch((key, request) -> validator.usableRequestId(request.getRequestId()), Branched.as("usable"))
                .defaultBranch(Branched.as("unusable"));

        // a request whose id cannot be a de-duplication key is answered at once (each time it is published)
        byIdUsability.get("request-id-unusable")
                .map((key, request) -> {
                    long now = System.currentTimeMillis();
                    Invalid invalid = (Invalid) validator.validate(request, now);
                    return KeyValue.pair(invalid.key(), (SpecificRecord) Rejections.reject(metrics, invalid.context(),
                            FailureReason.INVALID_REQUEST, invalid.message(), now, Topics.REQUESTS.name()));
                }, Named.as("reject-unusable-request-id"))
                .to(Topics.OUTCOMES.name(), toOutcomes.withName("write-unusable-request-id-rejections"));

        Map<String, KStream<String, Step>> afterDedup = byIdUsability.get("request-id-usable")
                .selectKey((key, request) -> request.getRequestId(), Named.as("key-by-request-id"))
                .repartition(Repartitioned.with(Serdes.String(), InternalRecords.requestRepartitionSerde(serdes.requests()))
                        .withName(BY_REQUEST_ID).withNumberOfPartitions(settings.partitions()))
                .processValues(TracingProcessor.<String, ConnectionRequested>logOnly((id, r) -> id, (id, r) -> r.getDomain()),
                        Named.as("log-context-by-request-id"))
                .process(() -> new RequestIdDedupProcessor(validator, settings, metrics), Named.as("dedup-by-request-id"),
                        REQUEST_IDS, REQUEST_IDS_BY_EXPIRY)
                .split(Named.as("dedup-"))
                .branch((key, step) -> step instanceof Step.Reject, Branched.as("rejected"))
                .defaultBranch(Branched.as("forwarded"));

        afterDedup.get("dedup-rejected")
                .mapValues(step -> (SpecificRecord) ((Step.Reject) step).failed(), Named.as("dedup-rejection"))
                .to(Topics.OUTCOMES.name(), toOutcomes.withName("write-dedup-rejections"));

        Map<String, KStream<String, Step>> afterGuard = afterDedup.get("dedup-forwarded")
                .mapValues(step -> ((Step.Forward) step).admission(), Named.as("admission"))
                .repartition(Repartitioned.with(Serdes.String(), InternalRecords.admissionSerde(serdes.accepted()))
                        .withName(BY_DOMAIN).withNumberOfPartitions(settings.partitions()))
                .processValues(TracingProcessor.<String, Admission>logOnly((d, a) -> a.accepted().getContext().getRequestId(), (d, a) -> d),
                        Named.as("log-context-by-domain"))
                .process(() -> new InFlightGuardProcessor(settings, metrics), Named.as("in-flight-guard"),
                        IN_FLIGHT, ADMITTED_IDS, ADMITTED_IDS_BY_EXPIRY)
                .split(Named.as("guard-"))
                .branch((key, step) -> step instanceof Step.Accept, Branched.as("accepted"))
                .defaultBranch(Branched.as("rejected"));

        afterGuard.get("guard-accepted")
                .mapValues(step -> ((Step.Accept) step).accepted(), Named.as("accepted-event"))
                .to(Topics.ACCEPTED.name(), Produced.with(Serdes.String(), serdes.accepted()).withName("write-accepted"));
        afterGuard.get("guard-rejected")
                .mapValues(step -> (SpecificRecord) ((Step.Reject) step).failed(), Named.as("guard-rejection"))
                .to(Topics.OUTCOMES.name(), toOutcomes.withName("write-guard-rejections"));

        builder.stream(Topics.OUTCOMES.name(), Consumed.with(Serdes.String(), serdes.outcomes()).withName("read-outcomes"))
                .peek((key, outcome) -> metrics.eventIn(Topics.OUTCOMES.name()), Named.as("count-outcomes"))
                .processValues(TracingProcessor.<String, SpecificRecord>logOnly((d, o) -> o.get(0) instanceof
                        io.domainlink.events.RequestContext c ? c.getRequestId() : null, (d, o) -> d), Named.as("log-context-outcomes"))
                .process(OutcomeListener::new, Named.as("end-in-flight"), IN_FLIGHT);

        return builder.build();
    }

    /** {@code topic-partition@offset} of the record being processed, for log lines. */
    static String at(ProcessingContext context) {
        return context.recordMetadata().map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("-");
    }
}
