package io.domainlink.ingestor;

import static io.domainlink.ingestor.Requests.apex;
import static io.domainlink.ingestor.Requests.subdomain;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import io.domainlink.common.DeadLetters;
import io.domainlink.common.RequestHeaders;
import io.domainlink.common.Topics;
import io.domainlink.common.UpstreamHeaders;
import io.domainlink.common.tracing.TraceContext;
import io.domainlink.events.ConnectionAccepted;
import io.domainlink.events.ConnectionRequested;
import io.domainlink.events.ConnectionType;
import io.domainlink.events.DomainFailed;
import io.domainlink.events.FailureReason;
import io.domainlink.events.Flow;
import io.domainlink.events.RequestContext;
import io.domainlink.events.Stage;

class IngestorTopologyTest extends IngestorDriver {

    // ---- admission and flows -----------------------------------------------------------------------------------

    @Test
    void admitsAValidRequestOfEachFlowKeyedByTheNormalizedDomainWithGenerationOne() {
        publish(apex("r-ns", "Example.COM.", ConnectionType.NAMESERVERS).build());
        publish(apex("r-pt", "bücher.example", ConnectionType.POINTING).build());
        publish(subdomain("r-sub", "Shop.Example.org").build());

        Map<String, ConnectionAccepted> out = accepted.readKeyValuesToMap();
        assertThat(out).containsOnlyKeys("example.com", "xn--bcher-kva.example", "shop.example.org");
        assertThat(out.get("example.com").getContext().getFlow()).isEqualTo(Flow.NAMESERVERS);
        assertThat(out.get("xn--bcher-kva.example").getContext().getFlow()).isEqualTo(Flow.POINTING);
        ConnectionAccepted sub = out.get("shop.example.org");
        assertThat(sub.getContext().getFlow()).isEqualTo(Flow.SUBDOMAIN);
        assertThat(sub.getConnectionType()).isNull();
        assertThat(out.values()).allSatisfy(a -> {
            assertThat(a.getContext().getGeneration()).isEqualTo(1);
            assertThat(a.getContext().getCorrelation()).containsEntry("ticket", "T-" + a.getContext().getRequestId());
            assertThat(a.getOccurredAt()).isEqualTo(START);
        });
        assertThat(outcomes.isEmpty()).isTrue();
        assertThat(metrics.acceptedCount()).isEqualTo(3);
    }

    // ---- validation ------------------------------------------------------------------------------------------

    @Test
    void rejectsAnInvalidRequestWithOneDomainFailedKeyedByTheNormalizedDomain() {
        publish(apex("r-1", "Shop.Bücher.example", ConnectionType.POINTING).setCorrelation(Map.of("caller", "crm")).build());

        DomainFailed f = onlyFailure();
        assertThat(f.getReason()).isEqualTo(FailureReason.INVALID_REQUEST);
        assertThat(f.getMessage()).contains("connectionType: must be absent for a subdomain");
        assertThat(f.getContext().getDomain()).isEqualTo("shop.xn--bcher-kva.example");
        assertThat(f.getContext().getFlow()).isEqualTo(Flow.UNKNOWN);
        assertThat(f.getContext().getRequestId()).isEqualTo("r-1");
        assertThat(f.getContext().getCorrelation()).isEqualTo(Map.of("caller", "crm"));
        assertThat(accepted.isEmpty()).isTrue();
        assertThat(metrics.rejectedCount(FailureReason.INVALID_REQUEST)).isEqualTo(1);
    }

    @Test
    void rejectsABarePublicSuffixKeyedByItsLowerCaseForm() {
        publish(apex("r-1", "CO.UK", ConnectionType.POINTING).build());

        DomainFailed f = onlyFailure();
        assertThat(f.getMessage()).contains("public suffix");
        assertThat(f.getContext().getDomain()).isEqualTo("co.uk");
    }

    @Test
    void rejectsAnUnparseableDomainKeyedByTheRawLowerCaseDomainOrInvalidWhenEmpty() {
        publish(apex("r-1", "Not A Domain", ConnectionType.POINTING).build());
        publish(apex("r-2", "", ConnectionType.POINTING).build());

        List<KeyValue<String, SpecificRecord>> out = outcomes.readKeyValuesToList();
        assertThat(out).extracting(kv -> kv.key).containsExactly("not a domain", "invalid");
        assertThat(out).allSatisfy(kv -> assertThat(((DomainFailed) kv.value).getReason()).isEqualTo(FailureReason.INVALID_REQUEST));
    }

