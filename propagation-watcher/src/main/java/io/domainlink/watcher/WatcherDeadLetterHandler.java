package io.domainlink.watcher;

import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

import io.domainlink.common.DeadLetters;
import io.domainlink.common.kafka.DeadLetterDeserializationHandler;

/**
 * The shared {@link DeadLetterDeserializationHandler} (poison ⇒ dead-letter topic inside the transaction, then
 * continue; registry outage ⇒ fail and retry) plus the watcher's dead-letter counter, passed in the Streams
 * properties under {@link #METRICS_CONFIG}.
 */
public final class WatcherDeadLetterHandler implements DeserializationExceptionHandler {

    public static final String METRICS_CONFIG = "domainlink.watcher.metrics";

    private final DeadLetterDeserializationHandler delegate = new DeadLetterDeserializationHandler();
    private WatcherMetrics metrics = new WatcherMetrics();

    @Override
    public void configure(Map<String, ?> configs) {
        delegate.configure(configs);
        if (configs.get(METRICS_CONFIG) instanceof WatcherMetrics m) {
            metrics = m;
        }
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        Response response = delegate.handleError(context, record, exception);
        if (DeadLetters.isPoison(exception)) {
            metrics.deadLettered();
        }
        return response;
    }
}
