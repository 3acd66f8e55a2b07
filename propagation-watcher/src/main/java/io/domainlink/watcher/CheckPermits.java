package io.domainlink.watcher;

import io.domainlink.wix.WixRateLimiter;

/**
 * Where a scan gets the permit for one check, without waiting. In the service this is the instance's shared
 * {@link WixRateLimiter#tryAcquire}; tests substitute a budget that follows the test's clock.
 */
@FunctionalInterface
public interface CheckPermits {

    /** Takes one permit for {@code accountId} if one is available now. */
    boolean tryAcquire(String accountId);

    static CheckPermits of(WixRateLimiter limiter) {
        return limiter::tryAcquire;
    }
}