    @Test
    void answersARequestWithoutAUsableIdEveryTimeItIsPublished() {
        publish(apex("", "example.com", ConnectionType.POINTING).build());
        publish(apex("x".repeat(500), "example.com", ConnectionType.POINTING).build());

        List<KeyValue<String, SpecificRecord>> out = outcomes.readKeyValuesToList();
        assertThat(out).hasSize(2).allSatisfy(kv -> {
            DomainFailed f = (DomainFailed) kv.value;
            assertThat(kv.key).isEqualTo("example.com");
            assertThat(f.getReason()).isEqualTo(FailureReason.INVALID_REQUEST);
            assertThat(f.getMessage()).contains("requestId:");
            assertThat(f.getContext().getRequestId().length()).isLessThanOrEqualTo(128);
        });
        assertThat(accepted.isEmpty()).isTrue();
    }

    @Test
    void echoesAnOversizeCorrelationTruncatedAndSaysSo() {
        Map<String, String> big = new java.util.HashMap<>();
        for (int i = 0; i < 50; i++) {
            big.put("key-" + i, "v");
        }
        publish(apex("r-1", "example.com", ConnectionType.POINTING).setCorrelation(big).build());

        DomainFailed f = onlyFailure();
        assertThat(f.getContext().getCorrelation()).hasSize(32);
        assertThat(f.getMessage()).contains("correlation: has 50 entries").contains("truncated");
    }

    // ---- de-duplication ------------------------------------------------------------------------------------

    @Test
    void dropsAnIdenticalDuplicateEvenWithAFreshRequestedAtAndCountsIt() {
        ConnectionRequested first = apex("r-1", "example.com", ConnectionType.POINTING).build();
        publish(first);
        publish(first);
        driver.advanceWallClockTime(Duration.ofHours(5));
        publish(ConnectionRequested.newBuilder(first).setRequestedAt(Requests.REQUESTED_AT.plus(Duration.ofHours(5))).build());

        assertThat(onlyAccepted().value.getContext().getRequestId()).isEqualTo("r-1");
        assertThat(outcomes.isEmpty()).isTrue();
        assertThat(metrics.duplicatesDroppedCount()).isEqualTo(2);
    }

    @Test
    void dropsAnIdenticalDuplicateOfAnInvalidRequestSoItIsAnsweredOnce() {
        ConnectionRequested bad = apex("r-1", "example.com", null).build();
        publish(bad);
        publish(bad);

        assertThat(onlyFailure().getReason()).isEqualTo(FailureReason.INVALID_REQUEST);
        assertThat(metrics.duplicatesDroppedCount()).isEqualTo(1);
    }

    @Test
    void rejectsTheSameRequestIdWithADifferentPayloadAsAConflict() {
        publish(apex("r-1", "example.com", ConnectionType.POINTING).build());
        publish(apex("r-1", "other.com", ConnectionType.POINTING).build());
        publish(apex("r-1", "example.com", ConnectionType.POINTING).setCorrelation(Map.of("ticket", "changed")).build());

        assertThat(onlyAccepted().key).isEqualTo("example.com");
        List<KeyValue<String, SpecificRecord>> out = outcomes.readKeyValuesToList();
        assertThat(out).extracting(kv -> kv.key).containsExactly("other.com", "example.com");
        assertThat(out).allSatisfy(kv -> {
            DomainFailed f = (DomainFailed) kv.value;
            assertThat(f.getReason()).isEqualTo(FailureReason.REQUEST_ID_CONFLICT);
            assertThat(f.getMessage()).contains("requestId 'r-1' was already used for a different request");
            assertThat(f.getContext().getRequestId()).isEqualTo("r-1");
        });
        assertThat(((DomainFailed) out.get(1).value).getContext().getCorrelation()).containsEntry("ticket", "changed");
        assertThat(metrics.rejectedCount(FailureReason.REQUEST_ID_CONFLICT)).isEqualTo(2);
    }

    @Test
    void aConflictOnTheActiveRequestIdDoesNotEndItsInFlightState() {
        publish(apex("r-1", "example.com", ConnectionType.POINTING).build());
        publish(apex("r-1", "example.com", ConnectionType.NAMESERVERS).build());   // conflict, published on outcomes with r-1
        publish(apex("r-2", "example.com", ConnectionType.POINTING).build());

        accepted.readKeyValuesToList();
        List<SpecificRecord> out = outcomes.readValuesToList();
        assertThat(out).extracting(v -> ((DomainFailed) v).getReason())
                .containsExactly(FailureReason.REQUEST_ID_CONFLICT, FailureReason.DOMAIN_IN_FLIGHT);
    }

