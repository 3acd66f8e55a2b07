package io.domainlink.watcher;

/**
 * One Get Connected Domain check. The watcher has already taken the rate-limiter permit for the account; an
 * implementation makes exactly one Wix call (no inline retries: the watcher reschedules) and classifies the answer.
 * Called concurrently from the check executor; must not throw (a bug surfaces as {@link CheckResult.Retryable}).
 */
@FunctionalInterface
public interface PropagationChecker {

    CheckResult check(CheckRequest request);

    /**
     * @param dueAt when the check became due (wall clock, ms): checks never start before it
     */
    record CheckRequest(String domain, String accountId, String requestId, long dueAt) {
    }
}
