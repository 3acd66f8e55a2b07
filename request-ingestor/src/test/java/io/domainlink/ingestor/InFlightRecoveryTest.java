package io.domainlink.ingestor;

import static io.domainlink.ingestor.Requests.apex;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Set;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import io.domainlink.common.RequestHeaders;
import io.domainlink.common.Topics;
import io.domainlink.common.UnreadableOutcomes;
import io.domainlink.common.serde.SerdeException;
import io.domainlink.events.ConnectionAccepted;
import io.domainlink.events.ConnectionType;
import io.domainlink.events.DomainFailed;
import io.domainlink.events.FailureReason;
import io.domainlink.events.RequestContext;
import io.domainlink.events.Stage;

/**
 * How a domain's in-flight request ends when a later stage cannot say so with its usual outcome: the accepted event
 * names its request in headers, a later stage's {@code DomainFailed(UNREADABLE)} or an operator's release ends it, and
 * without either it stops holding the domain after {@code in.flight.max.age.ms}.
 */
class InFlightRecoveryTest extends IngestorDriver {

    static String header(TestRecord<String, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void theAcceptedEventNamesItsRequestAndGenerationInHeadersReplacingWhatUpstreamSent() {
        RecordHeaders spoofed = new RecordHeaders();
        spoofed.add(RequestHeaders.REQUEST_ID, "victim".getBytes(StandardCharsets.UTF_8));
        spoofed.add(RequestHeaders.GENERATION, "99".getBytes(StandardCharsets.UTF_8));
        requests.pipeInput(new TestRecord<>("k", apex("r-1", "example.com", ConnectionType.POINTING).build(), spoofed));

        TestRecord<String, ConnectionAccepted> first = accepted.readRecord();
        assertThat(first.headers().headers(RequestHeaders.REQUEST_ID)).hasSize(1);
        assertThat(first.headers().headers(RequestHeaders.GENERATION)).hasSize(1);
        assertThat(header(first, RequestHeaders.REQUEST_ID)).isEqualTo("r-1");
        assertThat(header(first, RequestHeaders.GENERATION)).isEqualTo("1");

        outcomesIn.pipeInput("example.com", connected(first.value().getContext()));
        publish(apex("r-2", "example.com", ConnectionType.POINTING).build());

        TestRecord<String, ConnectionAccepted> second = accepted.readRecord();
        assertThat(header(second, RequestHeaders.REQUEST_ID)).isEqualTo("r-2");
        assertThat(header(second, RequestHeaders.GENERATION)).isEqualTo("2");
    }

    @Test
    void anUnreadableOutcomeBuiltFromTheAcceptedRecordsHeadersFreesTheDomain() {
        publish(apex("r-1", "example.com", ConnectionType.POINTING).build());
        TestRecord<String, ConnectionAccepted> admitted = accepted.readRecord();
        // what the connector publishes when it cannot read that record: only its key and headers are known
        UnreadableOutcomes connector = new UnreadableOutcomes(Stage.CONNECTOR, "domain-connector", Set.of(Topics.ACCEPTED.name()),
                serdes.outcomes().serializer(), Clock.fixed(START, ZoneOffset.UTC));
        DomainFailed unreadable = connector.failed(Topics.ACCEPTED.name(), "domains.accepted-0@0",
                admitted.key().getBytes(StandardCharsets.UTF_8), admitted.headers(),
                new SerdeException(SerdeException.Kind.UNDECODABLE_PAYLOAD, "truncated")).orElseThrow();

        outcomesIn.pipeInput(admitted.key(), unreadable);
        publish(apex("r-2", "example.com", ConnectionType.POINTING).build());

        assertThat(onlyAccepted().value.getContext().getGeneration()).isEqualTo(2);
        assertThat(outcomes.isEmpty()).isTrue();
    }

    @Test
    void anOperatorReleaseOfTheActiveRequestFreesTheDomainAndOneOfAnotherRequestDoesNot() {
        publish(apex("r-1", "example.com", ConnectionType.POINTING).build());
        RequestContext ctx = onlyAccepted().value.getContext();

        outcomesIn.pipeInput("example.com", released(RequestContext.newBuilder(ctx).setRequestId("r-0").build()));
        publish(apex("r-2", "example.com", ConnectionType.POINTING).build());
        assertThat(onlyFailure().getReason()).isEqualTo(FailureReason.DOMAIN_IN_FLIGHT);

        outcomesIn.pipeInput("example.com", released(ctx));
        publish(apex("r-2", "example.com", ConnectionType.POINTING).build());
        assertThat(onlyAccepted().value.getContext().getRequestId()).isEqualTo("r-2");
    }

    @Test
    void aRequestInFlightLongerThanTheMaxAgeNoLongerHoldsItsDomain() {
        publish(apex("r-1", "example.com", ConnectionType.POINTING).build());
        RequestContext first = onlyAccepted().value.getContext();

        driver.advanceWallClockTime(IngestorConfig.DEFAULT_IN_FLIGHT_MAX_AGE.minusMinutes(1));
        publish(apex("r-2", "example.com", ConnectionType.POINTING).build());
        assertThat(onlyFailure().getMessage()).contains("request 'r-1' in flight");

        driver.advanceWallClockTime(Duration.ofMinutes(1));
        publish(apex("r-2", "example.com", ConnectionType.POINTING).build());
        ConnectionAccepted second = onlyAccepted().value;
        assertThat(second.getContext().getRequestId()).isEqualTo("r-2");
        assertThat(second.getContext().getGeneration()).isEqualTo(2);
        assertThat(metrics.inFlightExpiredCount()).isEqualTo(1);

        // the old request's late outcome does not end the new one
        outcomesIn.pipeInput("example.com", connected(first));
        publish(apex("r-3", "example.com", ConnectionType.POINTING).build());
        assertThat(onlyFailure().getMessage()).contains("request 'r-2' in flight");
    }

    static SpecificRecord released(RequestContext ctx) {
        return DomainFailed.newBuilder().setContext(ctx).setOccurredAt(START).setReason(FailureReason.OPERATOR_RELEASED)
                .setStage(Stage.OPERATOR).setMessage("released by ops").build();
    }
}