    @Test
    void forgetsRequestIdsAfterTheRetentionAndPurgesThemFromTheStores() {
        driver.close();
        startDriver(Duration.ofHours(1));
        publish(apex("r-1", "example.com", ConnectionType.POINTING).build());
        publish(apex("r-2", "bad", ConnectionType.POINTING).build());
        outcomes.readKeyValuesToList();
        accepted.readKeyValuesToList();
        KeyValueStore<String, ?> ids = driver.getKeyValueStore(IngestorTopology.REQUEST_IDS);
        KeyValueStore<Bytes, byte[]> expiry = driver.getKeyValueStore(IngestorTopology.REQUEST_IDS_BY_EXPIRY);
        assertThat(count(ids)).isEqualTo(2);

        driver.advanceWallClockTime(Duration.ofMinutes(59));
        assertThat(count(ids)).isEqualTo(2);
        driver.advanceWallClockTime(Duration.ofMinutes(2));

        assertThat(count(ids)).isZero();
        assertThat(count(expiry)).isZero();
        assertThat(count(driver.getKeyValueStore(IngestorTopology.ADMITTED_IDS))).isZero();
        assertThat(metrics.expiredIdsPurgedCount()).isEqualTo(3);
        // forgotten: the bad one is answered again, not dropped as a duplicate
        publish(apex("r-2", "bad", ConnectionType.POINTING).build());
        assertThat(onlyFailure().getReason()).isEqualTo(FailureReason.INVALID_REQUEST);
    }

    // ---- in-flight guard -----------------------------------------------------------------------------------

    @Test
    void rejectsSecondRequestWhileFirstIsInFlightAndAdmitsItWithGenerationTwoAfterTheOutcome() {
        ConnectionRequested first = apex("r-1", "example.com", ConnectionType.POINTING).build();
        ConnectionRequested second = apex("r-2", "EXAMPLE.com", ConnectionType.NAMESERVERS).build();
        publish(first);
        RequestContext firstContext = onlyAccepted().value.getContext();
        assertThat(firstContext.getGeneration()).isEqualTo(1);

        publish(second);
        DomainFailed inFlight = onlyFailure();
        assertThat(inFlight.getReason()).isEqualTo(FailureReason.DOMAIN_IN_FLIGHT);
        assertThat(inFlight.getMessage()).contains("request 'r-1' in flight");
        assertThat(inFlight.getContext().getRequestId()).isEqualTo("r-2");
        assertThat(accepted.isEmpty()).isTrue();

        // an outcome for another request id does not end r-1
        outcomesIn.pipeInput("example.com", connected(RequestContext.newBuilder(firstContext).setRequestId("r-0").build()));
        publish(second);
        assertThat(onlyFailure().getReason()).isEqualTo(FailureReason.DOMAIN_IN_FLIGHT);

        outcomesIn.pipeInput("example.com", connected(firstContext));
        publish(second);

        KeyValue<String, ConnectionAccepted> admitted = onlyAccepted();
        assertThat(admitted.key).isEqualTo("example.com");
        assertThat(admitted.value.getContext().getRequestId()).isEqualTo("r-2");
        assertThat(admitted.value.getContext().getGeneration()).isEqualTo(2);
        assertThat(admitted.value.getContext().getFlow()).isEqualTo(Flow.NAMESERVERS);
        assertThat(outcomes.isEmpty()).isTrue();
        assertThat(metrics.rejectedCount(FailureReason.DOMAIN_IN_FLIGHT)).isEqualTo(2);
    }

    @Test
    void aFailureOutcomeFromALaterStageAlsoEndsTheInFlightState() {
        publish(apex("r-1", "example.com", ConnectionType.POINTING).build());
        RequestContext ctx = onlyAccepted().value.getContext();
        outcomesIn.pipeInput("example.com", DomainFailed.newBuilder().setContext(ctx).setOccurredAt(START)
                .setReason(FailureReason.WIX_REJECTED).setStage(Stage.CONNECTOR).setMessage("Wix said no").build());

        publish(apex("r-2", "example.com", ConnectionType.POINTING).build());

        assertThat(onlyAccepted().value.getContext().getGeneration()).isEqualTo(2);
    }

