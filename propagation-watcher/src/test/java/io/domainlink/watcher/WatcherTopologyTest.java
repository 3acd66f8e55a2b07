package io.domainlink.watcher;

import static io.domainlink.watcher.WatcherHarness.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.domainlink.common.DeadLetters;
import io.domainlink.events.ConnectionConfigured;
import io.domainlink.events.DomainConnected;
import io.domainlink.events.DomainFailed;
import io.domainlink.events.FailureReason;
import io.domainlink.events.PropagationProgress;
import io.domainlink.events.PropagationStatus;
import io.domainlink.events.Stage;

/** The watcher topology with the wall clock advanced by the test. */
class WatcherTopologyTest {

    /** 5 s, 15 s ×2 capped at 2 min, no jitter, deadline 10 min, FAILED grace 3 min every 1 min, retry 10 s. */
    static final Schedule SCHEDULE = new Schedule(Duration.ofSeconds(5), Duration.ofSeconds(15), 2.0,
            Duration.ofMinutes(2), 0.0, Duration.ofMinutes(10), Duration.ofMinutes(3), Duration.ofMinutes(1),
            Duration.ofSeconds(10));

    private WatcherHarness h;

    @AfterEach
    void close() {
        if (h != null) {
            h.close();
        }
    }

    private static long s(long seconds) {
        return seconds * 1000;
    }

    @Test
    void checksFollowThePublishedScheduleAndTheDeadlineFailsWithTheLastSeenStatus() {
        h = new WatcherHarness(SCHEDULE);
        h.configure("slow.example.com", "r-1", 1);

        h.advance(Duration.ofMinutes(9).plusSeconds(59));
        assertThat(h.checkOffsets("slow.example.com"))
                .containsExactly(s(5), s(20), s(50), s(110), s(230), s(350), s(470), s(590));
        assertThat(h.readOutcomes()).as("nothing ends before the deadline").isEmpty();

        h.advance(Duration.ofSeconds(1));
        List<SpecificRecord> outcomes = h.readOutcomes();
        assertThat(outcomes).hasSize(1);
        DomainFailed failed = WatcherHarness.failed(outcomes.get(0));
        assertThat(failed.getReason()).isEqualTo(FailureReason.PROPAGATION_TIMEOUT);
        assertThat(failed.getStage()).isEqualTo(Stage.WATCHER);
        assertThat(failed.getLastStatus()).isEqualTo(PropagationStatus.IN_PROGRESS);
        assertThat(failed.getContext().getRequestId()).isEqualTo("r-1");
        assertThat(failed.getContext().getCorrelation()).containsEntry("ticket", "T-r-1");
        assertThat(failed.getOccurredAt().toEpochMilli()).isEqualTo(T0.toEpochMilli() + s(600));
        assertThat(h.checkOffsets("slow.example.com")).as("the deadline itself costs no Wix call").hasSize(8);
        assertThat(h.indexSize()).isZero();
        assertThat(h.deadlineIndexSize()).isZero();
        assertThat(h.metrics.pendingWatches()).isZero();

        h.advance(Duration.ofMinutes(30));
        assertThat(h.readOutcomes()).as("exactly one terminal event").isEmpty();
        assertThat(h.checkOffsets("slow.example.com")).hasSize(8);
    }

    @Test
    void progressIsPublishedOnlyWhenTheStatusChanges() {
        h = new WatcherHarness(SCHEDULE);
        h.wixAnswers((d, n) -> CheckResult.status(n == 1 ? PropagationStatus.UNKNOWN_DNS_PROPAGATION_STATUS
                : PropagationStatus.IN_PROGRESS));
        h.configure("p.example.com", "r-1", 1);
        h.advance(Duration.ofSeconds(60));

        List<PropagationProgress> progress = h.progress.readValuesToList();
        assertThat(h.checkOffsets("p.example.com")).hasSize(3);
        assertThat(progress).hasSize(1);
        assertThat(progress.get(0).getPreviousStatus()).isEqualTo(PropagationStatus.UNKNOWN_DNS_PROPAGATION_STATUS);
        assertThat(progress.get(0).getStatus()).isEqualTo(PropagationStatus.IN_PROGRESS);
        assertThat(progress.get(0).getChecks()).isEqualTo(2);
        assertThat(progress.get(0).getNextCheckAt().toEpochMilli()).isEqualTo(T0.toEpochMilli() + s(50));
    }

