package io.domainlink.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class UpstreamHeadersTest {

    static final String TRACE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    static Headers upstream(String traceparent, String tracestate) {
        Headers h = new RecordHeaders();
        h.add("x-evil", bytes("1"));
        h.add(DeadLetters.SOURCE_TOPIC, bytes("domains.accepted"));
        h.add(RequestHeaders.REQUEST_ID, bytes("someone-else"));
        h.add(RequestHeaders.GENERATION, bytes("99"));
        h.add("traceparent", bytes("00-11111111111111111111111111111111-1111111111111111-01"));
        h.add("traceparent", bytes(traceparent));
        h.add("tracestate", bytes(tracestate));
        return h;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String value(Header h) {
        return new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void keepsOnlyTheLastTraceparentAndTracestate() {
        Headers h = UpstreamHeaders.retainAllowed(upstream(TRACE, "vendor=abc"));

        assertThat(h.toArray()).extracting(Header::key).containsExactly("traceparent", "tracestate");
        assertThat(value(h.lastHeader("traceparent"))).isEqualTo(TRACE);
        assertThat(value(h.lastHeader("tracestate"))).isEqualTo("vendor=abc");
    }

    @Test
    void dropsATracestateWithoutAValidTraceparentOrOverTheLimit() {
        assertThat(UpstreamHeaders.retainAllowed(upstream("not-a-trace", "vendor=abc")).toArray()).isEmpty();
        String huge = "v=" + "x".repeat(UpstreamHeaders.MAX_TRACESTATE_BYTES);
        assertThat(UpstreamHeaders.retainAllowed(upstream(TRACE, huge)).toArray()).extracting(Header::key).containsExactly("traceparent");
    }
}