    @Test
    void dropsARepublishOfAnAdmittedRequestAfterItsOutcome() {
        ConnectionRequested first = apex("r-1", "example.com", ConnectionType.POINTING).build();
        publish(first);
        outcomesIn.pipeInput("example.com", connected(onlyAccepted().value.getContext()));

        publish(first);

        assertThat(accepted.isEmpty()).isTrue();
        assertThat(outcomes.isEmpty()).isTrue();
        assertThat(metrics.duplicatesDroppedCount()).isEqualTo(1);
    }

    @Test
    void guardsEachDomainSeparately() {
        publish(apex("r-1", "example.com", ConnectionType.POINTING).build());
        publish(subdomain("r-2", "shop.example.com").build());

        assertThat(accepted.readKeyValuesToMap()).containsOnlyKeys("example.com", "shop.example.com");
        assertThat(outcomes.isEmpty()).isTrue();
    }

    // ---- poison records ------------------------------------------------------------------------------------

    @Test
    void deadLettersEachKindOfUnreadableRecordAndKeepsProcessing() {
        // TopologyTestDriver under exactly_once_v2 discards what a transaction sent while it processed no record
        // (it clears the mock producer after each piped record), so this test reads the dead letters the handler
        // produces with at_least_once; RequestIngestorIT proves them under exactly_once_v2 on a real broker.
        driver.close();
        startDriver(Duration.ofDays(7), Map.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE));
        int otherId = fake.register("other-value", "{\"type\":\"record\",\"name\":\"Other\",\"fields\":[{\"name\":\"x\",\"type\":\"int\"}]}");
        byte[] noMagic = "{\"requestId\":\"r-json\"}".getBytes(StandardCharsets.UTF_8);
        byte[] unknownId = ByteBuffer.allocate(7).put((byte) 0).putInt(9_999).put((byte) 2).put((byte) 4).array();
        byte[] unreadable = ByteBuffer.allocate(6).put((byte) 0).putInt(otherId).put((byte) 2).array();
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", "00-abc".getBytes(StandardCharsets.UTF_8));

        rawRequests.pipeInput(new TestRecord<>("k1", noMagic, headers));
        rawRequests.pipeInput("k2", unknownId);
        rawRequests.pipeInput("k3", unreadable);
        publish(apex("r-bad", "exa mple.com", ConnectionType.POINTING).build());   // valid Avro, invalid content
        publish(apex("r-good", "example.com", ConnectionType.POINTING).build());

        List<TestRecord<byte[], byte[]>> dlq = deadLetters.readRecordsToList();
        assertThat(dlq).hasSize(3);
        assertThat(dlq).extracting(r -> DeadLetters.header(r.headers(), DeadLetters.ERROR_KIND))
                .containsExactly("UNKNOWN_MAGIC_BYTE", "UNKNOWN_SCHEMA_ID", "UNREADABLE_SCHEMA");
        assertThat(dlq).extracting(TestRecord::value).containsExactly(noMagic, unknownId, unreadable);
        assertThat(dlq).extracting(r -> new String(r.key(), StandardCharsets.UTF_8)).containsExactly("k1", "k2", "k3");
        assertThat(dlq).extracting(r -> DeadLetters.header(r.headers(), DeadLetters.SOURCE_OFFSET)).containsExactly("0", "1", "2");
        assertThat(dlq).allSatisfy(r -> {
            assertThat(DeadLetters.header(r.headers(), DeadLetters.SOURCE_TOPIC)).isEqualTo(Topics.REQUESTS.name());
            assertThat(DeadLetters.header(r.headers(), DeadLetters.SOURCE_PARTITION)).isEqualTo("0");
            assertThat(DeadLetters.header(r.headers(), DeadLetters.STAGE)).isEqualTo(RequestIngestorApp.STAGE);
            assertThat(DeadLetters.header(r.headers(), DeadLetters.ERROR_MESSAGE)).isNotBlank();
        });
        assertThat(DeadLetters.header(dlq.get(0).headers(), "traceparent")).isEqualTo("00-abc");

