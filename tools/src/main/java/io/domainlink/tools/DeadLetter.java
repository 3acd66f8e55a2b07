package io.domainlink.tools;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;

import io.domainlink.common.DeadLetters;

/**
 * One record of the dead-letter topic as an operator sees it: where it came from ({@code dlq.source.*}), which stage
 * gave up on it and why ({@code dlq.stage}, {@code dlq.error.*}). The topic also holds this tool's redrive markers:
 * records without a value whose {@link #REDRIVE_OF_OFFSET} header names the dead letter that was re-driven.
 */
record DeadLetter(int partition, long offset, Instant failedAt, String sourceTopic, Integer sourcePartition, Long sourceOffset,
                  String stage, String errorKind, String errorClass, String errorMessage, byte[] key, byte[] value,
                  Headers headers, Marker marker) {

    /** Headers of a redrive marker on the dead-letter topic. */
    static final String REDRIVE_OF_PARTITION = "dlq.redrive.of.partition";
    static final String REDRIVE_OF_OFFSET = "dlq.redrive.of.offset";
    static final String REDRIVEN_TO = "dlq.redriven.to";
    static final String REDRIVEN_BY = "dlq.redriven.by";
    /** Headers of the re-published record on the source topic (and of the marker). */
    static final String REDRIVEN_AT = "dlq.redriven.at";
    static final String REDRIVEN_FROM_PARTITION = "dlq.redriven.from.partition";
    static final String REDRIVEN_FROM_OFFSET = "dlq.redriven.from.offset";

    /** A redrive marker: dead letter {@code partition@offset} was re-published as {@code to} at {@code at}. */
    record Marker(int partition, long offset, Instant at, String to, String by) {
    }

    static DeadLetter of(ConsumerRecord<byte[], byte[]> r) {
        Headers h = r.headers();
        Marker marker = null;
        String of = DeadLetters.header(h, REDRIVE_OF_OFFSET);
        if (of != null) {
            marker = new Marker(Integer.parseInt(DeadLetters.header(h, REDRIVE_OF_PARTITION)), Long.parseLong(of),
                    instant(DeadLetters.header(h, REDRIVEN_AT), r.timestamp()), DeadLetters.header(h, REDRIVEN_TO),
                    DeadLetters.header(h, REDRIVEN_BY));
        }
        return new DeadLetter(r.partition(), r.offset(), instant(DeadLetters.header(h, DeadLetters.FAILED_AT), r.timestamp()),
                DeadLetters.header(h, DeadLetters.SOURCE_TOPIC), integer(DeadLetters.header(h, DeadLetters.SOURCE_PARTITION)),
                longOrNull(DeadLetters.header(h, DeadLetters.SOURCE_OFFSET)), DeadLetters.header(h, DeadLetters.STAGE),
                DeadLetters.header(h, DeadLetters.ERROR_KIND), DeadLetters.header(h, DeadLetters.ERROR_CLASS),
                DeadLetters.header(h, DeadLetters.ERROR_MESSAGE), r.key(), r.value(), h, marker);
    }

    boolean isMarker() {
        return marker != null;
    }

    String id() {
        return partition + "@" + offset;
    }

    String source() {
        return sourceTopic == null ? "?" : sourceTopic + "-" + sourcePartition + "@" + sourceOffset;
    }

    String keyText() {
        return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }

    private static Instant instant(String text, long fallbackMillis) {
        if (text != null) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException ignored) {
                // fall back to the record time
            }
        }
        return Instant.ofEpochMilli(fallbackMillis);
    }

    private static Integer integer(String s) {
        try {
            return s == null ? null : Integer.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long longOrNull(String s) {
        try {
            return s == null ? null : Long.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
