package io.domainlink.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler.Response;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler.Result;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

import com.google.common.base.Ticker;

import io.domainlink.common.DeadLetters;
import io.domainlink.common.Topics;
import io.domainlink.common.serde.SerdeException;

class DeadLetterProcessingHandlerTest {

    static final String TOPIC = "domains.requests";
    static final byte[] KEY = "example.com".getBytes(StandardCharsets.UTF_8);
    static final byte[] VALUE = {0, 0, 0, 0, 7, 42};

    final AtomicLong nanos = new AtomicLong();
    final ProcessingFailures failures = new ProcessingFailures(Duration.ofMinutes(10), new Ticker() {
        @Override
        public long read() {
            return nanos.get();
        }
    });
    final AtomicInteger deadLettered = new AtomicInteger();
    final DeadLetterCompanion companion = (topic, key, headers, error) ->
            List.of(new ProducerRecord<>(Topics.OUTCOMES.name(), key, ("failed: " + topic).getBytes(StandardCharsets.UTF_8)));

    DeadLetterProcessingHandler handler() {
        DeadLetterProcessingHandler h = new DeadLetterProcessingHandler();
        Map<String, Object> configs = new HashMap<>();
        configs.put(DeadLetterDeserializationHandler.STAGE_CONFIG, "test-stage");
        configs.put(DeadLetterDeserializationHandler.COUNTER_CONFIG, (Runnable) deadLettered::incrementAndGet);
        configs.put(DeadLetterProcessingHandler.FAILURES_CONFIG, failures);
        configs.put(DeadLetterProcessingHandler.ATTEMPTS_CONFIG, 3);
        configs.put(DeadLetterDeserializationHandler.COMPANION_CONFIG, companion);
        h.configure(configs);
        return h;
    }

    static Response fail(DeadLetterProcessingHandler h, long offset, Exception e) {
        return h.handleError(new Context(TOPIC, 2, offset), new Record<>("k", "v", 0L), e);
    }

    @Test
    void aRecordFailsTwiceThenIsDeadLetteredWithItsCompanionAndTheCountSurvivesANewHandler() {
        IllegalStateException bug = new IllegalStateException("cannot process this one");
        assertThat(fail(handler(), 17, bug).result()).isEqualTo(Result.FAIL);
        // the thread was replaced: a new handler instance, the same shared failures
        assertThat(fail(handler(), 17, bug).result()).isEqualTo(Result.FAIL);
        assertThat(deadLettered).hasValue(0);

        Response third = fail(handler(), 17, bug);

        assertThat(third.result()).isEqualTo(Result.RESUME);
        List<ProducerRecord<byte[], byte[]>> out = third.deadLetterQueueRecords();
        assertThat(out).hasSize(2);
        ProducerRecord<byte[], byte[]> dead = out.get(0);
        assertThat(dead.topic()).isEqualTo(Topics.DEAD_LETTER.name());
        assertThat(dead.key()).isEqualTo(KEY);
        assertThat(dead.value()).isEqualTo(VALUE);
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.SOURCE_TOPIC)).isEqualTo(TOPIC);
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.SOURCE_PARTITION)).isEqualTo("2");
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.SOURCE_OFFSET)).isEqualTo("17");
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.STAGE)).isEqualTo("test-stage");
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.ERROR_CLASS)).isEqualTo(IllegalStateException.class.getName());
        assertThat(DeadLetters.header(dead.headers(), "traceparent")).isEqualTo("00-trace");
        assertThat(out.get(1).topic()).isEqualTo(Topics.OUTCOMES.name());
        assertThat(new String(out.get(1).value(), StandardCharsets.UTF_8)).isEqualTo("failed: " + TOPIC);
        assertThat(deadLettered).hasValue(1);
        assertThat(failures.size()).as("forgotten once dead-lettered").isZero();
    }

    @Test
    void anotherRecordHasItsOwnCountAndACountIsForgottenAWindowAfterItsLastFailure() {
        DeadLetterProcessingHandler h = handler();
        IllegalStateException bug = new IllegalStateException("bug");
        fail(h, 1, bug);
        fail(h, 1, bug);
        assertThat(fail(h, 2, bug).result()).as("offset 2 fails for the first time").isEqualTo(Result.FAIL);

        nanos.addAndGet(Duration.ofMinutes(10).plusSeconds(1).toNanos());
        assertThat(fail(h, 1, bug).result()).as("offset 1's earlier failures expired").isEqualTo(Result.FAIL);
        assertThat(deadLettered).hasValue(0);
    }

    @Test
    void aPoisonRecordIsDeadLetteredAtOnce() {
        Response r = fail(handler(), 5, new SerdeException(SerdeException.Kind.UNDECODABLE_PAYLOAD, "bad body"));
        assertThat(r.result()).isEqualTo(Result.RESUME);
        assertThat(DeadLetters.header(r.deadLetterQueueRecords().get(0).headers(), DeadLetters.ERROR_KIND))
                .isEqualTo("UNDECODABLE_PAYLOAD");
    }

    @Test
    void anUnreachableRegistryNeverDeadLettersAGoodRecord() {
        DeadLetterProcessingHandler h = handler();
        for (int i = 0; i < 10; i++) {
            assertThat(fail(h, 9, new IllegalStateException("wrapped",
                    new SerdeException(SerdeException.Kind.REGISTRY_UNAVAILABLE, "connection refused"))).result()).isEqualTo(Result.FAIL);
        }
        assertThat(deadLettered).hasValue(0);
    }

    @Test
    void aPunctuatorsErrorHasNoRecordToDeadLetterAndFailsTheThread() {
        Response r = handler().handleError(new Context(null, -1, -1), null, new IllegalStateException("in punctuate"));
        assertThat(r.result()).isEqualTo(Result.FAIL);
        assertThat(r.deadLetterQueueRecords()).isEmpty();
    }

    @Test
    void withoutTheSharedFailuresTheHandlerRefusesToStart() {
        assertThatThrownBy(() -> new DeadLetterProcessingHandler().configure(Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining(DeadLetterProcessingHandler.FAILURES_CONFIG);
    }

    /** What Kafka Streams tells the handler about the record being processed. */
    record Context(String topic, int partition, long offset) implements ErrorHandlerContext {
        @Override
        public Headers headers() {
            return new RecordHeaders().add("traceparent", "00-trace".getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String processorNodeId() {
            return "validate";
        }

        @Override
        public TaskId taskId() {
            return new TaskId(0, partition < 0 ? 0 : partition);
        }

        @Override
        public long timestamp() {
            return 1_000L;
        }

        @Override
        public byte[] sourceRawKey() {
            return topic == null ? null : KEY;
        }

        @Override
        public byte[] sourceRawValue() {
            return topic == null ? null : VALUE;
        }
    }
}
