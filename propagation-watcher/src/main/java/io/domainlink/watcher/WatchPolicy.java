package io.domainlink.watcher;

import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

import org.apache.avro.specific.SpecificRecord;

import io.domainlink.events.ConnectionConfigured;
import io.domainlink.events.DomainConnected;
import io.domainlink.events.DomainFailed;
import io.domainlink.events.FailureReason;
import io.domainlink.events.Flow;
import io.domainlink.events.PropagationProgress;
import io.domainlink.events.PropagationStatus;
import io.domainlink.events.RecheckRequested;
import io.domainlink.events.RequestContext;
import io.domainlink.events.Stage;
import io.domainlink.watcher.state.WatchState;

/**
 * What a watch does on each input, with no Kafka types: a pure function from (current state, input, now) to
 * (next state, events to publish). The processor stores the state, keeps the due-index in step with
 * {@link WatchState#getDueAt()} and forwards the events.
 *
 * <p>Rules (also in the README):
 * <ul>
 *   <li>A {@code ConnectionConfigured} starts a watch unless the domain has seen a higher generation, or the same
 *   generation (a duplicate or a stale event): those are dropped. A higher generation supersedes an active older
 *   watch, which ends once with {@code DomainFailed(SUPERSEDED)}.</li>
 *   <li>{@code COMPLETED} ends the watch with {@code DomainConnected}. {@code FAILED} starts (or continues) the
 *   grace period: checks every {@code failedInterval}; when the grace ends while the last answer is still FAILED,
 *   {@code DomainFailed(PROPAGATION_FAILED)}. Any other status ends the grace period.</li>
 *   <li>The deadline ends the watch with {@code DomainFailed(PROPAGATION_TIMEOUT)} and the last seen status. It
 *   counts from the configuration (the event's {@code occurredAt}, or when the watcher read it if that is earlier), so
 *   a watcher that reads late does not stretch it; but it is never less than one {@code maxInterval} after the watch
 *   starts, so a watch read after a watcher outage longer than the deadline is still checked before it gives up.</li>
 *   <li>404 ends it with {@code DOMAIN_NOT_FOUND}; retryable errors repeat the same check later (same step);
 *   other Wix rejections keep the watch going at the slow cadence.</li>
 *   <li>A {@code RecheckRequested} for an active watch (and, when it names one, the same request) moves the next
 *   check to now and resets the interval to the fastest step; the deadline stays. Otherwise it is ignored.</li>
 * </ul>
 */
public final class WatchPolicy {

    /** What happened, for counters and logs. */
    public enum Verdict {
        WATCH_STARTED, CONNECTED_AT_ONCE, DUPLICATE, STALE, INVALID, RECHECKED, RECHECK_IGNORED,
        STILL_WATCHING, STATUS_CHANGED, CONNECTED, FAILED_GRACE_ENDED, TIMED_OUT, NOT_FOUND, RETRY_LATER, REJECTED_KEEP_WATCHING
    }

    /**
     * @param state the state to store ({@code null}: unchanged)
     * @param progress PropagationProgress events to publish, in order
     * @param outcomes DomainConnected / DomainFailed events to publish, in order (at most one per request)
     */
    public record Decision(WatchState state, List<PropagationProgress> progress, List<SpecificRecord> outcomes,
                           Verdict verdict) {

        static Decision unchanged(Verdict verdict) {
            return new Decision(null, List.of(), List.of(), verdict);
        }
    }

    private final Schedule schedule;

    public WatchPolicy(Schedule schedule) {
        this.schedule = Objects.requireNonNull(schedule, "schedule");
    }

    public Schedule schedule() {
        return schedule;
    }

    // ------------------------------------------------------------------ ConnectionConfigured

