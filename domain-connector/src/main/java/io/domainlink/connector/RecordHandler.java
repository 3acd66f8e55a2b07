package io.domainlink.connector;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.domainlink.common.DeadLetters;
import io.domainlink.common.Topics;
import io.domainlink.common.ops.LogContext;
import io.domainlink.common.tracing.TraceContext;
import io.domainlink.common.serde.SerdeException;
import io.domainlink.events.ConnectionAccepted;
import io.domainlink.events.ConnectionConfigured;
import io.domainlink.events.DomainFailed;
import io.domainlink.events.FailureReason;
import io.domainlink.events.OwnerActionRequired;
import io.domainlink.events.Stage;

/**
 * One input record, start to finish, on a worker thread: read it (poison ⇒ dead letter; registry unavailable ⇒
 * wait and read again), run the {@link ConnectionWorkflow}, and serialize what it produced (registry unavailable ⇒
 * wait and write again, never repeating the Wix calls). Nothing is sent here: the loop sends the result in the
 * transaction that commits the record's offset.
 */
final class RecordHandler {

    static final String STAGE = "domain-connector";
    private static final Logger log = LoggerFactory.getLogger(RecordHandler.class);

    private final Deserializer<ConnectionAccepted> accepted;
    private final Serializer<ConnectionConfigured> configured;
    private final Serializer<OwnerActionRequired> ownerActions;
    private final Serializer<SpecificRecord> outcomes;
    private final ConnectionWorkflow workflow;
    private final Duration registryBackoff;
    private final Clock clock;

    RecordHandler(Deserializer<ConnectionAccepted> accepted, Serializer<ConnectionConfigured> configured,
                  Serializer<OwnerActionRequired> ownerActions, Serializer<SpecificRecord> outcomes,
                  ConnectionWorkflow workflow, Duration registryBackoff, Clock clock) {
        this.accepted = accepted;
        this.configured = configured;
        this.ownerActions = ownerActions;
        this.outcomes = outcomes;
        this.workflow = workflow;
        this.registryBackoff = registryBackoff;
        this.clock = clock;
    }

    /** @throws CancellationException when the worker is interrupted: the record's work is dropped */
    Processed handle(ConsumerRecord<byte[], byte[]> record) {
        // this stage's span of the request's trace: on every log line while the record is handled and on every output
        TraceContext trace = TraceContext.continueFrom(record.headers());
        try (LogContext logContext = LogContext.record(record.topic(), record.partition(), record.offset()).trace(trace)) {
            return handle(record, trace, logContext);
        }
    }

    private Processed handle(ConsumerRecord<byte[], byte[]> record, TraceContext trace, LogContext logContext) {
        String at = record.topic() + "-" + record.partition() + "@" + record.offset();
        ConnectionAccepted request;
        try {
            request = read(record, at);
        } catch (RuntimeException e) {
            if (e instanceof CancellationException c) {
                throw c;
            }
            log.warn("Poison record sent to the dead-letter topic at={} kind={} error={}", at, DeadLetters.kindOf(e), e.getMessage());
            return new Processed(List.of(DeadLetters.record(STAGE, record.topic(), record.partition(), record.offset(),
                    record.timestamp(), record.key(), record.value(), record.headers(), e)), false, false, null, null, true);
        }
        logContext.request(request.getContext().getRequestId(), request.getContext().getDomain());
        Outcome outcome;
        try {
            outcome = workflow.connect(request, at);
        } catch (CancellationException e) {
            throw e;
        } catch (RuntimeException e) {
            log.error("Unexpected error in the workflow requestId={} domain={} at={}", request.getContext().getRequestId(),
                    request.getContext().getDomain(), at, e);
            outcome = Outcome.failed(DomainFailed.newBuilder().setContext(request.getContext()).setOccurredAt(clock.instant())
                    .setReason(FailureReason.UNKNOWN).setStage(Stage.CONNECTOR)
                    .setMessage("internal error in the domain-connector: " + e.getClass().getSimpleName()).build());
        }
        return write(request, outcome, at, trace);
    }

    private ConnectionAccepted read(ConsumerRecord<byte[], byte[]> record, String at) {
        if (record.value() == null) {
            throw new IllegalArgumentException("record has no value");
        }
        for (int attempt = 1; ; attempt++) {
            try {
                ConnectionAccepted request = accepted.deserialize(record.topic(), record.headers(), record.value());
                if (request == null) {
                    throw new IllegalArgumentException("record decodes to null");
                }
                return request;
            } catch (SerdeException e) {
                if (e.poison()) {
                    throw e;
                }
                log.warn("Schema registry unavailable while reading, retrying at={} attempt={} error={}", at, attempt, e.getMessage());
                pause();
            }
        }
    }

    private Processed write(ConnectionAccepted request, Outcome outcome, String at, TraceContext trace) {
        byte[] key = request.getContext().getDomain().getBytes(StandardCharsets.UTF_8);
        for (int attempt = 1; ; attempt++) {
            try {
                List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
                if (outcome.isFailed()) {
                    out.add(traced(new ProducerRecord<>(Topics.OUTCOMES.name(), key,
                            outcomes.serialize(Topics.OUTCOMES.name(), outcome.failed())), trace));
                    return new Processed(out, false, false, outcome.failed().getReason(),
                            outcome.failed().getPackageCanceled(), false);
                }
                if (outcome.ownerAction() != null) {
                    out.add(traced(new ProducerRecord<>(Topics.OWNER_ACTIONS.name(), key,
                            ownerActions.serialize(Topics.OWNER_ACTIONS.name(), outcome.ownerAction())), trace));
                }
                out.add(traced(new ProducerRecord<>(Topics.CONFIGURED.name(), key,
                        configured.serialize(Topics.CONFIGURED.name(), outcome.configured())), trace));
                return new Processed(out, true, outcome.ownerAction() != null, null, null, false);
            } catch (SerdeException e) {
                log.warn("Cannot write the result yet, retrying requestId={} domain={} at={} attempt={} error={}",
                        request.getContext().getRequestId(), request.getContext().getDomain(), at, attempt, e.getMessage());
                pause();
            }
        }
    }

    private static ProducerRecord<byte[], byte[]> traced(ProducerRecord<byte[], byte[]> record, TraceContext trace) {
        trace.writeTo(record.headers());
        return record;
    }

    private void pause() {
        try {
            Thread.sleep(registryBackoff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for the schema registry");
        }
    }
}
