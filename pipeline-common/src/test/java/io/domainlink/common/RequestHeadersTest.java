package io.domainlink.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class RequestHeadersTest {

    @Test
    void writeReplacesEveryHeaderOfTheNamesAndKeepsTheOthers() {
        Headers h = new RecordHeaders()
                .add(RequestHeaders.REQUEST_ID, bytes("spoofed-1"))
                .add(RequestHeaders.REQUEST_ID, bytes("spoofed-2"))
                .add(RequestHeaders.GENERATION, bytes("99"))
                .add("traceparent", bytes("t"));

        RequestHeaders.write(h, "r-1", 3);

        assertThat(h.headers(RequestHeaders.REQUEST_ID)).singleElement().satisfies(x -> assertThat(x.value()).isEqualTo(bytes("r-1")));
        assertThat(h.headers(RequestHeaders.GENERATION)).singleElement().satisfies(x -> assertThat(x.value()).isEqualTo(bytes("3")));
        assertThat(h.lastHeader("traceparent").value()).isEqualTo(bytes("t"));
        assertThat(RequestHeaders.requestId(h)).contains("r-1");
        assertThat(RequestHeaders.generation(h)).hasValue(3);
    }

    @Test
    void readsOnlyWellFormedValues() {
        assertThat(RequestHeaders.requestId(new RecordHeaders())).isEmpty();
        assertThat(RequestHeaders.requestId(one(RequestHeaders.REQUEST_ID, bytes("")))).isEmpty();
        assertThat(RequestHeaders.requestId(one(RequestHeaders.REQUEST_ID, bytes("r\n1")))).isEmpty();
        assertThat(RequestHeaders.requestId(one(RequestHeaders.REQUEST_ID, new byte[] {(byte) 0xc3, 0x28}))).isEmpty();
        assertThat(RequestHeaders.requestId(one(RequestHeaders.REQUEST_ID, bytes("x".repeat(RequestHeaders.MAX_REQUEST_ID_CHARS + 1))))).isEmpty();
        assertThat(RequestHeaders.requestId(one(RequestHeaders.REQUEST_ID, bytes("x".repeat(RequestHeaders.MAX_REQUEST_ID_CHARS)))))
                .hasValueSatisfying(id -> assertThat(id).hasSize(RequestHeaders.MAX_REQUEST_ID_CHARS));
        assertThat(RequestHeaders.generation(one(RequestHeaders.GENERATION, bytes("-1")))).isEmpty();
        assertThat(RequestHeaders.generation(one(RequestHeaders.GENERATION, bytes("1e3")))).isEmpty();
        assertThat(RequestHeaders.generation(one(RequestHeaders.GENERATION, bytes("9".repeat(19))))).isEmpty();
        assertThat(RequestHeaders.generation(one(RequestHeaders.GENERATION, bytes("12")))).hasValue(12);
    }

    private static Headers one(String name, byte[] value) {
        return new RecordHeaders().add(name, value);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
