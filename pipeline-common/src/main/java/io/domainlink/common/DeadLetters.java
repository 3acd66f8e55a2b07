package io.domainlink.common;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.domainlink.common.serde.SerdeException;

/**
 * Builds dead-letter records, the same way in every stage: the original key and value bytes, the original headers,
 * and {@code dlq.*} headers naming the source and the error.
 */
public final class DeadLetters {

    public static final String SOURCE_TOPIC = "dlq.source.topic";
    public static final String SOURCE_PARTITION = "dlq.source.partition";
    public static final String SOURCE_OFFSET = "dlq.source.offset";
    public static final String SOURCE_TIMESTAMP = "dlq.source.timestamp";
    public static final String STAGE = "dlq.stage";
    public static final String ERROR_KIND = "dlq.error.kind";
    public static final String ERROR_CLASS = "dlq.error.class";
    public static final String ERROR_MESSAGE = "dlq.error.message";
    public static final String FAILED_AT = "dlq.failed.at";

    static final int MAX_MESSAGE = 2_000;

    private DeadLetters() {
    }

    public static ProducerRecord<byte[], byte[]> record(String stage, String sourceTopic, int partition, long offset,
                                                        long timestamp, byte[] key, byte[] value, Headers original,
                                                        Throwable error) {
        Headers headers = new RecordHeaders();
        if (original != null) {
            for (Header h : original) {
                if (!h.key().startsWith("dlq.")) {
                    headers.add(h);
                }
            }
        }
        put(headers, SOURCE_TOPIC, sourceTopic);
        put(headers, SOURCE_PARTITION, Integer.toString(partition));
        put(headers, SOURCE_OFFSET, Long.toString(offset));
        put(headers, SOURCE_TIMESTAMP, Long.toString(timestamp));
        put(headers, STAGE, stage);
        put(headers, ERROR_KIND, kindOf(error));
        put(headers, ERROR_CLASS, error.getClass().getName());
        String message = String.valueOf(error.getMessage());
        put(headers, ERROR_MESSAGE, message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message);
        put(headers, FAILED_AT, Instant.now().toString());
        return new ProducerRecord<>(Topics.DEAD_LETTER.name(), null, key, value, headers);
    }

    /** The stable kind of an error: a {@link SerdeException.Kind} name, or {@code INVALID_CONTENT}. */
    public static String kindOf(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SerdeException se) {
                return se.kind().name();
            }
        }
        return "INVALID_CONTENT";
    }

    /** Whether the error makes the record poison: a dead letter, never a retry. */
    public static boolean isPoison(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SerdeException se) {
                return se.poison();
            }
        }
        return false;
    }

    public static String header(Headers headers, String key) {
        Header h = headers.lastHeader(key);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static void put(Headers headers, String key, String value) {
        headers.add(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }
}