    public Decision onConfigured(WatchState current, ConnectionConfigured event, long now, RandomGenerator random) {
        RequestContext ctx = event.getContext();
        if (ctx == null || blank(ctx.getRequestId()) || blank(ctx.getDomain())) {
            return Decision.unchanged(Verdict.INVALID); // names no request: nothing can be answered
        }
        SpecificRecord superseded = null;
        if (current != null) {
            if (ctx.getGeneration() < current.getGeneration()) {
                return Decision.unchanged(Verdict.STALE);
            }
            if (ctx.getGeneration() == current.getGeneration()) {
                return Decision.unchanged(ctx.getRequestId().equals(current.getRequestId()) ? Verdict.DUPLICATE : Verdict.STALE);
            }
            if (current.getActive()) {
                superseded = failed(current, now, FailureReason.SUPERSEDED,
                        "superseded by request " + ctx.getRequestId() + " (generation " + ctx.getGeneration() + ")",
                        null, null, null);
            }
        }
        String initial = event.getWixStatus() == null ? null : event.getWixStatus().name();
        WatchState.Builder b = WatchState.newBuilder()
                .setRequestId(ctx.getRequestId())
                .setDomain(ctx.getDomain())
                .setFlow(ctx.getFlow() == null ? Flow.UNKNOWN.name() : ctx.getFlow().name())
                .setAccountId(ctx.getAccountId() == null ? "" : ctx.getAccountId())
                .setSiteId(ctx.getSiteId() == null ? "" : ctx.getSiteId())
                .setCorrelation(new HashMap<>(ctx.getCorrelation() == null ? java.util.Map.of() : ctx.getCorrelation()))
                .setGeneration(ctx.getGeneration())
                .setRequestedAt(event.getRequestedAt() == null ? now : event.getRequestedAt().toEpochMilli())
                .setConfiguredAt(configuredAt(event, now))
                .setDeadlineAt(Math.max(schedule.deadlineAt(configuredAt(event, now)), now + schedule.maxInterval().toMillis()))
                .setStep(0)
                .setChecks(0)
                .setLastStatus(initial)
                .setFailedSince(null)
                .setLastError(null)
                .setOutcome(null)
                .setActive(true);
        List<SpecificRecord> outcomes = superseded == null ? List.of() : List.of(superseded);
        if (blank(ctx.getAccountId())) {
            // a request the watcher cannot check still gets its one terminal event; the finished state (this
            // generation) drops any redelivered copy as a duplicate
            WatchState w = b.setNextCheckAt(now).setDueAt(now).build();
            DomainFailed invalid = failed(w, now, FailureReason.INVALID_REQUEST,
                    "context.accountId: required to ask Wix about the domain, but empty", null, null, null);
            finish(w, FailureReason.INVALID_REQUEST.name());
            return new Decision(w, List.of(), concat(outcomes, invalid), Verdict.INVALID);
        }
        if (event.getWixStatus() == PropagationStatus.COMPLETED) {
            WatchState w = b.setNextCheckAt(now).setDueAt(now).build();
            DomainConnected done = connected(w, now);
            finish(w, "CONNECTED");
            return new Decision(w, List.of(), concat(outcomes, done), Verdict.CONNECTED_AT_ONCE);
        }
        long first = schedule.firstCheckAt(now, random);
        WatchState w = b.setNextCheckAt(first).setDueAt(Math.min(first, schedule.deadlineAt(now))).build();
        return new Decision(w, List.of(), outcomes, Verdict.WATCH_STARTED);
    }

    /** When the connector configured the domain, by its event; never later than {@code now} (a clock ahead of ours). */
    private static long configuredAt(ConnectionConfigured event, long now) {
        return event.getOccurredAt() == null ? now : Math.min(now, event.getOccurredAt().toEpochMilli());
    }

    // ------------------------------------------------------------------ RecheckRequested

    public Decision onRecheck(WatchState current, RecheckRequested event, long now) {
        if (current == null || !current.getActive()) {
            return Decision.unchanged(Verdict.RECHECK_IGNORED);
        }
        if (event.getRequestId() != null && !event.getRequestId().equals(current.getRequestId())) {
            return Decision.unchanged(Verdict.RECHECK_IGNORED);
        }
        WatchState w = WatchState.newBuilder(current).setStep(0).setNextCheckAt(now).build();
        w.setDueAt(Math.min(now, expiryAt(w)));
        return new Decision(w, List.of(), List.of(), Verdict.RECHECKED);
    }

