package io.domainlink.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.domainlink.events.ConnectionAccepted;
import io.domainlink.events.ConnectionConfigured;
import io.domainlink.events.ConnectionRequested;
import io.domainlink.events.DnsRecord;
import io.domainlink.events.DomainConnected;
import io.domainlink.events.DomainFailed;
import io.domainlink.events.FailureReason;
import io.domainlink.events.Flow;
import io.domainlink.events.OwnerAction;
import io.domainlink.events.OwnerActionRequired;
import io.domainlink.events.PropagationProgress;
import io.domainlink.events.PropagationStatus;
import io.domainlink.events.RecordType;
import io.domainlink.events.RequestContext;
import io.domainlink.events.Stage;
import io.domainlink.tools.RequestFile;

class ProgressBoardTest {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    @Test
    void showsEachStageOfAPointingRequestAndEndsConnectedWithItsDuration() {
        ProgressBoard board = new ProgressBoard(T0, false);
        board.plan(request("r1", "Shop.Example.com"), RequestFile.Expectation.parse("CONNECTED"));

        List<String> lines = List.of(
                board.apply(accepted("r1", "shop.example.com"), T0.plusSeconds(1)).orElseThrow(),
                board.apply(owner("r1", "shop.example.com"), T0.plusSeconds(2)).orElseThrow(),
                board.apply(progress("r1", PropagationStatus.IN_PROGRESS), T0.plusSeconds(4)).orElseThrow(),
                board.apply(connected("r1", 12_300), T0.plusSeconds(12)).orElseThrow());

        assertThat(lines.get(0)).contains("+1.0s", "shop.example.com", "POINTING", "accepted (generation 1)");
        assertThat(lines.get(1)).contains("owner must set records A shop.example.com → 185.230.63.107");
        assertThat(lines.get(2)).contains("propagation IN_PROGRESS (check 2)");
        assertThat(lines.get(3)).contains("CONNECTED after 12.3s");
        assertThat(board.allDone(List.of("r1"))).isTrue();
        assertThat(board.allAsExpected()).isTrue();
        assertThat(board.summary()).contains("shop.example.com", "POINTING", "CONNECTED", "12.3s", "ok (CONNECTED)",
                "1 requests: 1 connected, 0 failed, 0 pending; all as expected");
    }

    @Test
    void neverGoesBackwardsWhenTopicsDeliverOutOfOrder() {
        ProgressBoard board = new ProgressBoard(T0, false);
        board.plan(request("r1", "a.com"), null);

        assertThat(board.apply(progress("r1", PropagationStatus.IN_PROGRESS), T0)).isPresent();
        assertThat(board.apply(accepted("r1", "a.com"), T0)).isEmpty();
        assertThat(board.apply(failed("r1", FailureReason.PROPAGATION_TIMEOUT), T0)).isPresent();
        assertThat(board.apply(connected("r1", 5), T0)).as("a second terminal event changes nothing").isEmpty();
        assertThat(board.rows().get(0).outcome).isEqualTo(ProgressBoard.FAILED);
    }

    @Test
    void aFailureOtherThanTheExpectedOneIsAMismatchInTheSummary() {
        ProgressBoard board = new ProgressBoard(T0, false);
        board.plan(request("r1", "a.com"), RequestFile.Expectation.parse("FAILED:WIX_REJECTED"));

        board.apply(failed("r1", FailureReason.RETRIES_EXHAUSTED), T0.plusSeconds(3));

        assertThat(board.allDone()).isTrue();
        assertThat(board.allAsExpected()).isFalse();
        assertThat(board.summary()).contains("RETRIES_EXHAUSTED", "MISMATCH (expected FAILED:WIX_REJECTED)", "NOT all as expected");
    }

    @Test
    void aRequestWithoutOutcomeIsPendingWithItsLastStage() {
        ProgressBoard board = new ProgressBoard(T0, false);
        board.plan(request("r1", "a.com"), RequestFile.Expectation.parse("CONNECTED"));
        board.apply(accepted("r1", "a.com"), T0);

        assertThat(board.allDone()).isFalse();
        assertThat(board.allAsExpected()).isFalse();
        assertThat(board.summary()).contains("PENDING", "accepted (generation 1)", "1 pending");
    }

    @Test
    void followsRequestsSubmittedByOthersOnlyWhenAskedTo() {
        ProgressBoard quiet = new ProgressBoard(T0, false);
        ProgressBoard all = new ProgressBoard(T0, true);

        assertThat(quiet.apply(request("x", "mine.com"), T0)).isEmpty();
        assertThat(quiet.apply(accepted("x", "mine.com"), T0)).isEmpty();
        assertThat(all.apply(request("x", "mine.com"), T0)).hasValueSatisfying(l -> assertThat(l).contains("mine.com", "requested"));
        assertThat(all.apply(accepted("x", "mine.com"), T0)).isPresent();
        assertThat(quiet.rows()).isEmpty();
    }

    @Test
    void ignoresEventsOfOtherRequests() {
        ProgressBoard board = new ProgressBoard(T0, false);
        board.plan(request("r1", "a.com"), null);

        Optional<String> line = board.apply(connected("someone-else", 5), T0);

        assertThat(line).isEmpty();
        assertThat(board.allDone()).isFalse();
    }

    static ConnectionRequested request(String id, String domain) {
        return ConnectionRequested.newBuilder().setRequestId(id).setDomain(domain).setAccountId("a").setSiteId("s")
                .setRequestedAt(T0).build();
    }

    static RequestContext ctx(String id, String domain) {
        return RequestContext.newBuilder().setRequestId(id).setDomain(domain).setFlow(Flow.POINTING).setAccountId("a")
                .setSiteId("s").setCorrelation(Map.of("ticket", "T")).setGeneration(1).build();
    }

    static ConnectionAccepted accepted(String id, String domain) {
        return ConnectionAccepted.newBuilder().setContext(ctx(id, domain)).setOccurredAt(T0).setRequestedAt(T0).build();
    }

    static OwnerActionRequired owner(String id, String domain) {
        return OwnerActionRequired.newBuilder().setContext(ctx(id, domain)).setOccurredAt(T0).setAction(OwnerAction.SET_RECORDS)
                .setRecords(List.of(DnsRecord.newBuilder().setType(RecordType.A).setHostName(domain).setValues(List.of("185.230.63.107")).build()))
                .build();
    }

    static ConnectionConfigured configured(String id, String domain) {
        return ConnectionConfigured.newBuilder().setContext(ctx(id, domain)).setOccurredAt(T0).setRequestedAt(T0).build();
    }

    static PropagationProgress progress(String id, PropagationStatus status) {
        return PropagationProgress.newBuilder().setContext(ctx(id, "a.com")).setOccurredAt(T0).setStatus(status).setChecks(2).build();
    }

    static DomainConnected connected(String id, long millis) {
        return DomainConnected.newBuilder().setContext(ctx(id, "shop.example.com")).setOccurredAt(T0.plusMillis(millis))
                .setRequestedAt(T0).setDurationMillis(millis).build();
    }

    static DomainFailed failed(String id, FailureReason reason) {
        return DomainFailed.newBuilder().setContext(ctx(id, "a.com")).setOccurredAt(T0.plusSeconds(3)).setReason(reason)
                .setStage(Stage.CONNECTOR).setMessage("because").build();
    }
}
