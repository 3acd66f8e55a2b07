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
 * <p>Never put a secret or a payload here: only identifiers.
 */
public final class LogContext implements AutoCloseable {

    public static final String REQUEST_ID = "request_id";
    public static final String DOMAIN = "domain";
    public static final String TOPIC = "topic";
    public static final String PARTITION = "partition";
    public static final String OFFSET = "offset";
    public static final String TRACE_ID = "trace_id";
    public static final String SPAN_ID = "span_id";

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

    /** Sets one key (a null value leaves the key as it was). */
    public LogContext put(String key, String value) {
        if (value == null) {
            return this;
        }
        if (!previous.containsKey(key)) {
            previous.put(key, MDC.get(key));
        }
        MDC.put(key, value);
        return this;
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
