package io.domainlink.watcher;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Oldest due first for each Wix account across the tasks of one instance. The tasks scan one after the other and
 * share each account's permits ({@link CheckPermits}); on their own, a task that scans early in every round would take
 * an account's permits for its younger checks while an older check of a task that scans later waits. So a task that
 * is refused a permit leaves its oldest waiting due time here ({@link #waiting}), and another task takes a permit for
 * the account only for a check at least as old ({@link #mayTake}): within about one scan the account's permits go to
 * the oldest due checks of the whole instance.
 *
 * <p>A claim lasts while its task keeps being refused: the task releases it when it takes a permit for the account
 * ({@link #served}), when a scan of it no longer waits for the account ({@link #release}), and when it closes; a claim
 * not renewed for three scan intervals (a task that stopped scanning) is ignored. Thread-safe (tasks may run on
 * several stream threads); the check-and-take is not atomic, which can only cost order for a moment, never a permit.
 */
final class PermitOrder {

    private record Claim(long dueAt, Object task, long seenAt) {
    }

    private final ConcurrentHashMap<String, Claim> oldestWaiting = new ConcurrentHashMap<>();
    private final long staleAfterMs;

    PermitOrder(Duration scanInterval) {
        this.staleAfterMs = 3 * Math.max(1, scanInterval.toMillis());
    }

    /** Whether {@code task} may ask for a permit for its check of {@code account} due at {@code dueAt}. */
    boolean mayTake(String account, long dueAt, Object task, long now) {
        Claim c = oldestWaiting.get(account);
        return c == null || c.task() == task || c.dueAt() >= dueAt || now - c.seenAt() > staleAfterMs;
    }

    /** {@code task} could not start its check of {@code account} due at {@code dueAt} (its oldest for the account). */
    void waiting(String account, long dueAt, Object task, long now) {
        oldestWaiting.compute(account, (a, c) -> c == null || c.task() == task || dueAt < c.dueAt()
                || now - c.seenAt() > staleAfterMs ? new Claim(dueAt, task, now) : c);
    }

    /** {@code task} took a permit for {@code account}: its claim, if it held one, is served. */
    void served(String account, Object task) {
        oldestWaiting.computeIfPresent(account, (a, c) -> c.task() == task ? null : c);
    }

    /** Drops {@code task}'s claim on {@code account} unless it was renewed at {@code now}. */
    void release(String account, Object task, long now) {
        oldestWaiting.computeIfPresent(account, (a, c) -> c.task() == task && c.seenAt() != now ? null : c);
    }
}
