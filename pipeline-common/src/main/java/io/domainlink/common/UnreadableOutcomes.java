package io.domainlink.common;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.domainlink.common.kafka.DeadLetterCompanion;
import io.domainlink.common.tracing.TraceContext;
import io.domainlink.events.DomainFailed;
import io.domainlink.events.FailureReason;
import io.domainlink.events.Flow;
import io.domainlink.events.RequestContext;
import io.domainlink.events.Stage;

/**
 * The {@code DomainFailed(UNREADABLE)} that ends a request when a stage dead-letters one of its records, so the
 * request-ingestor's in-flight guard frees the domain instead of refusing it {@code DOMAIN_IN_FLIGHT} forever.
 *
 * <p>The stage cannot read the record's value, so the event is built from what it can trust: the key (the domain,
 * when it is a normalized domain name) and the internal request headers ({@link RequestHeaders}; the request id is
 * required, a missing or malformed generation is 0). The context therefore has {@code flow = UNKNOWN}, empty
 * {@code accountId} and {@code siteId} and no correlation. Only records of the given topics get one (the internal
 * topics whose producer writes the headers: a record an upstream system wrote, e.g. on {@code domains.rechecks}, cannot
 * end a request this way). The event is keyed by the domain, on {@code domains.outcomes}, with this stage's span of
 * the record's trace.
 */
public final class UnreadableOutcomes implements DeadLetterCompanion {

    private static final Logger log = LoggerFactory.getLogger(UnreadableOutcomes.class);

    private final Stage stage;
    private final String stageName;
    private final Set<String> topics;
    private final Serializer<SpecificRecord> outcomes;
    private final Clock clock;

    /**
     * @param stage the stage the event names
     * @param stageName the service name, for the message (e.g. {@code domain-connector})
     * @param topics the topics whose records name their request in headers
     * @param outcomes the outcomes topic's value serializer ({@code Topics.OUTCOMES.valueSerializer(registry, autoRegister)})
     */
    public UnreadableOutcomes(Stage stage, String stageName, Set<String> topics, Serializer<SpecificRecord> outcomes, Clock clock) {
        this.stage = stage;
        this.stageName = stageName;
        this.topics = Set.copyOf(topics);
        this.outcomes = outcomes;
        this.clock = clock;
    }

    /**
     * The event for an unreadable record of {@code topic}, when its key and headers name a request.
     *
     * @param at the record's coordinates ({@code topic-partition@offset}), or just the topic where they are not known
     */
    public Optional<DomainFailed> failed(String topic, String at, byte[] key, Headers headers, Throwable error) {
        if (!topics.contains(topic)) {
            return Optional.empty();
        }
        Optional<String> domain = domain(key);
        Optional<String> requestId = RequestHeaders.requestId(headers);
        if (domain.isEmpty() || requestId.isEmpty()) {
            return Optional.empty();
        }
        RequestContext context = RequestContext.newBuilder()
                .setRequestId(requestId.get())
                .setDomain(domain.get())
                .setFlow(Flow.UNKNOWN)
                .setAccountId("")
                .setSiteId("")
                .setCorrelation(Map.of())
                .setGeneration(RequestHeaders.generation(headers).orElse(0))
                .build();
        return Optional.of(failed(context, "the " + stageName + " could not read its record " + at + " ("
                + DeadLetters.kindOf(error) + "); the record is in " + Topics.DEAD_LETTER.name()));
    }

    /** An {@code UNREADABLE} failure of this stage for a request whose context is known. */
    public DomainFailed failed(RequestContext context, String message) {
        return DomainFailed.newBuilder().setContext(context).setOccurredAt(clock.instant())
                .setReason(FailureReason.UNREADABLE).setStage(stage).setMessage(message).build();
    }

    /**
     * The record for {@code domains.outcomes}, keyed by the event's domain, with {@code trace}.
     *
     * @throws org.apache.kafka.common.errors.SerializationException when it cannot be serialized (e.g. the registry is
     *     unavailable): the caller decides whether to retry or to publish the dead letter alone
     */
    public ProducerRecord<byte[], byte[]> record(DomainFailed failed, TraceContext trace) {
        byte[] value = outcomes.serialize(Topics.OUTCOMES.name(), failed);
        return new ProducerRecord<>(Topics.OUTCOMES.name(), null, failed.getContext().getDomain().getBytes(StandardCharsets.UTF_8),
                value, trace.writeTo(new RecordHeaders()));
    }

    /**
     * The companion of a dead letter the Kafka Streams deserialization handler writes. When the event cannot be
     * serialized it logs an ERROR and returns none: the dead letter is still written, and the domain is then freed by
     * the request-ingestor's {@code in.flight.max.age.ms} or by {@code domainlink release}.
     */
    @Override
    public List<ProducerRecord<byte[], byte[]>> companions(String topic, byte[] key, Headers headers, Throwable error) {
        try {
            return failed(topic, topic, key, headers, error)
                    .map(f -> List.of(record(f, TraceContext.continueFrom(headers))))
                    .orElse(List.of());
        } catch (RuntimeException e) {
            log.error("cannot write the DomainFailed(UNREADABLE) beside a dead letter of {}; only the dead letter is written, "
                    + "the request stays in flight until in.flight.max.age.ms or domainlink release: {}", topic, e.toString());
            return List.of();
        }
    }

    /** The key as a domain, when it is a normalized domain name (UTF-8, as every internal topic is keyed). */
    static Optional<String> domain(byte[] key) {
        if (key == null || key.length == 0 || key.length > DomainNames.MAX_LENGTH) {
            return Optional.empty();
        }
        return RequestHeaders.utf8(key).filter(UnreadableOutcomes::isNormalized);
    }

    private static boolean isNormalized(String domain) {
        try {
            return DomainNames.normalize(domain).equals(domain);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
