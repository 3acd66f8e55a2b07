package io.domainlink.watcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class PermitOrderTest {

    private final PermitOrder order = new PermitOrder(Duration.ofMillis(250));
    private final Object a = new Object();
    private final Object b = new Object();

    @Test
    void aTaskWaitingWithAnOlderCheckHoldsBackOnlyYoungerChecksOfOtherTasks() {
        order.waiting("acc", 1_000, b, 10_000);

        assertThat(order.mayTake("acc", 2_000, a, 10_000)).as("younger, another task").isFalse();
        assertThat(order.mayTake("acc", 1_000, a, 10_000)).as("as old").isTrue();
        assertThat(order.mayTake("acc", 500, a, 10_000)).as("older").isTrue();
        assertThat(order.mayTake("acc", 2_000, b, 10_000)).as("the waiting task itself").isTrue();
        assertThat(order.mayTake("other", 2_000, a, 10_000)).as("another account").isTrue();
    }

    @Test
    void theOldestWaitingCheckOfTheInstanceKeepsTheClaim() {
        order.waiting("acc", 1_000, b, 10_000);
        order.waiting("acc", 3_000, a, 10_000);   // younger: b keeps it
        assertThat(order.mayTake("acc", 2_000, a, 10_250)).isFalse();

        order.waiting("acc", 400, a, 10_250);     // older: a takes it over
        assertThat(order.mayTake("acc", 1_000, b, 10_250)).isFalse();
        assertThat(order.mayTake("acc", 300, b, 10_250)).isTrue();
    }

    @Test
    void aClaimEndsWhenServedReleasedOrNotRenewedForThreeScans() {
        order.waiting("acc", 1_000, b, 10_000);
        order.served("acc", a);                    // another task's permit does not end b's claim
        assertThat(order.mayTake("acc", 2_000, a, 10_000)).isFalse();
        order.served("acc", b);
        assertThat(order.mayTake("acc", 2_000, a, 10_000)).isTrue();

        order.waiting("acc", 1_000, b, 10_000);
        order.release("acc", b, 10_000);           // renewed in this scan: kept
        assertThat(order.mayTake("acc", 2_000, a, 10_000)).isFalse();
        order.release("acc", b, 10_250);           // the next scan did not renew it
        assertThat(order.mayTake("acc", 2_000, a, 10_250)).isTrue();

        order.waiting("acc", 1_000, b, 10_000);   // b stopped scanning (moved away, stalled)
        assertThat(order.mayTake("acc", 2_000, a, 10_750)).isFalse();
        assertThat(order.mayTake("acc", 2_000, a, 10_751)).isTrue();
    }
}