    @Test
    void completedPublishesOneDomainConnectedWithTheTimeItTook() {
        h = new WatcherHarness(SCHEDULE);
        h.wixAnswers((d, n) -> CheckResult.status(n < 3 ? PropagationStatus.IN_PROGRESS : PropagationStatus.COMPLETED));
        h.configure("fast.example.com", "r-1", 1);
        h.advance(Duration.ofMinutes(5));

        List<SpecificRecord> outcomes = h.readOutcomes();
        assertThat(outcomes).hasSize(1);
        DomainConnected connected = WatcherHarness.connected(outcomes.get(0));
        assertThat(connected.getContext().getRequestId()).isEqualTo("r-1");
        assertThat(connected.getChecks()).isEqualTo(3);
        assertThat(connected.getOccurredAt().toEpochMilli()).isEqualTo(T0.toEpochMilli() + s(50));
        assertThat(connected.getDurationMillis()).as("requested 60 s before configuration").isEqualTo(s(60 + 50));
        assertThat(h.checkOffsets("fast.example.com")).containsExactly(s(5), s(20), s(50));
        assertThat(h.progress.readValuesToList()).extracting(PropagationProgress::getStatus)
                .containsExactly(PropagationStatus.IN_PROGRESS, PropagationStatus.COMPLETED);
        assertThat(h.watch("fast.example.com").getActive()).isFalse();
    }

    @Test
    void aConfiguredEventWithoutAnAccountIdEndsItsRequestOnceWithInvalidRequestAndSupersedesTheOlderWatch() {
        h = new WatcherHarness(SCHEDULE);
        h.configure("bad.example.com", "r-1", 1);
        ConnectionConfigured bad = h.configuredEvent("bad.example.com", "r-2", 2, PropagationStatus.UNKNOWN_DNS_PROPAGATION_STATUS);
        bad.getContext().setAccountId("");
        h.configured.pipeInput("bad.example.com", bad);
        h.configured.pipeInput("bad.example.com", bad); // a redelivered copy answers nothing more

        List<SpecificRecord> outcomes = h.readOutcomes();
        assertThat(outcomes).hasSize(2);
        assertThat(WatcherHarness.failed(outcomes.get(0)).getReason()).isEqualTo(FailureReason.SUPERSEDED);
        DomainFailed invalid = WatcherHarness.failed(outcomes.get(1));
        assertThat(invalid.getContext().getRequestId()).isEqualTo("r-2");
        assertThat(invalid.getReason()).isEqualTo(FailureReason.INVALID_REQUEST);
        assertThat(invalid.getMessage()).contains("accountId");
        h.advance(Duration.ofMinutes(30));
        assertThat(h.readOutcomes()).isEmpty();
        assertThat(h.allCalls()).as("nothing to ask Wix about").isEmpty();
    }

    @Test
    void aDomainAlreadyCompletedAtConfigurationConnectsWithoutACheck() {
        h = new WatcherHarness(SCHEDULE);
        h.configure("done.example.com", "r-1", 1, PropagationStatus.COMPLETED);
        h.advance(Duration.ofMinutes(1));
        assertThat(h.readOutcomes()).singleElement().isInstanceOf(DomainConnected.class);
        assertThat(h.allCalls()).isEmpty();
    }

    @Test
    void failedKeepsCheckingAtTheSlowCadenceForTheGracePeriodThenFails() {
        h = new WatcherHarness(SCHEDULE);
        h.wixAnswers((d, n) -> CheckResult.status(n == 1 ? PropagationStatus.IN_PROGRESS : PropagationStatus.FAILED));
        h.configure("broken.example.com", "r-1", 1);
        h.advance(Duration.ofSeconds(20 + 180 - 1));
        assertThat(h.readOutcomes()).as("still within the 3 min grace").isEmpty();
        assertThat(h.checkOffsets("broken.example.com")).containsExactly(s(5), s(20), s(80), s(140));

        h.advance(Duration.ofSeconds(1));
        DomainFailed failed = WatcherHarness.failed(h.readOutcomes().get(0));
        assertThat(failed.getReason()).isEqualTo(FailureReason.PROPAGATION_FAILED);
        assertThat(failed.getLastStatus()).isEqualTo(PropagationStatus.FAILED);
        assertThat(failed.getOccurredAt().toEpochMilli()).isEqualTo(T0.toEpochMilli() + s(200));
    }

