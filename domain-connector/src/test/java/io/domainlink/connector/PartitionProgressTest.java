package io.domainlink.connector;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PartitionProgressTest {

    final PartitionProgress<String> p = new PartitionProgress<>();

    @Test
    void commitsOnlyUpToTheLowestOffsetNotYetCompleted() {
        p.dispatched(10, 10);
        p.dispatched(11, 11);
        p.dispatched(13, 13); // offsets may have gaps (transaction markers)
        p.completed(11, "b");
        p.completed(13, "c");

        assertThat(p.releasable()).isNull();
        assertThat(p.inFlight()).isEqualTo(1);

        p.completed(10, "a");
        PartitionProgress.Release<String> r = p.releasable();
        assertThat(r.results()).containsExactly("a", "b", "c");
        assertThat(r.nextOffset()).isEqualTo(14);
    }

    @Test
    void releasesTheCompletedPrefixAndHoldsResultsBehindAnUnfinishedRecord() {
        p.dispatched(0, 0);
        p.dispatched(1, 1);
        p.dispatched(2, 2);
        p.completed(0, "a");
        p.completed(2, "c");

        PartitionProgress.Release<String> r = p.releasable();
        assertThat(r.results()).containsExactly("a");
        assertThat(r.nextOffset()).isEqualTo(1);
        p.released(r);

        assertThat(p.base()).isEqualTo(1);
        assertThat(p.uncommitted()).isEqualTo(2);
        assertThat(p.releasable()).isNull();
    }

    @Test
    void theOldestUncommittedRecordIsTheLowestOffsetUntilItsReleaseIsCommitted() {
        assertThat(p.oldestDispatchedNanos()).isEmpty();
        p.dispatched(7, 1_000);
        p.dispatched(8, 2_000);
        p.completed(8, "b");
        assertThat(p.oldestDispatchedNanos()).hasValue(1_000); // 8 is done but held behind 7

        p.completed(7, "a");
        assertThat(p.oldestDispatchedNanos()).hasValue(1_000); // completed, not yet committed
        p.released(p.releasable());
        assertThat(p.oldestDispatchedNanos()).isEmpty();
    }

    @Test
    void afterClearLateCompletionsAreIgnoredAndTheBaseIsWhereToSeek() {
        p.dispatched(5, 5);
        p.dispatched(6, 6);
        p.completed(5, "a");
        p.released(p.releasable());
        p.clear();

        assertThat(p.completed(6, "late")).isFalse();
        assertThat(p.base()).isEqualTo(6);
        assertThat(p.inFlight()).isZero();
        assertThat(p.releasable()).isNull();
    }
}
