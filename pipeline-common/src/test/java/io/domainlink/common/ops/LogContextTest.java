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
}
