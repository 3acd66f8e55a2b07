package io.domainlink.common.kafka;

import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.domainlink.common.DeadLetters;

/**
 * Kafka Streams deserialization handler: poison records go to the dead-letter topic (inside the stream's own
 * transaction) with the stage's companion records, and processing continues; a registry outage fails the thread so
 * the record is retried. Configure {@link #STAGE_CONFIG} with the service name, and optionally {@link #COUNTER_CONFIG}
 * with a {@link Runnable} called once per dead-lettered record (the service's metric) and {@link #COMPANION_CONFIG}
 * with a {@link DeadLetterCompanion} (objects, in the Streams properties). One WARN line per dead letter.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {

    public static final String STAGE_CONFIG = "domainlink.dlq.stage";
    public static final String COUNTER_CONFIG = "domainlink.dlq.counter";
    public static final String COMPANION_CONFIG = "domainlink.dlq.companion";
    private static final Logger log = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

    private DeadLetterHandlerConfig config = DeadLetterHandlerConfig.defaults();

    @Override
    public void configure(Map<String, ?> configs) {
        config = DeadLetterHandlerConfig.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        if (!DeadLetters.isPoison(exception)) {
            log.warn("cannot deserialize {}-{}@{} for now, failing the thread to retry: {}",
                    record.topic(), record.partition(), record.offset(), DeadLetters.truncatedMessage(exception));
            return Response.fail();
        }
        log.warn("dead-lettering {}-{}@{} kind={}: {}", record.topic(), record.partition(), record.offset(),
                DeadLetters.kindOf(exception), DeadLetters.truncatedMessage(exception));
        return Response.resume(config.withCompanions(DeadLetters.record(config.stage, record.topic(), record.partition(),
                record.offset(), record.timestamp(), record.key(), record.value(), record.headers(), exception),
                record.topic(), record.key(), record.headers(), exception));
    }
}
