package io.domainlink.common;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import com.google.common.base.Utf8;
import com.google.common.hash.Hashing;

import io.domainlink.common.kafka.RecordSizes;
import io.domainlink.common.serde.SerdeException;

/**
 * Builds dead-letter records, the same way in every stage: the original key and value bytes, the original headers
 * (except any {@code dlq.*} header, which only this class writes), and {@code dlq.*} headers naming the source and the
 * error.
 *
 * <p>A dead letter never exceeds {@link #MAX_DEAD_LETTER_BYTES}, so the broker cannot refuse it: when the original
 * would not fit, the dead letter is a <em>stub</em> that keeps the key, the value and the original headers, in that
 * order, only while they fit, and says what the original was: {@link #ORIGINAL_VALUE_BYTES},
 * {@link #ORIGINAL_VALUE_SHA256}, {@link #ORIGINAL_HEADERS_BYTES}, and {@link #ORIGINAL_KEY_BYTES} when the key was
 * dropped.
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
    /** On a stub: the length of the original value (absent when it was null). */
    public static final String ORIGINAL_VALUE_BYTES = "dlq.original.value.bytes";
    /** On a stub: the SHA-256 of the original value, lower-case hex (absent when it was null). */
    public static final String ORIGINAL_VALUE_SHA256 = "dlq.original.value.sha256";
    /** On a stub: the size of the original headers (keys in UTF-8 plus values), as {@code input.max.bytes} counts it. */
    public static final String ORIGINAL_HEADERS_BYTES = "dlq.original.headers.bytes";
    /** On a stub whose original key did not fit: its length. */
    public static final String ORIGINAL_KEY_BYTES = "dlq.original.key.bytes";
    /** On the dead letter of a write that failed: the topic written to, and the size of the refused record. */
    public static final String TARGET_TOPIC = "dlq.target.topic";
    public static final String TARGET_BYTES = "dlq.target.bytes";

    /**
     * The largest dead letter: key, value and headers, each header counted with {@link #HEADER_OVERHEAD} bytes
     * more for its framing. A quarter of the producer's default {@code max.request.size} (1 MiB), so a dead letter
     * also fits where that or the broker's {@code message.max.bytes} was lowered a little.
     */
    public static final int MAX_DEAD_LETTER_BYTES = 256 * 1024;
    static final int HEADER_OVERHEAD = 10;
    /** Room kept for the stub's own headers and the target headers a failed write adds. */
    static final int STUB_HEADERS_ROOM = 1_024;
    static final int MAX_MESSAGE = 2_000;

    private DeadLetters() {
    }

    public static ProducerRecord<byte[], byte[]> record(String stage, String sourceTopic, int partition, long offset,
                                                        long timestamp, byte[] key, byte[] value, Headers original,
                                                        Throwable error) {
        Headers own = new RecordHeaders();
        put(own, SOURCE_TOPIC, sourceTopic);
        put(own, SOURCE_PARTITION, Integer.toString(partition));
        put(own, SOURCE_OFFSET, Long.toString(offset));
        put(own, SOURCE_TIMESTAMP, Long.toString(timestamp));
        put(own, STAGE, stage);
        put(own, ERROR_KIND, kindOf(error));
        put(own, ERROR_CLASS, error.getClass().getName());
        put(own, ERROR_MESSAGE, truncatedMessage(error));
        put(own, FAILED_AT, Instant.now().toString());
        List<Header> kept = new ArrayList<>();
        if (original != null) {
            for (Header h : original) {
                if (!h.key().startsWith("dlq.")) {
                    kept.add(h);
                }
            }
        }
        long full = RecordSizes.length(key) + RecordSizes.length(value) + wireBytes(kept) + wireBytes(own);
        if (full <= MAX_DEAD_LETTER_BYTES) {
            return new ProducerRecord<>(Topics.DEAD_LETTER.name(), null, key, value, headers(kept, own));
        }
        long room = MAX_DEAD_LETTER_BYTES - STUB_HEADERS_ROOM - wireBytes(own);
        byte[] stubKey = null;
        if (RecordSizes.length(key) <= room) {
            stubKey = key;
            room -= RecordSizes.length(key);
        } else {
            put(own, ORIGINAL_KEY_BYTES, Integer.toString(key.length));
        }
        byte[] stubValue = null;
        if (value != null) {
            put(own, ORIGINAL_VALUE_BYTES, Integer.toString(value.length));
            put(own, ORIGINAL_VALUE_SHA256, Hashing.sha256().hashBytes(value).toString());
            if (value.length <= room) {
                stubValue = value;
                room -= value.length;
            }
        }
        put(own, ORIGINAL_HEADERS_BYTES, Long.toString(RecordSizes.headerBytes(original)));
        List<Header> fitting = new ArrayList<>();
        for (Header h : kept) {
            long size = wireBytes(List.of(h));
            if (size <= room) {
                fitting.add(h);
                room -= size;
            }
        }
        return new ProducerRecord<>(Topics.DEAD_LETTER.name(), null, stubKey, stubValue, headers(fitting, own));
    }

    /** Whether a dead letter is a stub: its original did not fit, and what it holds may not be all of it. */
    public static boolean isStub(Headers headers) {
        return headers.lastHeader(ORIGINAL_HEADERS_BYTES) != null;
    }

    /** The error's message cut to the length a dead-letter header and a log line hold. */
    public static String truncatedMessage(Throwable error) {
        String message = String.valueOf(error.getMessage());
        return message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message;
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

    private static Headers headers(List<Header> original, Headers own) {
        Headers headers = new RecordHeaders();
        original.forEach(headers::add);
        own.forEach(headers::add);
        return headers;
    }

    private static long wireBytes(Iterable<Header> headers) {
        long n = 0;
        for (Header h : headers) {
            n += Utf8.encodedLength(h.key()) + RecordSizes.length(h.value()) + HEADER_OVERHEAD;
        }
        return n;
    }

    private static void put(Headers headers, String key, String value) {
        headers.add(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }
}