    @Test
    void anOwnerWhoFixesDnsDuringTheFailedGraceStillGetsConnected() {
        h = new WatcherHarness(SCHEDULE);
        h.wixAnswers((d, n) -> CheckResult.status(n <= 2 ? PropagationStatus.FAILED : PropagationStatus.COMPLETED));
        h.configure("fixed.example.com", "r-1", 1);
        h.advance(Duration.ofMinutes(10));
        assertThat(h.readOutcomes()).singleElement().isInstanceOf(DomainConnected.class);
        assertThat(h.checkOffsets("fixed.example.com")).containsExactly(s(5), s(65), s(125));
    }

    @Test
    void recheckMovesTheNextCheckToNowAndResetsTheIntervalButNotTheDeadline() {
        h = new WatcherHarness(SCHEDULE);
        h.configure("owner.example.com", "r-1", 1);
        h.advance(Duration.ofSeconds(300));
        assertThat(h.checkOffsets("owner.example.com")).containsExactly(s(5), s(20), s(50), s(110), s(230));

        h.recheck("owner.example.com", null);
        h.advance(Duration.ofSeconds(20));
        assertThat(h.checkOffsets("owner.example.com")).as("checked at once, then 15 s later (fastest step)")
                .containsExactly(s(5), s(20), s(50), s(110), s(230), s(300) + 250, s(315) + 250);

        h.advance(Duration.ofSeconds(280));
        assertThat(h.readOutcomes()).as("the deadline did not move").singleElement()
                .satisfies(r -> assertThat(WatcherHarness.failed(r).getOccurredAt().toEpochMilli())
                        .isEqualTo(T0.toEpochMilli() + s(600)));
    }

    @Test
    void recheckForAnUnknownDomainOrAnotherRequestIsIgnoredAndCounted() {
        h = new WatcherHarness(SCHEDULE);
        h.configure("known.example.com", "r-1", 1);
        h.recheck("unknown.example.com", null);
        h.recheck("known.example.com", "r-other");
        h.advance(Duration.ofSeconds(4));

        assertThat(h.metrics.rechecksIgnored()).isEqualTo(2);
        assertThat(h.allCalls()).isEmpty();
        assertThat(h.watch("unknown.example.com")).isNull();
    }

    @Test
    void aNewerRequestSupersedesTheOlderWatchOnceAndStaleEventsAreDropped() {
        h = new WatcherHarness(SCHEDULE);
        h.configure("moving.example.com", "r-1", 1);
        h.advance(Duration.ofSeconds(10));
        h.configure("moving.example.com", "r-2", 2);

        List<SpecificRecord> outcomes = h.readOutcomes();
        assertThat(outcomes).hasSize(1);
        DomainFailed superseded = WatcherHarness.failed(outcomes.get(0));
        assertThat(superseded.getReason()).isEqualTo(FailureReason.SUPERSEDED);
        assertThat(superseded.getContext().getRequestId()).isEqualTo("r-1");
        assertThat(superseded.getContext().getGeneration()).isEqualTo(1);

        h.configure("moving.example.com", "r-1", 1); // stale redelivery of the old request
        h.configure("moving.example.com", "r-2", 2); // duplicate of the current one
        h.advance(Duration.ofSeconds(6));
        assertThat(h.readOutcomes()).isEmpty();
        assertThat(h.metrics.staleDropped()).isEqualTo(1);
        assertThat(h.watch("moving.example.com").getRequestId()).isEqualTo("r-2");
        assertThat(h.calls("moving.example.com")).extracting(WatcherHarness.Call::at)
                .containsExactly(T0.toEpochMilli() + s(5), T0.toEpochMilli() + s(15))
                .as("the new watch started its own schedule at 10 s");
        assertThat(h.indexSize()).as("one index entry per domain").isEqualTo(1);

        h.wixAnswers((d, n) -> CheckResult.status(PropagationStatus.COMPLETED));
        h.advance(Duration.ofSeconds(30));
        assertThat(h.readOutcomes()).singleElement().satisfies(r ->
                assertThat(((DomainConnected) r).getContext().getRequestId()).isEqualTo("r-2"));

        h.configure("moving.example.com", "r-2", 2);
        h.configure("moving.example.com", "r-1", 1);
        h.advance(Duration.ofMinutes(15));
        assertThat(h.readOutcomes()).as("events for finished requests start nothing").isEmpty();
        assertThat(h.indexSize()).isZero();
    }

