package io.domainlink.common;

import java.util.LinkedHashSet;
import java.util.Set;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import io.domainlink.common.tracing.TraceContext;

/**
 * The record headers an upstream system's record keeps when it enters the pipeline. Kafka Streams copies a record's
 * headers onto everything produced from it (repartition topics, {@code domains.accepted}, {@code domains.outcomes}),
 * so the stage that first reads an upstream topic removes every other header before anything else: a spoofed
 * {@code dlq.*} or {@code domainlink.*} header ({@link RequestHeaders}, which the stages write themselves) or any
 * other caller header never reaches an internal or output topic.
 */
public final class UpstreamHeaders {

    /**
     * The allow-list: W3C Trace Context, {@code traceparent} ({@link TraceContext#HEADER}) and {@code tracestate}
     * ({@link TraceContext#STATE_HEADER}), so a caller's trace continues through the pipeline. Nothing else.
     */
    public static final Set<String> ALLOWED = Set.of(TraceContext.HEADER, TraceContext.STATE_HEADER);
    /** A longer {@code tracestate} is dropped (W3C Trace Context asks vendors to carry at least 512 characters). */
    public static final int MAX_TRACESTATE_BYTES = 512;

    private UpstreamHeaders() {
    }

    /**
     * Removes from {@code headers} every header not in {@link #ALLOWED}; of an allowed one only the last stays, and
     * {@code tracestate} only beside a valid {@code traceparent} (as W3C Trace Context says) and at most
     * {@value #MAX_TRACESTATE_BYTES} bytes. Returns {@code headers}.
     */
    public static Headers retainAllowed(Headers headers) {
        Header traceparent = TraceContext.from(headers).isPresent() ? headers.lastHeader(TraceContext.HEADER) : null;
        Header tracestate = headers.lastHeader(TraceContext.STATE_HEADER);
        Set<String> names = new LinkedHashSet<>();
        headers.forEach(h -> names.add(h.key()));
        names.forEach(headers::remove);
        if (traceparent != null) {
            headers.add(traceparent);
            if (tracestate != null && tracestate.value() != null && tracestate.value().length <= MAX_TRACESTATE_BYTES) {
                headers.add(tracestate);
            }
        }
        return headers;
    }
}