    // ------------------------------------------------------------------ due: expiry or check

    /** When the watch gives up if nothing else happens: the FAILED grace end or the deadline, whichever is first. */
    public long expiryAt(WatchState w) {
        if (w.getFailedSince() != null) {
            return Math.min(w.getFailedSince() + schedule.failedGrace().toMillis(), w.getDeadlineAt());
        }
        return w.getDeadlineAt();
    }

    public boolean isExpired(WatchState w, long now) {
        return now >= expiryAt(w);
    }

    /** The watch reached its expiry without a terminal answer. */
    public Decision onExpired(WatchState current, long now) {
        WatchState w = WatchState.newBuilder(current).build();
        boolean failedGrace = w.getFailedSince() != null && PropagationStatus.FAILED.name().equals(w.getLastStatus());
        DomainFailed failed;
        if (failedGrace) {
            failed = failed(w, now, FailureReason.PROPAGATION_FAILED,
                    "Wix reported DNS propagation FAILED since " + java.time.Instant.ofEpochMilli(w.getFailedSince())
                            + " and the grace period of " + schedule.failedGrace() + " ended after " + w.getChecks() + " checks",
                    null, null, null);
        } else {
            failed = failed(w, now, FailureReason.PROPAGATION_TIMEOUT,
                    "DNS propagation did not complete within " + schedule.deadline() + " (" + w.getChecks()
                            + " checks, last status " + (w.getLastStatus() == null ? "none" : w.getLastStatus()) + ")"
                            + (w.getLastError() == null ? "" : "; last Wix error: " + w.getLastError()),
                    null, null, null);
        }
        finish(w, failed.getReason().name());
        return new Decision(w, List.of(), List.of(failed), failedGrace ? Verdict.FAILED_GRACE_ENDED : Verdict.TIMED_OUT);
    }

    public Decision onCheckResult(WatchState current, CheckResult result, long now, RandomGenerator random) {
        WatchState w = WatchState.newBuilder(current).setChecks(current.getChecks() + 1).build();
        if (result instanceof CheckResult.Status s) {
            return onStatus(w, s.status(), now, random);
        }
        if (result instanceof CheckResult.NotFound nf) {
            DomainFailed failed = failed(w, now, FailureReason.DOMAIN_NOT_FOUND,
                    "Wix no longer knows the domain " + w.getDomain() + " (Get Connected Domain answered " + nf.httpStatus() + ")",
                    nf.httpStatus(), nf.wixCode(), nf.wixMessage());
            finish(w, FailureReason.DOMAIN_NOT_FOUND.name());
            return new Decision(w, List.of(), List.of(failed), Verdict.NOT_FOUND);
        }
        if (result instanceof CheckResult.Retryable r) {
            w.setLastError(describe(r.httpStatus(), r.wixCode(), r.wixMessage()));
            schedule(w, schedule.retryAt(now, r.retryAfter(), random));
            return new Decision(w, List.of(), List.of(), Verdict.RETRY_LATER);
        }
        CheckResult.Rejected rej = (CheckResult.Rejected) result;
        w.setLastError(describe(rej.httpStatus(), rej.wixCode(), rej.wixMessage()));
        schedule(w, schedule.nextCheckAt(now, Integer.MAX_VALUE / 2, random));
        return new Decision(w, List.of(), List.of(), Verdict.REJECTED_KEEP_WATCHING);
    }

