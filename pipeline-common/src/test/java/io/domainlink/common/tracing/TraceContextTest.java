package io.domainlink.common.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class TraceContextTest {

    static final String W3C_EXAMPLE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void readsTheSpecificationsExampleAndWritesItBackUnchanged() {
        TraceContext t = TraceContext.parse(W3C_EXAMPLE).orElseThrow();
        assertThat(t.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(t.spanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(t.sampled()).isTrue();
        assertThat(t.header()).isEqualTo(W3C_EXAMPLE);
    }

    @Test
    void refusesWhatTheSpecificationCallsInvalid() {
        assertThat(TraceContext.parse(null)).isEmpty();
        assertThat(TraceContext.parse("")).isEmpty();
        assertThat(TraceContext.parse("00-00000000000000000000000000000000-00f067aa0ba902b7-01")).as("zero trace id").isEmpty();
        assertThat(TraceContext.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01")).as("zero span id").isEmpty();
        assertThat(TraceContext.parse("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01")).as("upper case").isEmpty();
        assertThat(TraceContext.parse("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")).as("version ff").isEmpty();
        assertThat(TraceContext.parse(W3C_EXAMPLE + "-extra")).as("version 00 with more fields").isEmpty();
        assertThat(TraceContext.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7")).as("no flags").isEmpty();
    }

    @Test
    void readsAFutureVersionByItsFirstFourFields() {
        assertThat(TraceContext.parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-comes-next"))
                .hasValueSatisfying(t -> assertThat(t.header()).isEqualTo(W3C_EXAMPLE.replaceFirst("^00", "00")));
    }

    @Test
    void aStageContinuesTheCallersTraceWithItsOwnSpan() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(TraceContext.HEADER, W3C_EXAMPLE.getBytes(StandardCharsets.UTF_8));
        TraceContext hop = TraceContext.continueFrom(headers);
        assertThat(hop.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(hop.spanId()).isNotEqualTo("00f067aa0ba902b7").hasSize(16);
        assertThat(hop.flags()).isEqualTo(1);

        hop.writeTo(headers);
        assertThat(headers.headers(TraceContext.HEADER)).singleElement()
                .satisfies(h -> assertThat(new String(h.value(), StandardCharsets.UTF_8)).isEqualTo(hop.header()));
    }

    @Test
    void aRecordWithoutAValidTraceparentStartsANewTrace() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(TraceContext.HEADER, "garbage".getBytes(StandardCharsets.UTF_8));
        TraceContext a = TraceContext.continueFrom(headers);
        TraceContext b = TraceContext.continueFrom(new RecordHeaders());
        assertThat(a.traceId()).isNotEqualTo(b.traceId());
        assertThat(TraceContext.parse(a.header())).contains(a);
        assertThat(a.sampled()).isTrue();
    }
}
