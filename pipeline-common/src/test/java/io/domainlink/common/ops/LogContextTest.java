package io.domainlink.common.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import io.domainlink.common.tracing.TraceContext;

class LogContextTest {

    @Test
    void putsTheRecordsIdentifiersWhileOpenAndRestoresTheOuterContextWhenClosed() {
        TraceContext trace = TraceContext.newTrace();
        try (LogContext outer = LogContext.record("domains.accepted", 3, 42).trace(trace)) {
            try (LogContext inner = LogContext.open().request("r-1", "example.com").put(LogContext.TOPIC, "domains.outcomes")) {
                assertThat(MDC.get(LogContext.REQUEST_ID)).isEqualTo("r-1");
                assertThat(MDC.get(LogContext.DOMAIN)).isEqualTo("example.com");
                assertThat(MDC.get(LogContext.TOPIC)).isEqualTo("domains.outcomes");
                assertThat(MDC.get(LogContext.OFFSET)).isEqualTo("42");
            }
            assertThat(MDC.get(LogContext.TOPIC)).isEqualTo("domains.accepted");
            assertThat(MDC.get(LogContext.REQUEST_ID)).isNull();
            assertThat(MDC.get(LogContext.TRACE_ID)).isEqualTo(trace.traceId());
        }
        assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
    }

    @Test
    void escapesLineBreaksAndOtherNonPrintingCharactersSoAValueStaysOnOneLine() {
        try (LogContext ignored = LogContext.open().request("id\r\nFAKE LINE", "a\u2028b\u0085c\u202Ed\u0000.com")) {
            assertThat(MDC.get(LogContext.REQUEST_ID)).isEqualTo("id\\r\\nFAKE LINE");
            assertThat(MDC.get(LogContext.DOMAIN)).isEqualTo("a\\u2028b\\u0085c\\u202Ed\\u0000.com");
        }
        assertThat(LogContext.printable("bücher.de 例え")).isEqualTo("bücher.de 例え");
    }

    @Test
    void cutsALongValueSayingHowLongItWas() {
        try (LogContext ignored = LogContext.open().put(LogContext.DOMAIN, "x".repeat(10_000))) {
            assertThat(MDC.get(LogContext.DOMAIN)).isEqualTo("x".repeat(LogContext.MAX_VALUE) + "...(10000 chars)");
        }
        // a cut never splits a surrogate pair
        String emoji = "a".repeat(LogContext.MAX_VALUE - 1) + "\uD83D\uDE00tail";
        assertThat(LogContext.printable(emoji)).isEqualTo("a".repeat(LogContext.MAX_VALUE - 1) + "..." + "(" + emoji.length() + " chars)");
    }
}
