package io.domainlink.common.kafka;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.errors.DefaultProductionExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.domainlink.common.DeadLetters;

/**
 * Kafka Streams production handler: a write that cannot succeed because of the record itself becomes a small dead
 * letter of the <em>source</em> record (its coordinates, key, value and headers from the {@link ErrorHandlerContext},
 * as a stub when they are large, plus {@link DeadLetters#TARGET_TOPIC} and {@link DeadLetters#TARGET_BYTES}) with the
 * stage's companion records, and processing continues:
 * <ul>
 *   <li>a poison {@link io.domainlink.common.serde.SerdeException} while serializing, e.g. {@code RECORD_TOO_LARGE}
 *       from {@link io.domainlink.common.serde.AvroSerializer}: nothing reached the producer, so the transaction is
 *       intact;</li>
 *   <li>a {@link RecordTooLargeException} from the producer. Under {@code exactly_once_v2} the producer also marks its
 *       transaction as failed, so Kafka Streams aborts it and processes the record again; that is why oversized
 *       outputs are refused at serialization, before the producer sees them.</li>
 * </ul>
 * Everything else keeps Kafka's default behaviour ({@link DefaultProductionExceptionHandler}: retry what is retriable,
 * fail the rest). Configured with the keys of {@link DeadLetterDeserializationHandler}. One WARN line per dead letter.
 */
public final class DeadLetterProductionHandler implements ProductionExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterProductionHandler.class);

    private final DefaultProductionExceptionHandler defaults = new DefaultProductionExceptionHandler();
    private DeadLetterHandlerConfig config = DeadLetterHandlerConfig.defaults();

    @Override
    public void configure(Map<String, ?> configs) {
        defaults.configure(configs);
        config = DeadLetterHandlerConfig.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (!(exception instanceof RecordTooLargeException)) {
            return defaults.handleError(context, record, exception);
        }
        long bytes = RecordSizes.length(record.key()) + RecordSizes.length(record.value()) + RecordSizes.headerBytes(record.headers());
        return Response.resume(deadLetter(context, record.topic(), bytes, exception));
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
                                             SerializationExceptionOrigin origin) {
        if (!DeadLetters.isPoison(exception)) {
            return defaults.handleSerializationError(context, record, exception, origin);
        }
        return Response.resume(deadLetter(context, record.topic(), -1, exception));
    }

    private List<ProducerRecord<byte[], byte[]>> deadLetter(ErrorHandlerContext context, String target, long targetBytes,
                                                            Exception exception) {
        log.warn("dead-lettering {}-{}@{}: its output to {} cannot be written, kind={}: {}", context.topic(), context.partition(),
                context.offset(), target, DeadLetters.kindOf(exception), DeadLetters.truncatedMessage(exception));
        ProducerRecord<byte[], byte[]> dead = DeadLetters.record(config.stage, context.topic(), context.partition(), context.offset(),
                context.timestamp(), context.sourceRawKey(), context.sourceRawValue(), context.headers(), exception);
        dead.headers().add(DeadLetters.TARGET_TOPIC, target.getBytes(StandardCharsets.UTF_8));
        if (targetBytes >= 0) {
            dead.headers().add(DeadLetters.TARGET_BYTES, Long.toString(targetBytes).getBytes(StandardCharsets.UTF_8));
        }
        return config.withCompanions(dead, context.topic(), context.sourceRawKey(), context.headers(), exception);
    }
}