        DomainFailed invalid = onlyFailure();
        assertThat(invalid.getReason()).isEqualTo(FailureReason.INVALID_REQUEST);
        assertThat(invalid.getContext().getRequestId()).isEqualTo("r-bad");
        assertThat(onlyAccepted().value.getContext().getRequestId()).isEqualTo("r-good");
        assertThat(metrics.deadLetteredCount()).isEqualTo(3);
    }

    @Test
    void ignoresATombstoneOnTheRequestsTopic() {
        rawRequests.pipeInput("example.com", (byte[]) null);
        publish(apex("r-1", "example.com", ConnectionType.POINTING).build());

        assertThat(onlyAccepted().key).isEqualTo("example.com");
        assertThat(outcomes.isEmpty()).isTrue();
        assertThat(metrics.tombstonesIgnoredCount()).isEqualTo(1);
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    static long count(KeyValueStore<?, ?> store) {
        long n = 0;
        try (var it = store.all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    // ------------------------------------------------------------------ trace context

    static final String CALLER_TRACE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    static String traceparent(TestRecord<String, ?> r) {
        org.apache.kafka.common.header.Header h = r.headers().lastHeader(io.domainlink.common.tracing.TraceContext.HEADER);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void theAcceptedEventContinuesTheCallersTraceWithTheIngestorsOwnSpan() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(io.domainlink.common.tracing.TraceContext.HEADER, CALLER_TRACE.getBytes(StandardCharsets.UTF_8));
        requests.pipeInput(new TestRecord<>("untrusted-key", apex("r-traced", "traced.com", ConnectionType.POINTING).build(), headers));

        TestRecord<String, ConnectionAccepted> out = accepted.readRecord();
        assertThat(traceparent(out)).startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-").endsWith("-01")
                .isNotEqualTo(CALLER_TRACE);
        assertThat(out.headers().headers(io.domainlink.common.tracing.TraceContext.HEADER)).as("one traceparent").hasSize(1);
    }

    static RecordHeaders hostileHeaders() {
        RecordHeaders headers = new RecordHeaders();
        Map.of(TraceContext.HEADER, CALLER_TRACE, TraceContext.STATE_HEADER, "vendor=abc", "x-evil", "1",
                DeadLetters.SOURCE_TOPIC, "domains.accepted", RequestHeaders.REQUEST_ID, "spoofed", RequestHeaders.GENERATION, "99")
                .forEach((k, v) -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)));
        return headers;
    }

    /** Only the caller's trace and the headers the ingestor writes itself (never with the caller's spoofed value). */
    static void onlyTraceAndOwnHeaders(TestRecord<String, ?> r, String requestId) {
        assertThat(r.headers().toArray()).extracting(Header::key).contains(TraceContext.HEADER, TraceContext.STATE_HEADER)
                .allMatch(k -> UpstreamHeaders.ALLOWED.contains(k) || k.equals(RequestHeaders.REQUEST_ID) || k.equals(RequestHeaders.GENERATION));
        assertThat(DeadLetters.header(r.headers(), TraceContext.STATE_HEADER)).isEqualTo("vendor=abc");
        assertThat(traceparent(r)).startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-");
        assertThat(DeadLetters.header(r.headers(), RequestHeaders.REQUEST_ID)).isIn(null, requestId);
        assertThat(DeadLetters.header(r.headers(), RequestHeaders.GENERATION)).isNotEqualTo("99");
    }

    @Test
    void noUpstreamHeaderButTheTraceReachesTheAcceptedOrOutcomeRecords() {
        requests.pipeInput(new TestRecord<>("k", apex("r-h1", "headers.com", ConnectionType.POINTING).build(), hostileHeaders()));
        requests.pipeInput(new TestRecord<>("k", apex("r-h2", "not a domain", ConnectionType.POINTING).build(), hostileHeaders()));

        onlyTraceAndOwnHeaders(accepted.readRecord(), "r-h1");
        onlyTraceAndOwnHeaders(outcomes.readRecord(), "r-h2");
    }

    @Test
    void aRequestWithoutATraceStartsOneAndItsRejectionCarriesIt() {
        publish(apex("r-untraced-1", "untraced.com", ConnectionType.POINTING).build());
        ConnectionRequested second = apex("r-untraced-2", "untraced.com", ConnectionType.POINTING).build();
        requests.pipeInput(new TestRecord<>("k", second, new RecordHeaders().add(io.domainlink.common.tracing.TraceContext.HEADER,
                "not-a-traceparent".getBytes(StandardCharsets.UTF_8))));

        String first = traceparent(accepted.readRecord());
        String rejection = traceparent(outcomes.readRecord());
        assertThat(io.domainlink.common.tracing.TraceContext.parse(first)).as("valid traceparent on accepted").isPresent();
        assertThat(io.domainlink.common.tracing.TraceContext.parse(rejection)).as("valid traceparent on the DOMAIN_IN_FLIGHT rejection").isPresent();
        assertThat(first.substring(3, 35)).as("each request its own trace").isNotEqualTo(rejection.substring(3, 35));
    }
}
