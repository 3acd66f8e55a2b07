package io.domainlink.wix;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Micrometer metrics of every Wix HTTP attempt, as a {@link WixCallListener}; one per service, shared by all its
 * clients. Names are the same in every service (Prometheus names in brackets):
 * <ul>
 *   <li>{@value #CALLS} {@code {endpoint, status}} timer with a percentile histogram — status is the HTTP status, or
 *       {@code IO_ERROR} when no response arrived [{@code domainlink_wix_calls_seconds_bucket/_count/_sum}];</li>
 *   <li>{@value #RETRIES} {@code {endpoint}}: attempts after the first [{@code domainlink_wix_retries_total}];</li>
 *   <li>{@value #RATE_LIMITER_WAIT}: how long each attempt waited for a rate-limiter permit
 *       [{@code domainlink_wix_ratelimiter_wait_seconds_*}].</li>
 * </ul>
 * Only the endpoint name and the status are used as tags: never the account, the domain or anything from a body.
 */
public final class WixMetrics implements WixCallListener {

    public static final String CALLS = "domainlink.wix.calls";
    public static final String RETRIES = "domainlink.wix.retries";
    public static final String RATE_LIMITER_WAIT = "domainlink.wix.ratelimiter.wait";

    private final MeterRegistry registry;
    private final Timer rateLimiterWait;

    public WixMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.rateLimiterWait = Timer.builder(RATE_LIMITER_WAIT)
                .description("time a Wix call waited for a permit of the instance's rate limiter")
                .publishPercentileHistogram()
                .register(registry);
        for (WixEndpoint e : WixEndpoint.values()) {
            retries(e); // every endpoint's series exists from the start, at 0
        }
    }

    @Override
    public void onCall(WixCallEvent event) {
        Timer.builder(CALLS)
                .description("Wix HTTP attempts by endpoint and HTTP status (IO_ERROR: no response), with their latency")
                .tag("endpoint", event.endpoint().metricName())
                .tag("status", event.httpStatus() == 0 ? "IO_ERROR" : Integer.toString(event.httpStatus()))
                .publishPercentileHistogram()
                .register(registry)
                .record(event.duration());
        if (event.attempt() > 1) {
            retries(event.endpoint()).increment();
        }
        rateLimiterWait(event.rateLimiterWait());
    }

    /** For a caller that takes permits itself (the watcher): one wait. */
    public void rateLimiterWait(Duration waited) {
        rateLimiterWait.record(waited == null ? Duration.ZERO : waited);
    }

    private Counter retries(WixEndpoint endpoint) {
        return Counter.builder(RETRIES).description("Wix HTTP attempts after the first (retries), by endpoint")
                .tag("endpoint", endpoint.metricName()).register(registry);
    }
}
