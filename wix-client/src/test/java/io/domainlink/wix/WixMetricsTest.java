package io.domainlink.wix;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class WixMetricsTest {

    @Test
    void countsEachAttemptByEndpointAndStatusWithItsLatencyRetriesAndRateLimiterWait() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        WixMetrics metrics = new WixMetrics(registry);
        metrics.onCall(new WixCallEvent(WixEndpoint.CREATE_CONNECTED_DOMAIN, "acc", 503, "UNAVAILABLE", Duration.ofMillis(40), 1, Duration.ofMillis(5)));
        metrics.onCall(new WixCallEvent(WixEndpoint.CREATE_CONNECTED_DOMAIN, "acc", 200, null, Duration.ofMillis(60), 2, Duration.ofMillis(15)));
        metrics.onCall(new WixCallEvent(WixEndpoint.CREATE_CONNECTED_DOMAIN, "acc", 0, "IO", Duration.ofMillis(10), 3, Duration.ZERO));

        String endpoint = WixEndpoint.CREATE_CONNECTED_DOMAIN.metricName();
        assertThat(registry.get(WixMetrics.CALLS).tags("endpoint", endpoint, "status", "503").timer().count()).isEqualTo(1);
        assertThat(registry.get(WixMetrics.CALLS).tags("endpoint", endpoint, "status", "200").timer().totalTime(TimeUnit.MILLISECONDS))
                .isEqualTo(60.0);
        assertThat(registry.get(WixMetrics.CALLS).tags("endpoint", endpoint, "status", "IO_ERROR").timer().count()).isEqualTo(1);
        assertThat(registry.get(WixMetrics.RETRIES).tag("endpoint", endpoint).counter().count()).isEqualTo(2);
        assertThat(registry.get(WixMetrics.RETRIES).tag("endpoint", WixEndpoint.GET_CONNECTED_DOMAIN.metricName()).counter().count())
                .as("series exists before any call").isZero();
        assertThat(registry.get(WixMetrics.RATE_LIMITER_WAIT).timer().count()).isEqualTo(3);
        assertThat(registry.get(WixMetrics.RATE_LIMITER_WAIT).timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(20.0);
        assertThat(registry.find(WixMetrics.CALLS).meters()).allSatisfy(m ->
                assertThat(m.getId().getTags()).extracting(t -> t.getKey()).containsExactlyInAnyOrder("endpoint", "status"));
    }
}
