package io.domainlink.common.kafka;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.domainlink.common.DeadLetters;
import io.domainlink.common.serde.SerdeException;

/**
 * Kafka Streams processing handler: a record whose processing throws is retried a few times, then dead-lettered.
 * <ul>
 *   <li>The first {@code processing.attempts.max - 1} failures of a record answer {@code fail}: the stream thread dies,
 *       {@link StreamsSupervisor} replaces it, and the record is processed again from the last commit (a transient
 *       error heals). The count is kept in {@link ProcessingFailures}, shared by every thread of the instance.</li>
 *   <li>The next failure — or the first one that is poison ({@link DeadLetters#isPoison}) — writes a dead letter of the
 *       raw source record ({@link DeadLetters#record}) plus whatever the configured {@link DeadLetterCompanion} returns
 *       for it, in the task's transaction, and processing resumes with the next record.</li>
 *   <li>A schema registry or Kafka error that time can heal (a non-poison {@link SerdeException}, a
 *       {@link RetriableException}) never dead-letters a record: it always answers {@code fail}, and a long outage is
 *       bounded by the thread-replacement policy instead.</li>
 *   <li>An error with no input record (a punctuator's) answers {@code fail}.</li>
 * </ul>
 * Configuration objects: {@link #FAILURES_CONFIG} (required), {@link #ATTEMPTS_CONFIG}, and the keys every dead-letter
 * handler reads ({@link DeadLetterDeserializationHandler#STAGE_CONFIG}, {@link DeadLetterDeserializationHandler#COUNTER_CONFIG},
 * {@link DeadLetterDeserializationHandler#COMPANION_CONFIG}). {@link StreamsSupervisor#configure} sets them.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {

    /** A {@link ProcessingFailures}, the same object for every thread of the instance. */
    public static final String FAILURES_CONFIG = "domainlink.processing.failures";
    /** An {@link Integer}: attempts per record before its dead letter (default 3). */
    public static final String ATTEMPTS_CONFIG = "domainlink.processing.attempts";

    private static final Logger log = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);

    private DeadLetterHandlerConfig config = DeadLetterHandlerConfig.defaults();
    private ProcessingFailures failures;
    private int attempts = 3;

    @Override
    public void configure(Map<String, ?> configs) {
        config = DeadLetterHandlerConfig.from(configs);
        if (!(configs.get(FAILURES_CONFIG) instanceof ProcessingFailures f)) {
            throw new ConfigException(FAILURES_CONFIG + " must be the instance's ProcessingFailures object");
        }
        failures = f;
        if (configs.get(ATTEMPTS_CONFIG) instanceof Integer n && n >= 1) {
            attempts = n;
        }
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        String topic = context.topic();
        if (topic == null || context.offset() < 0) {
            log.warn("processing failed outside any input record (task {} node {}), failing the thread: {}",
                    context.taskId(), context.processorNodeId(), exception.toString());
            return Response.fail();
        }
        String at = topic + "-" + context.partition() + "@" + context.offset();
        if (outsideTheRecord(exception)) {
            log.warn("processing {} failed for now, failing the thread to retry: {}", at, exception.toString());
            return Response.fail();
        }
        int attempt = DeadLetters.isPoison(exception) ? attempts
                : failures.failed(topic, context.partition(), context.offset());
        if (attempt < attempts) {
            log.warn("processing {} failed (attempt {} of {}), failing the thread to retry it: {}", at, attempt, attempts,
                    exception.toString());
            return Response.fail();
        }
        failures.forget(topic, context.partition(), context.offset());
        log.error("dead-lettering {} after {} failed attempt(s) in node {} kind={}: {}", at, attempt,
                context.processorNodeId(), DeadLetters.kindOf(exception), exception.toString(), exception);
        ProducerRecord<byte[], byte[]> dead = DeadLetters.record(config.stage, topic, context.partition(), context.offset(),
                context.timestamp(), context.sourceRawKey(), context.sourceRawValue(), context.headers(), exception);
        return Response.resume(config.withCompanions(dead, topic, context.sourceRawKey(), context.headers(), exception));
    }


    /**
     * Not the record's fault: the registry is unreachable or refuses this service's schema (a non-poison
     * {@link SerdeException}), or Kafka answered a retriable error. Dead-lettering would lose a good record.
     */
    static boolean outsideTheRecord(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SerdeException se) {
                return !se.poison();
            }
            if (t instanceof RetriableException) {
                return true;
            }
        }
        return false;
    }
}