    @Test
    void aDomainWixNoLongerKnowsFailsWithDomainNotFound() {
        h = new WatcherHarness(SCHEDULE);
        h.wixAnswers((d, n) -> new CheckResult.NotFound(404, "NOT_FOUND", "Domain name `gone.example.com` wasn't found."));
        h.configure("gone.example.com", "r-1", 1);
        h.advance(Duration.ofSeconds(6));
        DomainFailed failed = WatcherHarness.failed(h.readOutcomes().get(0));
        assertThat(failed.getReason()).isEqualTo(FailureReason.DOMAIN_NOT_FOUND);
        assertThat(failed.getWixHttpStatus()).isEqualTo(404);
        assertThat(failed.getWixErrorCode()).isEqualTo("NOT_FOUND");
    }

    @Test
    void aRetryableWixErrorReschedulesTheSameCheckHonouringRetryAfter() {
        h = new WatcherHarness(SCHEDULE);
        h.wixAnswers((d, n) -> switch (n) {
            case 1 -> new CheckResult.Retryable(503, "UNAVAILABLE", "", null);
            case 2 -> new CheckResult.Retryable(429, "RESOURCE_EXHAUSTED", "slow down", Duration.ofSeconds(30));
            default -> CheckResult.status(PropagationStatus.IN_PROGRESS);
        });
        h.configure("flaky.example.com", "r-1", 1);
        h.advance(Duration.ofSeconds(70));
        assertThat(h.checkOffsets("flaky.example.com"))
                .as("503: again after 10 s; 429: after Retry-After 30 s; then the schedule goes on from its first step")
                .containsExactly(s(5), s(15), s(45), s(60));
        assertThat(h.readOutcomes()).isEmpty();
    }

    @Test
    void underABacklogTheOldestDueChecksGoFirstAndNoneIsLost() {
        // 2 permits per second of test clock; 20 domains configured 1 s apart all come due within 20 s
        h = new WatcherHarness(SCHEDULE, 2, Duration.ofMillis(250));
        h.wixAnswers((d, n) -> CheckResult.status(PropagationStatus.COMPLETED));
        for (int i = 0; i < 20; i++) {
            h.configure(String.format("d%02d.example.com", i), "r-" + i, 1);
            h.advance(Duration.ofMillis(100));
        }
        // everything is due at 5..7 s; 2 permits a second drain the backlog in ~10 s
        h.advance(Duration.ofSeconds(30));

        // checks of one scan run concurrently: order them by scan time, then due time
        List<WatcherHarness.Call> calls = h.allCalls().stream()
                .sorted(java.util.Comparator.comparingLong(WatcherHarness.Call::at).thenComparingLong(WatcherHarness.Call::dueAt))
                .toList();
        assertThat(calls).hasSize(20);
        assertThat(calls).as("a later scan never serves an older due time").extracting(WatcherHarness.Call::dueAt).isSorted();
        assertThat(calls).allSatisfy(c -> assertThat(c.at()).isGreaterThanOrEqualTo(c.dueAt()));
        assertThat(calls.stream().collect(java.util.stream.Collectors.groupingBy(c -> c.at() / 1000,
                java.util.stream.Collectors.counting())).values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(2));
        assertThat(h.readOutcomes()).hasSize(20);
        assertThat(h.metrics.throttledScans()).isPositive();
    }

