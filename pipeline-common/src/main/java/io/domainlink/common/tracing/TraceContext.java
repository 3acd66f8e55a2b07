package io.domainlink.common.tracing;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Random;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * A W3C Trace Context {@code traceparent} (https://www.w3.org/TR/trace-context/#traceparent-header) carried in a Kafka
 * record header of the same name: {@code 00-<32 hex trace id>-<16 hex parent span id>-<2 hex flags>}.
 *
 * <p>Each stage that handles a record continues the trace of its input with {@link #continueFrom(Headers)}: the same
 * trace id, a new span id for this hop (the stage's span), the same flags; a record without a valid {@code traceparent}
 * starts a new trace. The result is what the stage writes on every record it produces ({@link #writeTo(Headers)}), so one
 * connection request can be followed from {@code domains.requests} to its outcome.
 */
public record TraceContext(String traceId, String spanId, int flags) {

    public static final String HEADER = "traceparent";
    /** W3C {@code tracestate}: vendor data that travels with {@code traceparent}, carried unchanged. */
    public static final String STATE_HEADER = "tracestate";
    /** Flag bit 0: the caller sampled this trace. New traces are marked sampled (every request is worth following). */
    public static final int SAMPLED = 0x01;

    private static final HexFormat HEX = HexFormat.of();
    private static final Random RANDOM = new SecureRandom();
    private static final String INVALID_TRACE_ID = "0".repeat(32);
    private static final String INVALID_SPAN_ID = "0".repeat(16);

    public TraceContext {
        if (!isHex(traceId, 32) || traceId.equals(INVALID_TRACE_ID)) {
            throw new IllegalArgumentException("trace id must be 32 lower-case hex digits, not all zero: " + traceId);
        }
        if (!isHex(spanId, 16) || spanId.equals(INVALID_SPAN_ID)) {
            throw new IllegalArgumentException("span id must be 16 lower-case hex digits, not all zero: " + spanId);
        }
        if (flags < 0 || flags > 0xff) {
            throw new IllegalArgumentException("flags must be one byte: " + flags);
        }
    }

    /** A new trace (random trace and span ids), sampled. */
    public static TraceContext newTrace() {
        return new TraceContext(randomHex(16, INVALID_TRACE_ID), randomHex(8, INVALID_SPAN_ID), SAMPLED);
    }

    /** The same trace, a new span id (the next hop), the same flags. */
    public TraceContext child() {
        return new TraceContext(traceId, randomHex(8, INVALID_SPAN_ID), flags);
    }

    /**
     * Parses a {@code traceparent} value. Version {@code 00} must be exactly 55 characters; a higher version (not
     * {@code ff}) is read by its first four fields, as the specification asks. Anything else is empty.
     */
    public static Optional<TraceContext> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.trim();
        if (v.length() < 55 || v.charAt(2) != '-' || v.charAt(35) != '-' || v.charAt(52) != '-') {
            return Optional.empty();
        }
        String version = v.substring(0, 2);
        if (!isHex(version, 2) || version.equals("ff")) {
            return Optional.empty();
        }
        if (version.equals("00") ? v.length() != 55 : v.length() > 55 && v.charAt(55) != '-') {
            return Optional.empty();
        }
        String traceId = v.substring(3, 35);
        String spanId = v.substring(36, 52);
        String flags = v.substring(53, 55);
        if (!isHex(traceId, 32) || traceId.equals(INVALID_TRACE_ID) || !isHex(spanId, 16) || spanId.equals(INVALID_SPAN_ID)
                || !isHex(flags, 2)) {
            return Optional.empty();
        }
        return Optional.of(new TraceContext(traceId, spanId, Integer.parseInt(flags, 16)));
    }

    /** The last {@code traceparent} header of a record, when present and valid. */
    public static Optional<TraceContext> from(Headers headers) {
        if (headers == null) {
            return Optional.empty();
        }
        Header h = headers.lastHeader(HEADER);
        return h == null || h.value() == null ? Optional.empty() : parse(new String(h.value(), StandardCharsets.UTF_8));
    }

    /** This stage's span of the input's trace (a new trace when the input has none). Does not modify {@code headers}. */
    public static TraceContext continueFrom(Headers headers) {
        return from(headers).map(TraceContext::child).orElseGet(TraceContext::newTrace);
    }

    /** Replaces every {@code traceparent} header of {@code headers} with this one. Returns {@code headers}. */
    public Headers writeTo(Headers headers) {
        headers.remove(HEADER);
        headers.add(HEADER, header().getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    /** The header value, version 00. */
    public String header() {
        return "00-" + traceId + "-" + spanId + "-" + String.format("%02x", flags);
    }

    public boolean sampled() {
        return (flags & SAMPLED) != 0;
    }

    @Override
    public String toString() {
        return header();
    }

    private static String randomHex(int bytes, String invalid) {
        byte[] b = new byte[bytes];
        String s;
        do {
            RANDOM.nextBytes(b);
            s = HEX.formatHex(b);
        } while (s.equals(invalid));
        return s;
    }

    private static boolean isHex(String s, int length) {
        if (s == null || s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }
}
