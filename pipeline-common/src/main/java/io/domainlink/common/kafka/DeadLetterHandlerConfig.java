package io.domainlink.common.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both Kafka Streams dead-letter handlers are configured with (the keys of {@link DeadLetterDeserializationHandler}),
 * and what they return: the dead letter, then the stage's companion records.
 */
final class DeadLetterHandlerConfig {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterHandlerConfig.class);

    final String stage;
    private final Runnable counter;
    private final DeadLetterCompanion companion;

    private DeadLetterHandlerConfig(String stage, Runnable counter, DeadLetterCompanion companion) {
        this.stage = stage;
        this.counter = counter;
        this.companion = companion;
    }

    static DeadLetterHandlerConfig defaults() {
        return new DeadLetterHandlerConfig("unknown", () -> { }, DeadLetterCompanion.NONE);
    }

    static DeadLetterHandlerConfig from(Map<String, ?> configs) {
        Object stage = configs.get(DeadLetterDeserializationHandler.STAGE_CONFIG);
        return new DeadLetterHandlerConfig(stage == null ? "unknown" : stage.toString(),
                configs.get(DeadLetterDeserializationHandler.COUNTER_CONFIG) instanceof Runnable r ? r : () -> { },
                configs.get(DeadLetterDeserializationHandler.COMPANION_CONFIG) instanceof DeadLetterCompanion c ? c : DeadLetterCompanion.NONE);
    }

    /** Counts the dead letter and returns it with the companions of the unreadable record ({@code topic}, {@code key}, {@code headers}). */
    List<ProducerRecord<byte[], byte[]>> withCompanions(ProducerRecord<byte[], byte[]> deadLetter, String topic, byte[] key,
                                                        Headers headers, Throwable error) {
        counter.run();
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        out.add(deadLetter);
        try {
            out.addAll(companion.companions(topic, key, headers == null ? new RecordHeaders() : headers, error));
        } catch (RuntimeException e) {
            log.warn("the stage's dead-letter companion failed, writing the dead letter alone: {}", e.toString());
        }
        return out;
    }
}
