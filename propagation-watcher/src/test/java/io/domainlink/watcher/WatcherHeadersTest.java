package io.domainlink.watcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.domainlink.common.DeadLetters;
import io.domainlink.common.RequestHeaders;
import io.domainlink.common.tracing.TraceContext;
import io.domainlink.events.DomainConnected;
import io.domainlink.events.PropagationStatus;
import io.domainlink.events.RecheckRequested;

/** Headers an upstream system writes on domains.rechecks reach neither domains.progress nor domains.outcomes. */
class WatcherHeadersTest {

    static final String CONNECTOR_TRACE = "00-22222222222222222222222222222222-2222222222222222-01";
    static final String CALLER_TRACE = "00-99999999999999999999999999999999-9999999999999999-01";

    private WatcherHarness h;

    @AfterEach
    void close() {
        h.close();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aRecheckWithSpoofedHeadersEndsItsWatchWithOnlyTheWatchsOwnTrace() {
        h = new WatcherHarness(WatcherTopologyTest.SCHEDULE);
        // IN_PROGRESS until the owner's recheck, COMPLETED at the check it triggers
        h.wixAnswers((d, n) -> CheckResult.status(n < 2 ? PropagationStatus.IN_PROGRESS : PropagationStatus.COMPLETED));
        h.configureTraced("owner.example.com", "r-1", 1, CONNECTOR_TRACE);
        h.advance(Duration.ofSeconds(6));

        RecordHeaders hostile = new RecordHeaders();
        hostile.add(TraceContext.HEADER, bytes(CALLER_TRACE));
        hostile.add(TraceContext.STATE_HEADER, bytes("vendor=abc"));
        hostile.add("x-evil", bytes("1"));
        hostile.add(DeadLetters.SOURCE_TOPIC, bytes("domains.configured"));
        hostile.add(RequestHeaders.REQUEST_ID, bytes("spoofed"));
        RecheckRequested recheck = RecheckRequested.newBuilder().setDomain("owner.example.com").setRequestId("r-1")
                .setRequestedAt(Instant.ofEpochMilli(h.now())).build();
        h.rechecks.pipeInput(new TestRecord<>("owner.example.com", recheck, hostile, h.now()));
        h.advance(Duration.ofSeconds(1));

        var progress = h.progress.readRecordsToList();
        var outcomes = h.outcomes.readRecordsToList();
        assertThat(outcomes).singleElement().satisfies(r -> assertThat(r.value()).isInstanceOf(DomainConnected.class));
        List<TestRecord<String, ?>> written = new ArrayList<>(progress);
        written.addAll(outcomes);
        assertThat(written).isNotEmpty().allSatisfy(r -> {
            assertThat(r.headers().toArray()).extracting(Header::key).containsExactly(TraceContext.HEADER);
            assertThat(TraceContext.from(r.headers()).orElseThrow().traceId()).as("the watch's trace, not the caller's")
                    .isEqualTo("2".repeat(32));
        });
    }
}