    private Decision onStatus(WatchState w, PropagationStatus status, long now, RandomGenerator random) {
        String previous = w.getLastStatus();
        boolean changed = !status.name().equals(previous);
        w.setLastStatus(status.name());
        w.setLastError(null);
        if (status == PropagationStatus.COMPLETED) {
            PropagationProgress p = progress(w, previous, status, now, null);
            DomainConnected done = connected(w, now);
            finish(w, "CONNECTED");
            return new Decision(w, changed ? List.of(p) : List.of(), List.of(done), Verdict.CONNECTED);
        }
        if (status == PropagationStatus.FAILED) {
            if (w.getFailedSince() == null) {
                w.setFailedSince(now);
            }
            schedule(w, schedule.nextFailedCheckAt(now, random));
        } else {
            w.setFailedSince(null);
            schedule(w, schedule.nextCheckAt(now, w.getStep(), random));
            w.setStep(w.getStep() + 1 < 0 ? w.getStep() : w.getStep() + 1);
        }
        if (isExpired(w, now)) {
            return onExpired(w, now);
        }
        List<PropagationProgress> progress = changed ? List.of(progress(w, previous, status, now, w.getDueAt())) : List.of();
        return new Decision(w, progress, List.of(), changed ? Verdict.STATUS_CHANGED : Verdict.STILL_WATCHING);
    }

    // ------------------------------------------------------------------ helpers

    private void schedule(WatchState w, long nextCheckAt) {
        w.setNextCheckAt(nextCheckAt);
        w.setDueAt(Math.min(nextCheckAt, expiryAt(w)));
    }

    private static void finish(WatchState w, String outcome) {
        w.setActive(false);
        w.setOutcome(outcome);
    }

    public static RequestContext context(WatchState w) {
        return RequestContext.newBuilder()
                .setRequestId(w.getRequestId())
                .setDomain(w.getDomain())
                .setFlow(flow(w.getFlow()))
                .setAccountId(w.getAccountId())
                .setSiteId(w.getSiteId())
                .setCorrelation(new HashMap<>(w.getCorrelation()))
                .setGeneration(w.getGeneration())
                .build();
    }

    private static Flow flow(String name) {
        try {
            return Flow.valueOf(name);
        } catch (RuntimeException e) {
            return Flow.UNKNOWN;
        }
    }

    private static PropagationStatus status(String name) {
        if (name == null) {
            return null;
        }
        try {
            return PropagationStatus.valueOf(name);
        } catch (RuntimeException e) {
            return PropagationStatus.UNKNOWN_DNS_PROPAGATION_STATUS;
        }
    }

    private static DomainConnected connected(WatchState w, long now) {
        return DomainConnected.newBuilder()
                .setContext(context(w))
                .setOccurredAt(java.time.Instant.ofEpochMilli(now))
                .setRequestedAt(java.time.Instant.ofEpochMilli(w.getRequestedAt()))
                .setDurationMillis(Math.max(0, now - w.getRequestedAt()))
                .setChecks(w.getChecks())
                .build();
    }

    private static DomainFailed failed(WatchState w, long now, FailureReason reason, String message, Integer httpStatus,
                                       String wixCode, String wixMessage) {
        return DomainFailed.newBuilder()
                .setContext(context(w))
                .setOccurredAt(java.time.Instant.ofEpochMilli(now))
                .setReason(reason)
                .setStage(Stage.WATCHER)
                .setMessage(message)
                .setWixHttpStatus(httpStatus)
                .setWixErrorCode(wixCode)
                .setWixMessage(wixMessage)
                .setLastStatus(status(w.getLastStatus()))
                .build();
    }

    private static PropagationProgress progress(WatchState w, String previous, PropagationStatus status, long now, Long next) {
        return PropagationProgress.newBuilder()
                .setContext(context(w))
                .setOccurredAt(java.time.Instant.ofEpochMilli(now))
                .setPreviousStatus(status(previous))
                .setStatus(status)
                .setChecks(w.getChecks())
                .setNextCheckAt(next == null ? null : java.time.Instant.ofEpochMilli(next))
                .build();
    }

    private static String describe(int httpStatus, String code, String message) {
        String s = (httpStatus == 0 ? "no HTTP response" : "HTTP " + httpStatus) + " " + code;
        return message == null || message.isBlank() ? s : s + ": " + (message.length() > 200 ? message.substring(0, 200) : message);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static List<SpecificRecord> concat(List<SpecificRecord> a, SpecificRecord b) {
        java.util.ArrayList<SpecificRecord> all = new java.util.ArrayList<>(a);
        all.add(b);
        return List.copyOf(all);
    }
}
