package io.domainlink.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.domainlink.events.FailureReason;
import io.domainlink.events.Flow;
import io.domainlink.events.Stage;

class OutcomeStatsTest {

    static final Instant T0 = Instant.parse("2026-11-27T00:00:00Z");

    @Test
    void percentilesAreNearestRankOverConnectionsInTheWindowOnly() {
        OutcomeStats stats = new OutcomeStats(T0, T0.plusSeconds(3600));
        for (int i = 1; i <= 100; i++) {
            Instant done = T0.plusSeconds(i * 10L);
            stats.connected(Events.connected(Events.context("r" + i, "d" + i + ".com", Flow.POINTING, 1), done.minusMillis(i * 1000L), done, 1));
        }
        stats.connected(Events.connected(Events.context("late", "late.com", Flow.POINTING, 1), T0, T0.plusSeconds(3600), 1));
        stats.failed(Events.failed(Events.context("f", "f.com", Flow.SUBDOMAIN, 1), FailureReason.WIX_REJECTED, Stage.CONNECTOR, T0.plusSeconds(5)));

        assertThat(stats.connected(Flow.POINTING)).isEqualTo(100);
        assertThat(stats.failed(Flow.SUBDOMAIN, FailureReason.WIX_REJECTED)).isEqualTo(1);
        assertThat(stats.percentile(50)).isBetween(50_000L, 50_050L);
        assertThat(stats.percentile(90)).isBetween(90_000L, 90_090L);
        assertThat(stats.percentile(100)).isBetween(100_000L, 100_100L);
    }

    @Test
    void timesAcceptInstantsDatesAndDurationsAgo() {
        java.time.Clock clock = java.time.Clock.fixed(T0, java.time.ZoneOffset.UTC);
        assertThat(Times.parse("2026-11-20T10:00:00Z", clock)).isEqualTo(Instant.parse("2026-11-20T10:00:00Z"));
        assertThat(Times.parse("2026-11-20", clock)).isEqualTo(Instant.parse("2026-11-20T00:00:00Z"));
        assertThat(Times.parse("24h", clock)).isEqualTo(T0.minusSeconds(86_400));
        assertThat(Times.parse("PT90M", clock)).isEqualTo(T0.minusSeconds(5_400));
        assertThat(Times.parse("now", clock)).isEqualTo(T0);
    }
}
