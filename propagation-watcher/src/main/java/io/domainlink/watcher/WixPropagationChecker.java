package io.domainlink.watcher;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.domainlink.events.PropagationStatus;
import io.domainlink.wix.ConnectedDomain;
import io.domainlink.wix.RetryPolicy;
import io.domainlink.wix.WixApiException;
import io.domainlink.wix.WixClient;

/**
 * The real checker: one {@code GET /domains/v1/connected-domains/{domain}} through {@link WixClient} with
 * {@link RetryPolicy#none()} (the watcher reschedules retryable failures itself).
 *
 * <p>The client must be built with {@code WixRateLimiter.unlimited()}: the watcher takes the permit from the
 * instance's shared limiter before it calls {@link #check}, without blocking, so a check spends exactly one permit.
 */
public final class WixPropagationChecker implements PropagationChecker {

    private static final Logger log = LoggerFactory.getLogger(WixPropagationChecker.class);

    private final WixClient client;

    public WixPropagationChecker(WixClient client) {
        this.client = client.withRetryPolicy(RetryPolicy.none());
    }

    @Override
    public CheckResult check(CheckRequest request) {
        try {
            ConnectedDomain d = client.getConnectedDomain(request.accountId(), request.domain());
            return new CheckResult.Status(toEvent(d.dnsPropagationStatus()));
        } catch (WixApiException e) {
            if (e.isNotFound()) {
                return new CheckResult.NotFound(e.httpStatus(), e.wixCode(), e.wixMessage());
            }
            if (e.retryable()) {
                return new CheckResult.Retryable(e.httpStatus(), e.wixCode(), e.wixMessage(), e.retryAfter().orElse(null));
            }
            return new CheckResult.Rejected(e.httpStatus(), e.wixCode(), e.wixMessage());
        } catch (RuntimeException e) {
            log.warn("check failed unexpectedly domain={} requestId={} error={}", request.domain(), request.requestId(),
                    e.toString());
            return new CheckResult.Retryable(0, "CHECK_ERROR", e.getClass().getSimpleName(), null);
        }
    }

    static PropagationStatus toEvent(io.domainlink.wix.DnsPropagationStatus status) {
        if (status == null) {
            return PropagationStatus.UNKNOWN_DNS_PROPAGATION_STATUS;
        }
        return switch (status) {
            case COMPLETED -> PropagationStatus.COMPLETED;
            case FAILED -> PropagationStatus.FAILED;
            case IN_PROGRESS -> PropagationStatus.IN_PROGRESS;
            case UNKNOWN_DNS_PROPAGATION_STATUS -> PropagationStatus.UNKNOWN_DNS_PROPAGATION_STATUS;
        };
    }
}
