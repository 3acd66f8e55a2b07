package io.domainlink.watcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class ScheduleTest {

    @Test
    void theDefaultScheduleChecksAfterFiveSecondsThenDoublesFromFifteenSecondsUpToFifteenMinutes() {
        List<Schedule.Row> rows = Schedule.defaults().nominalChecks();
        assertThat(rows).extracting(r -> r.at().toSeconds()).startsWith(5L, 20L, 50L, 110L, 230L, 470L, 950L, 1850L, 2750L, 3650L);
        assertThat(rows.get(7).sincePrevious()).isEqualTo(Duration.ofMinutes(15));
        assertThat(rows.get(rows.size() - 1).at()).isLessThan(Duration.ofHours(72));
        assertThat(rows).as("every 15 min for the rest of 72 h").hasSize(7 + (int) ((72 * 3600 - 1850 - 1) / 900) + 1);
    }

    @Test
    void intervalsGrowByTheFactorUntilTheCap() {
        Schedule s = Schedule.defaults();
        assertThat(s.intervalMs(0)).isEqualTo(15_000);
        assertThat(s.intervalMs(1)).isEqualTo(30_000);
        assertThat(s.intervalMs(5)).isEqualTo(480_000);
        assertThat(s.intervalMs(6)).isEqualTo(900_000);
        assertThat(s.intervalMs(Integer.MAX_VALUE / 2)).isEqualTo(900_000);
    }

    @Test
    void jitterStaysWithinPlusMinusTheConfiguredShareAndSpreadsChecks() {
        Schedule s = Schedule.defaults();
        SplittableRandom random = new SplittableRandom(7);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 10_000; i++) {
            long d = s.nextCheckAt(0, 0, random);
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertThat(min).isGreaterThanOrEqualTo(13_500).isLessThan(13_700);
        assertThat(max).isLessThanOrEqualTo(16_500).isGreaterThan(16_300);
        assertThat(s.earliest(15_000)).isEqualTo(13_500);
    }

    @Test
    void retryWaitsForRetryAfterWhenItIsLongerThanTheRetryDelay() {
        Schedule s = Schedule.defaults();
        assertThat(s.retryAt(1_000, Duration.ofSeconds(60), new SplittableRandom(1))).isEqualTo(61_000);
        assertThat(s.retryAt(1_000, null, new SplittableRandom(1))).isBetween(10_000L, 12_000L);
    }

    @Test
    void aCapBelowTheInitialIntervalIsRejected() {
        assertThatThrownBy(() -> new Schedule(Duration.ZERO, Duration.ofMinutes(1), 2, Duration.ofSeconds(1), 0,
                Duration.ofHours(1), Duration.ZERO, Duration.ofMinutes(1), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxInterval");
    }
}