    @Test
    void acrossTheTasksOfAnInstanceAnAccountsPermitsGoToTheOldestDueChecksFirst() {
        // two tasks of one instance share one account's 2 permits a second; task A scans first in every round
        PermitOrder order = new PermitOrder(Duration.ofMillis(250));
        WatcherHarness[] tasks = new WatcherHarness[2];
        long[] second = {-1};
        int[] used = {0};
        CheckPermits twoPerSecond = account -> {
            long now = tasks[0].clock.get() / 1000;
            if (now != second[0]) {
                second[0] = now;
                used[0] = 0;
            }
            return ++used[0] <= 2;
        };
        var direct = com.google.common.util.concurrent.MoreExecutors.newDirectExecutorService();
        tasks[0] = new WatcherHarness(SCHEDULE, 0, Duration.ofMillis(250), direct, 5_000, twoPerSecond, order);
        h = tasks[0];
        try (WatcherHarness b = new WatcherHarness(SCHEDULE, 0, Duration.ofMillis(250), direct, 5_000, twoPerSecond, order)) {
            tasks[1] = b;
            WatcherHarness a = tasks[0];
            a.wixAnswers((d, n) -> CheckResult.status(PropagationStatus.COMPLETED));
            b.wixAnswers((d, n) -> CheckResult.status(PropagationStatus.COMPLETED));
            for (int i = 0; i < 10; i++) {
                b.configure(String.format("b%02d.example.com", i), "b-" + i, 1);   // due at 5 s
            }
            WatcherHarness.advanceTogether(Duration.ofSeconds(2), a, b);
            for (int i = 0; i < 10; i++) {
                a.configure(String.format("a%02d.example.com", i), "a-" + i, 1);   // due at 7 s: younger
            }
            WatcherHarness.advanceTogether(Duration.ofSeconds(20), a, b);

            List<WatcherHarness.Call> aCalls = a.allCalls();
            List<WatcherHarness.Call> bCalls = b.allCalls();
            assertThat(aCalls).hasSize(10);
            assertThat(bCalls).hasSize(10);
            assertThat(bCalls.stream().mapToLong(WatcherHarness.Call::at).max().getAsLong())
                    .as("the older checks of the task that scans second all went before the younger ones of the first")
                    .isLessThan(aCalls.stream().mapToLong(WatcherHarness.Call::at).min().getAsLong());
            List<WatcherHarness.Call> all = new java.util.ArrayList<>(aCalls);
            all.addAll(bCalls);
            assertThat(all.stream().collect(java.util.stream.Collectors.groupingBy(c -> c.at() / 1000,
                    java.util.stream.Collectors.counting())).values()).as("the budget held").allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(2));
            assertThat(a.readOutcomes()).hasSize(10);
            assertThat(b.readOutcomes()).hasSize(10);
            assertThat(order.mayTake("11111111-2222-3333-4444-555555555555", Long.MAX_VALUE, new Object(), a.clock.get()))
                    .as("no claim left behind: a newcomer's youngest check may take a permit").isTrue();
        }
    }

    @Test
    void deadlinesEndOnTimeEvenWhenTheDueChecksInFrontOfThemWaitForPermits() {
        // one account, 1 permit a second, a check every 5 s for 60 domains: a backlog of due checks far longer than
        // one scan examines (scan.max.entries = 10). Five of the watches were configured 30 s before the watcher read
        // them, so their deadline comes first, while their due checks sort behind the backlog: it must not wait for it.
        Schedule tight = new Schedule(Duration.ofSeconds(5), Duration.ofSeconds(5), 1.0, Duration.ofSeconds(5), 0.0,
                Duration.ofSeconds(60), Duration.ofMinutes(3), Duration.ofMinutes(1), Duration.ofSeconds(10));
        h = new WatcherHarness(tight, 1, Duration.ofMillis(250), com.google.common.util.concurrent.MoreExecutors.newDirectExecutorService(), 10);
        for (int i = 0; i < 60; i++) {
            h.configure(String.format("a%02d.example.com", i), "r-" + i, 1);
        }
        for (int i = 0; i < 5; i++) {
            h.configureReadLate(String.format("z%02d.example.com", i), "z-" + i, T0.minusSeconds(30));
        }
        h.advance(Duration.ofSeconds(31));

        List<DomainFailed> early = h.readOutcomes().stream().map(WatcherHarness::failed).toList();
        assertThat(early).extracting(f -> f.getContext().getDomain())
                .containsExactlyInAnyOrder("z00.example.com", "z01.example.com", "z02.example.com", "z03.example.com", "z04.example.com");
        assertThat(early).allSatisfy(f -> {
            assertThat(f.getReason()).isEqualTo(FailureReason.PROPAGATION_TIMEOUT);
            assertThat(f.getOccurredAt().toEpochMilli() - T0.toEpochMilli()).as("ended at the deadline, in the first scan after it")
                    .isBetween(s(30), s(30) + 250);
        });

        h.advance(Duration.ofSeconds(35));
        assertThat(h.readOutcomes()).hasSize(60).allSatisfy(o -> assertThat(WatcherHarness.failed(o).getReason())
                .isEqualTo(FailureReason.PROPAGATION_TIMEOUT));
        assertThat(h.allCalls()).as("the rate limit held while the deadlines came").hasSizeLessThanOrEqualTo(66);
        assertThat(h.indexSize()).isZero();
        assertThat(h.deadlineIndexSize()).isZero();
        assertThat(h.metrics.pendingWatches()).isZero();
    }

    @Test
    void theDeadlineCountsFromTheConfigurationNotFromWhenTheWatcherReadIt() {
        h = new WatcherHarness(SCHEDULE);
        // the connector configured the domain 30 s ago; the watcher reads it only now (a restart, a consumer lag)
        h.configureReadLate("late.example.com", "r-1", T0.minusSeconds(30));
        h.advance(Duration.ofMinutes(9).plusSeconds(29));
        assertThat(h.readOutcomes()).isEmpty();
        assertThat(h.checkOffsets("late.example.com")).as("the schedule counts from when the watch started")
                .startsWith(s(5), s(20), s(50));

        h.advance(Duration.ofSeconds(1));
        List<SpecificRecord> outcomes = h.readOutcomes();
        assertThat(outcomes).hasSize(1);
        assertThat(WatcherHarness.failed(outcomes.get(0)).getReason()).isEqualTo(FailureReason.PROPAGATION_TIMEOUT);
        assertThat(WatcherHarness.failed(outcomes.get(0)).getOccurredAt()).isEqualTo(T0.minusSeconds(30).plus(Duration.ofMinutes(10)));
    }

    @Test
    void aWatchReadAfterItsDeadlinePassedIsStillCheckedForOneMaxIntervalBeforeItGivesUp() {
        h = new WatcherHarness(SCHEDULE);
        h.configureReadLate("done-meanwhile.example.com", "r-1", T0.minus(Duration.ofHours(1)));
        h.configureReadLate("never.example.com", "r-2", T0.minus(Duration.ofHours(1)));
        h.wixAnswers((d, n) -> CheckResult.status(d.startsWith("done") && n >= 2 ? PropagationStatus.COMPLETED : PropagationStatus.IN_PROGRESS));
        h.advance(Duration.ofMinutes(3));

        List<SpecificRecord> outcomes = h.readOutcomes();
        assertThat(outcomes).hasSize(2);
        assertThat(outcomes.get(0)).isInstanceOf(DomainConnected.class);
        assertThat(((DomainConnected) outcomes.get(0)).getContext().getRequestId()).isEqualTo("r-1");
        DomainFailed never = WatcherHarness.failed(outcomes.get(1));
        assertThat(never.getReason()).isEqualTo(FailureReason.PROPAGATION_TIMEOUT);
        assertThat(never.getOccurredAt()).as("one max interval (2 min) after the watch started").isEqualTo(T0.plus(Duration.ofMinutes(2)));
        assertThat(h.checkOffsets("never.example.com")).containsExactly(s(5), s(20), s(50), s(110));
    }

    @Test
    void theStreamThreadNeverWaitsForWixAndAHungCheckIsAbandonedAfterTheTimeout() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        java.util.concurrent.CountDownLatch wixHangs = new java.util.concurrent.CountDownLatch(1);
        try {
            h = new WatcherHarness(SCHEDULE, 0, Duration.ofMillis(250), pool);
            h.wixAnswers((d, n) -> {
                if (d.startsWith("hung") && n == 1) {
                    try {
                        wixHangs.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return CheckResult.status(PropagationStatus.COMPLETED);
            });
            h.configure("hung.example.com", "r-1", 1);
            h.configure("other.example.com", "r-2", 1);
            long t = System.nanoTime();
            h.advance(Duration.ofSeconds(9));
            assertThat(Duration.ofNanos(System.nanoTime() - t)).as("scans went on while the check hung").isLessThan(Duration.ofSeconds(5));
            // the other domain's answer was applied by a later scan although the hung check never returned
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                h.advance(Duration.ofMillis(250));
                assertThat(h.outcomes.readValuesToList()).singleElement().satisfies(r ->
                        assertThat(((DomainConnected) r).getContext().getDomain()).isEqualTo("other.example.com"));
            });
            // (with a real pool the fake records its own clock reading late, so compare the due times it served)
            assertThat(h.calls("hung.example.com")).as("no second check while the first runs")
                    .extracting(c -> c.dueAt() - T0.toEpochMilli()).containsExactly(s(5));

            // after check.timeout.ms (5 s in the harness) the check counts as a retryable failure: again 10 s after it started
            h.advance(Duration.ofSeconds(5));
            assertThat(h.metrics.snapshot()).containsEntry("checks.timeouts", 1L);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                h.advance(Duration.ofMillis(250));
                assertThat(h.outcomes.readValuesToList()).singleElement().isInstanceOf(DomainConnected.class);
            });
            assertThat(h.calls("hung.example.com")).extracting(c -> c.dueAt() - T0.toEpochMilli()).containsExactly(s(5), s(15));
        } finally {
            wixHangs.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void aPoisonRecordGoesToTheDeadLetterTopicAndTheNextRecordIsProcessed() {
        h = new WatcherHarness(SCHEDULE);
        h.rawConfigured.pipeInput("bad.example.com".getBytes(StandardCharsets.UTF_8), new byte[] {0x42, 1, 2, 3});
        h.configure("good.example.com", "r-1", 1);
        h.advance(Duration.ofSeconds(6));

        TestRecord<byte[], byte[]> dead = h.deadLetters.readRecord();
        assertThat(dead.value()).containsExactly(0x42, 1, 2, 3);
        Headers headers = dead.headers();
        assertThat(DeadLetters.header(headers, DeadLetters.SOURCE_TOPIC)).isEqualTo("domains.configured");
        assertThat(DeadLetters.header(headers, DeadLetters.STAGE)).isEqualTo("propagation-watcher");
        assertThat(h.checkOffsets("good.example.com")).containsExactly(s(5));
    }

    static String traceId(org.apache.kafka.streams.test.TestRecord<String, ?> r) {
        return io.domainlink.common.tracing.TraceContext.from(r.headers()).orElseThrow().traceId();
    }

    @Test
    void progressAndOutcomeCarryTheTraceOfTheirOwnRequestEvenWhenASupersededWatchEndsLater() {
        h = new WatcherHarness(SCHEDULE);
        h.wixAnswers((d, n) -> CheckResult.status(n < 2 ? PropagationStatus.IN_PROGRESS : PropagationStatus.COMPLETED));
        h.configureTraced("traced.example.com", "r-old", 1, "00-11111111111111111111111111111111-1111111111111111-01");
        h.advance(Duration.ofSeconds(6));
        h.configureTraced("traced.example.com", "r-new", 2, "00-22222222222222222222222222222222-2222222222222222-01");
        h.advance(Duration.ofMinutes(5));

        var progress = h.progress.readRecordsToList();
        assertThat(progress).isNotEmpty().allSatisfy(r ->
                assertThat(traceId(r)).as("progress of %s", r.value().getContext().getRequestId())
                        .isEqualTo(r.value().getContext().getRequestId().equals("r-old") ? "1".repeat(32) : "2".repeat(32)));
        var outcomes = h.outcomes.readRecordsToList();
        assertThat(outcomes).hasSize(2);
        assertThat(traceId(outcomes.get(0))).as("SUPERSEDED outcome of r-old").isEqualTo("1".repeat(32));
        assertThat(traceId(outcomes.get(1))).as("DomainConnected of r-new").isEqualTo("2".repeat(32));
        assertThat(io.domainlink.common.tracing.TraceContext.from(outcomes.get(1).headers()).orElseThrow().spanId())
                .as("the watcher's own span").isNotEqualTo("2".repeat(16));
    }

    @Test
    void aWatchStateWrittenBeforeTracesWereKeptIsStillRead() {
        io.domainlink.watcher.state.WatchState w = io.domainlink.watcher.state.WatchState.newBuilder()
                .setRequestId("r-1").setDomain("old.example.com").setAccountId("a").setSiteId("s").setActive(true)
                .setRequestedAt(1).setConfiguredAt(2).setDeadlineAt(3).setNextCheckAt(4).setDueAt(4).build();
        byte[] v1 = WatchStateSerde.encode(w);
        // the same bytes as the previous build wrote them: format byte 1, no traceparent field at the end
        v1 = java.util.Arrays.copyOf(v1, v1.length - 1);
        v1[0] = WatchStateSerde.V1;
        io.domainlink.watcher.state.WatchState read = WatchStateSerde.decode(v1);
        assertThat(read.getRequestId()).isEqualTo("r-1");
        assertThat(read.getDueAt()).isEqualTo(4);
        assertThat(read.getTraceparent()).isNull();
    }
}
