package io.domainlink.common.kafka;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.domainlink.common.DeadLetters;

/**
 * Kafka Streams deserialization handler: poison records go to the dead-letter topic (inside the stream's own
 * transaction) and processing continues; a registry outage fails the thread so the record is retried.
 * Configure {@link #STAGE_CONFIG} with the service name, and optionally {@link #COUNTER_CONFIG} with a
 * {@link Runnable} called once per dead-lettered record (the service's metric).
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {

    public static final String STAGE_CONFIG = "domainlink.dlq.stage";
    public static final String COUNTER_CONFIG = "domainlink.dlq.counter";
    private static final Logger log = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

    private String stage = "unknown";
    private Runnable counter = () -> { };

    @Override
    public void configure(Map<String, ?> configs) {
        Object s = configs.get(STAGE_CONFIG);
        if (s != null) {
            stage = s.toString();
        }
        if (configs.get(COUNTER_CONFIG) instanceof Runnable r) {
            counter = r;
        }
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        if (!DeadLetters.isPoison(exception)) {
            log.warn("cannot deserialize {}-{}@{} for now, failing the thread to retry: {}",
                    record.topic(), record.partition(), record.offset(), exception.getMessage());
            return Response.fail();
        }
        counter.run();
        log.warn("dead-lettering {}-{}@{} kind={}: {}", record.topic(), record.partition(), record.offset(),
                DeadLetters.kindOf(exception), exception.getMessage());
        return Response.resume(List.of(DeadLetters.record(stage, record.topic(), record.partition(), record.offset(),
                record.timestamp(), record.key(), record.value(), record.headers(), exception)));
    }
}
