package io.domainlink.common.tracing;

import java.util.function.BiFunction;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import io.domainlink.common.UpstreamHeaders;
import io.domainlink.common.ops.LogContext;

/**
 * A pass-through Kafka Streams step that puts the record's identifiers into the log context for everything the rest of
 * its sub-topology does with it (downstream processors run inside {@code forward}), and optionally starts this stage's
 * span of the record's trace.
 *
 * <ul>
 *   <li>{@link #startSpan}: at the point where a stage first reads a record from an outside topic. Removes every
 *       header not on the upstream allow-list ({@link UpstreamHeaders#retainAllowed}), continues the record's
 *       {@code traceparent} (a new trace when it has none) and writes this stage's span into the record's headers;
 *       Kafka Streams carries headers through every later step, repartition topic and sink, so every record the
 *       stage produces from it carries the trace and no other header of the caller.</li>
 *   <li>{@link #logOnly}: after a repartition (a new sub-topology): the trace is already in the headers.</li>
 * </ul>
 */
public final class TracingProcessor<K, V> implements FixedKeyProcessor<K, V, V> {

    private final boolean startSpan;
    private final BiFunction<K, V, String> requestId;
    private final BiFunction<K, V, String> domain;
    private FixedKeyProcessorContext<K, V> context;

    private TracingProcessor(boolean startSpan, BiFunction<K, V, String> requestId, BiFunction<K, V, String> domain) {
        this.startSpan = startSpan;
        this.requestId = requestId;
        this.domain = domain;
    }

    public static <K, V> FixedKeyProcessorSupplier<K, V, V> startSpan(BiFunction<K, V, String> requestId, BiFunction<K, V, String> domain) {
        return () -> new TracingProcessor<>(true, requestId, domain);
    }

    public static <K, V> FixedKeyProcessorSupplier<K, V, V> logOnly(BiFunction<K, V, String> requestId, BiFunction<K, V, String> domain) {
        return () -> new TracingProcessor<>(false, requestId, domain);
    }

    @Override
    public void init(FixedKeyProcessorContext<K, V> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<K, V> record) {
        TraceContext trace;
        if (startSpan) {
            trace = TraceContext.continueFrom(UpstreamHeaders.retainAllowed(record.headers()));
            trace.writeTo(record.headers());
        } else {
            trace = TraceContext.from(record.headers()).orElse(null);
        }
        LogContext log = context.recordMetadata()
                .map((RecordMetadata m) -> LogContext.record(m.topic(), m.partition(), m.offset()))
                .orElseGet(LogContext::open);
        try (LogContext ignored = log.trace(trace).request(safe(requestId, record), safe(domain, record))) {
            context.forward(record);
        }
    }

    private String safe(BiFunction<K, V, String> f, FixedKeyRecord<K, V> record) {
        if (f == null || record.value() == null) {
            return null;
        }
        try {
            return f.apply(record.key(), record.value());
        } catch (RuntimeException e) {
            return null; // identifiers are best effort: a log context never stops a record
        }
    }
}
