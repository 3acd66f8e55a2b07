package io.domainlink.common.ops;

import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.MDC;

import io.domainlink.common.tracing.TraceContext;

/**
 * The SLF4J MDC context of one record while a thread handles it, so every log line written meanwhile carries it
 * (the text layout prints it as {@code key=value}, the JSON layout as fields). Keys: {@value #REQUEST_ID},
 * {@value #DOMAIN}, {@value #TOPIC}, {@value #PARTITION}, {@value #OFFSET}, {@value #TRACE_ID}, {@value #SPAN_ID}.
 * Closing restores what the MDC held before, so contexts nest (a processor inside a sub-topology).
 *
 * <pre>{@code
 * try (LogContext ignored = LogContext.record(topic, partition, offset).trace(trace).request(requestId, domain)) { ... }
 * }</pre>
 *
 * <p>Never put a secret or a payload here: only identifiers. Values come from records before they are validated, so
 * {@link #put} makes each one safe for a log line: at most {@value #MAX_VALUE} characters (a longer one is cut and
 * ends with {@code ...(N chars)}), and CR, LF, tab, every other control character and every invisible formatting or
 * line-separating character (U+2028, U+202E...) written as an escape: {@code \r}, {@code \n}, {@code \t}, or a
 * backslash, {@code u} and the hex code point. The text layouts also encode CR/LF in the message and the context;
 * JSON escapes everything.
 */
public final class LogContext implements AutoCloseable {

    public static final String REQUEST_ID = "request_id";
    public static final String DOMAIN = "domain";
    public static final String TOPIC = "topic";
    public static final String PARTITION = "partition";
    public static final String OFFSET = "offset";
    public static final String TRACE_ID = "trace_id";
    public static final String SPAN_ID = "span_id";

    /** The most characters of a value the context keeps. */
    public static final int MAX_VALUE = 128;

    private final Map<String, String> previous = new LinkedHashMap<>();

    private LogContext() {
    }

    /** An empty context; add to it with the other methods. */
    public static LogContext open() {
        return new LogContext();
    }

    /** The record's position: {@code topic}, {@code partition}, {@code offset}. */
    public static LogContext record(String topic, int partition, long offset) {
        return new LogContext().put(TOPIC, topic).put(PARTITION, String.valueOf(partition)).put(OFFSET, String.valueOf(offset));
    }

    public LogContext trace(TraceContext trace) {
        return trace == null ? this : put(TRACE_ID, trace.traceId()).put(SPAN_ID, trace.spanId());
    }

    public LogContext request(String requestId, String domain) {
        return put(REQUEST_ID, requestId).put(DOMAIN, domain);
    }

    /** Sets one key to {@link #printable} of {@code value} (a null value leaves the key as it was). */
    public LogContext put(String key, String value) {
        if (value == null) {
            return this;
        }
        if (!previous.containsKey(key)) {
            previous.put(key, MDC.get(key));
        }
        MDC.put(key, printable(value));
        return this;
    }

    /** {@code value} on one line: cut to {@value #MAX_VALUE} characters, non-printing characters escaped. */
    public static String printable(String value) {
        boolean cut = value.length() > MAX_VALUE;
        String kept = cut ? value.substring(0, Character.isHighSurrogate(value.charAt(MAX_VALUE - 1)) ? MAX_VALUE - 1 : MAX_VALUE) : value;
        if (!cut && kept.codePoints().noneMatch(LogContext::nonPrinting)) {
            return value;
        }
        StringBuilder sb = new StringBuilder(kept.length() + 24);
        kept.codePoints().forEach(cp -> {
            switch (cp) {
                case '\r' -> sb.append("\\r");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (nonPrinting(cp)) {
                        sb.append(String.format("\\u%04X", cp));
                    } else {
                        sb.appendCodePoint(cp);
                    }
                }
            }
        });
        if (cut) {
            sb.append("...(").append(value.length()).append(" chars)");
        }
        return sb.toString();
    }

    /** Control (C0, DEL, C1), format (U+200B, U+202E...), line and paragraph separators, lone surrogates. */
    private static boolean nonPrinting(int cp) {
        int type = Character.getType(cp);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE;
    }

    @Override
    public void close() {
        previous.forEach((k, v) -> {
            if (v == null) {
                MDC.remove(k);
            } else {
                MDC.put(k, v);
            }
        });
        previous.clear();
    }
}
