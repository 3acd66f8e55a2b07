package io.domainlink.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.Response;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.Result;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.SerializationExceptionOrigin;
import org.junit.jupiter.api.Test;

import io.domainlink.common.DeadLetters;
import io.domainlink.common.Topics;
import io.domainlink.common.serde.SerdeException;

/**
 * An output that cannot be written (too large for the broker or for the next stage) becomes a small dead letter of the
 * input record that produced it, with the stage's companions, and the stage goes on; every other production error keeps
 * Kafka's default answer, so a registry outage or a broker error is never turned into a lost record.
 */
class DeadLetterProductionHandlerTest {

    final AtomicInteger deadLettered = new AtomicInteger();
    final DeadLetterProcessingHandlerTest.Context source = new DeadLetterProcessingHandlerTest.Context(Topics.CONFIGURED.name(), 4, 31);
    final ProducerRecord<byte[], byte[]> output = new ProducerRecord<>(Topics.OUTCOMES.name(), "example.com".getBytes(StandardCharsets.UTF_8),
            new byte[3 << 20]);

    DeadLetterProductionHandler handler() {
        DeadLetterProductionHandler h = new DeadLetterProductionHandler();
        DeadLetterCompanion companion = (topic, key, headers, error) ->
                List.of(new ProducerRecord<>(Topics.OUTCOMES.name(), key, "failed".getBytes(StandardCharsets.UTF_8)));
        h.configure(Map.of(DeadLetterDeserializationHandler.STAGE_CONFIG, "propagation-watcher",
                DeadLetterDeserializationHandler.COUNTER_CONFIG, (Runnable) deadLettered::incrementAndGet,
                DeadLetterDeserializationHandler.COMPANION_CONFIG, companion));
        return h;
    }

    @Test
    void anOutputTooLargeForTheBrokerIsASmallDeadLetterOfItsSourceRecordAndTheStageGoesOn() {
        Response r = handler().handleError(source, output, new RecordTooLargeException("too large"));
        assertThat(r.result()).isEqualTo(Result.RESUME);
        List<ProducerRecord<byte[], byte[]>> written = r.deadLetterQueueRecords();
        assertThat(written).hasSize(2);
        ProducerRecord<byte[], byte[]> dead = written.get(0);
        assertThat(dead.topic()).isEqualTo(Topics.DEAD_LETTER.name());
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.SOURCE_TOPIC)).isEqualTo(Topics.CONFIGURED.name());
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.SOURCE_OFFSET)).isEqualTo("31");
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.STAGE)).isEqualTo("propagation-watcher");
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.TARGET_TOPIC)).isEqualTo(Topics.OUTCOMES.name());
        assertThat(Long.parseLong(DeadLetters.header(dead.headers(), DeadLetters.TARGET_BYTES))).isGreaterThan(3L << 20);
        assertThat(written.get(1).topic()).isEqualTo(Topics.OUTCOMES.name());
        assertThat(deadLettered).hasValue(1);
    }

    @Test
    void aPoisonSerializationErrorSuchAsAnOversizedOutputIsDeadLettered() {
        Response r = handler().handleSerializationError(source, output,
                new SerdeException(SerdeException.Kind.RECORD_TOO_LARGE, "output to domains.outcomes is too large"),
                SerializationExceptionOrigin.VALUE);
        assertThat(r.result()).isEqualTo(Result.RESUME);
        assertThat(DeadLetters.header(r.deadLetterQueueRecords().get(0).headers(), DeadLetters.ERROR_KIND)).isEqualTo("RECORD_TOO_LARGE");
    }

    @Test
    void aRegistryOutageWhileSerializingAndOtherProducerErrorsAreNotDeadLettered() {
        DeadLetterProductionHandler h = handler();
        assertThat(h.handleSerializationError(source, output, new SerdeException(SerdeException.Kind.REGISTRY_UNAVAILABLE, "down"),
                SerializationExceptionOrigin.VALUE).result()).isEqualTo(Result.FAIL);
        assertThat(h.handleError(source, output, new TopicAuthorizationException("denied")).result()).isEqualTo(Result.FAIL);
        assertThat(h.handleError(source, output, new NetworkException("reset")).result()).isNotEqualTo(Result.RESUME);
        assertThat(deadLettered).hasValue(0);
    }
}
