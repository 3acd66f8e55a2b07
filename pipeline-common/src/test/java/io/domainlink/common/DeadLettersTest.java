package io.domainlink.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import com.google.common.hash.Hashing;

import io.domainlink.common.kafka.RecordSizes;
import io.domainlink.common.serde.SerdeException;

/** A dead letter is always small enough for the broker to take: a large original becomes a stub that says what it was. */
class DeadLettersTest {

    static final byte[] KEY = "example.com".getBytes(StandardCharsets.UTF_8);
    static final SerdeException TOO_LARGE = new SerdeException(SerdeException.Kind.RECORD_TOO_LARGE, "too large");

    static long size(ProducerRecord<byte[], byte[]> r) {
        return RecordSizes.length(r.key()) + RecordSizes.length(r.value()) + RecordSizes.headerBytes(r.headers());
    }

    @Test
    void aSmallRecordKeepsItsKeyValueAndHeadersButNoSpoofedDlqHeader() {
        RecordHeaders original = new RecordHeaders();
        original.add("traceparent", "00-abc".getBytes(StandardCharsets.UTF_8));
        original.add(DeadLetters.SOURCE_TOPIC, "spoofed".getBytes(StandardCharsets.UTF_8));
        byte[] value = {0, 1, 2, 3};
        ProducerRecord<byte[], byte[]> dead = DeadLetters.record("request-ingestor", "domains.requests", 2, 40, 1_000L, KEY, value,
                original, new IllegalStateException("bad"));
        assertThat(dead.key()).isEqualTo(KEY);
        assertThat(dead.value()).isEqualTo(value);
        assertThat(DeadLetters.isStub(dead.headers())).isFalse();
        assertThat(DeadLetters.header(dead.headers(), "traceparent")).isEqualTo("00-abc");
        assertThat(dead.headers().headers(DeadLetters.SOURCE_TOPIC)).extracting(h -> new String(h.value(), StandardCharsets.UTF_8))
                .containsExactly("domains.requests");
    }

    @Test
    void aValueOfFiveMegabytesAndAMegabyteOfHeadersBecomeAStubUnderTheBudgetThatNamesSizeAndHash() {
        byte[] value = new byte[5 << 20];
        Arrays.fill(value, (byte) 'x');
        RecordHeaders original = new RecordHeaders();
        original.add("traceparent", "00-abc".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 16; i++) {
            original.add("padding-" + i, new byte[64 << 10]);
        }
        ProducerRecord<byte[], byte[]> dead = DeadLetters.record("request-ingestor", "domains.requests", 2, 41, 1_000L, KEY, value,
                original, TOO_LARGE);
        assertThat(size(dead)).isLessThanOrEqualTo(DeadLetters.MAX_DEAD_LETTER_BYTES);
        assertThat(DeadLetters.isStub(dead.headers())).isTrue();
        assertThat(dead.value()).isNull();
        assertThat(dead.key()).isEqualTo(KEY);
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.ORIGINAL_VALUE_BYTES)).isEqualTo(Integer.toString(5 << 20));
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.ORIGINAL_VALUE_SHA256))
                .isEqualTo(Hashing.sha256().hashBytes(value).toString());
        assertThat(Long.parseLong(DeadLetters.header(dead.headers(), DeadLetters.ORIGINAL_HEADERS_BYTES)))
                .isEqualTo(RecordSizes.headerBytes(original));
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.ERROR_KIND)).isEqualTo("RECORD_TOO_LARGE");
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.SOURCE_OFFSET)).isEqualTo("41");
        // the small trace header still fits; the padding does not all fit
        assertThat(DeadLetters.header(dead.headers(), "traceparent")).isEqualTo("00-abc");
        long padding = 0;
        for (Header h : dead.headers()) {
            if (h.key().startsWith("padding-")) {
                padding++;
            }
        }
        assertThat(padding).isLessThan(16);
    }
}
