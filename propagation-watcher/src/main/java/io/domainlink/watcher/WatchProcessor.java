package io.domainlink.watcher;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.domainlink.common.ops.LogContext;
import io.domainlink.common.tracing.TraceContext;
import io.domainlink.events.ConnectionConfigured;
import io.domainlink.events.DomainConnected;
import io.domainlink.events.DomainFailed;
import io.domainlink.events.FailureReason;
import io.domainlink.events.PropagationProgress;
import io.domainlink.events.RecheckRequested;
import io.domainlink.watcher.PropagationChecker.CheckRequest;
import io.domainlink.watcher.WatchPolicy.Decision;
import io.domainlink.watcher.state.WatchState;

/**
 * The watcher's one processor: keeps the {@code watches} and {@code due-index} stores of its task (the latter holds
 * the due checks and the deadlines of the active watches, see {@link DueIndex}), applies {@link WatchPolicy} to ConnectionConfigured and RecheckRequested records, and every
 * {@code scan.interval.ms} of wall-clock time ends the watches whose deadline (or FAILED grace) has passed, then takes
 * the due entries oldest first, as far as the shared rate limiter grants permits without waiting, and starts their
 * checks on the check executor. The stream thread never waits for Wix: the next scan applies the answers (state,
 * indexes, events) inside the task's transaction.
 */
final class WatchProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {

    private static final Logger log = LoggerFactory.getLogger(WatchProcessor.class);

    private final WatcherTopology.Wiring wiring;
    private final WatchPolicy policy;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, WatchState> watches;
    private KeyValueStore<Bytes, byte[]> index;
    private Cancellable punctuator;
    private RandomGenerator random;
    private long taskPending;
    private final java.util.Map<String, InFlight> inFlight = new java.util.LinkedHashMap<>();
    private final PermitOrder order;
    /** Accounts for which this task left a claim in {@link PermitOrder}. */
    private final Set<String> waitingFor = new HashSet<>();

    WatchProcessor(WatcherTopology.Wiring wiring) {
        this.wiring = wiring;
        this.policy = wiring.policy();
        this.order = wiring.permitOrder();
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.watches = context.getStateStore(WatcherTopology.WATCHES_STORE);
        this.index = context.getStateStore(WatcherTopology.DUE_INDEX_STORE);
        this.random = wiring.random().get();
        this.taskPending = Math.max(0, index.approximateNumEntries() / 2);   // a due and a deadline entry per active watch
        wiring.metrics().addPending(taskPending);
        this.punctuator = context.schedule(wiring.scanInterval(), PunctuationType.WALL_CLOCK_TIME, this::scan);
        log.info("watch task started task={} pendingApprox={}", context.taskId(), taskPending);
    }

    @Override
    public void close() {
        if (punctuator != null) {
            punctuator.cancel();
        }
        // checks still running belong to a task this instance no longer owns: their due entries stay in the index
        inFlight.values().forEach(f -> f.result().cancel(true));
        inFlight.clear();
        waitingFor.forEach(account -> order.served(account, this));   // drop this task's claims
        waitingFor.clear();
        // the gauge counts watches of the tasks this instance owns: hand this task's share back
        wiring.metrics().addPending(-taskPending);
    }

    // ------------------------------------------------------------------ records

    @Override
    public void process(Record<String, SpecificRecord> record) {
        long now = context.currentSystemTimeMs();
        // the watcher's span of the request's trace: stored with a new watch, written on everything the watch emits
        TraceContext trace = TraceContext.continueFrom(record.headers());
        LogContext logContext = context.recordMetadata()
                .map(m -> LogContext.record(m.topic(), m.partition(), m.offset())).orElseGet(LogContext::open);
        try (LogContext ignored = logContext.trace(trace).put(LogContext.DOMAIN, record.key())) {
            process(record, trace, logContext, now);
        }
    }

    private void process(Record<String, SpecificRecord> record, TraceContext trace, LogContext logContext, long now) {
        if (record.value() instanceof ConnectionConfigured configured) {
            wiring.metrics().eventIn(io.domainlink.common.Topics.CONFIGURED.name());
            if (configured.getContext() != null) {
                logContext.put(LogContext.REQUEST_ID, configured.getContext().getRequestId());
            }
            onConfigured(record.key(), configured, now, trace);
        } else if (record.value() instanceof RecheckRequested recheck) {
            wiring.metrics().eventIn(io.domainlink.common.Topics.RECHECKS.name());
            logContext.put(LogContext.REQUEST_ID, recheck.getRequestId());
            onRecheck(record.key(), recheck, now);
        } else {
            wiring.metrics().invalid();
            log.warn("unexpected record dropped key={} type={} source={}", record.key(),
                    record.value() == null ? "null" : record.value().getClass().getSimpleName(), source());
        }
    }

    private void onConfigured(String key, ConnectionConfigured event, long now, TraceContext trace) {
        String domain = event.getContext() == null ? null : event.getContext().getDomain();
        if (key == null || !key.equals(domain)) {
            wiring.metrics().invalid();
            log.warn("ConnectionConfigured dropped: key is not the context's domain key={} domain={} source={}", key, domain, source());
            return;
        }
        WatchState current = watches.get(key);
        Decision d = policy.onConfigured(current, event, now, random);
        if (d.state() != null && (d.verdict() == WatchPolicy.Verdict.WATCH_STARTED || d.verdict() == WatchPolicy.Verdict.CONNECTED_AT_ONCE
                || d.verdict() == WatchPolicy.Verdict.INVALID)) {
            d.state().setTraceparent(trace.header());
        }
        switch (d.verdict()) {
            case STALE -> {
                wiring.metrics().stale();
                log.info("stale ConnectionConfigured dropped domain={} requestId={} generation={} latestGeneration={}",
                        key, event.getContext().getRequestId(), event.getContext().getGeneration(), current.getGeneration());
            }
            case DUPLICATE -> wiring.metrics().duplicate();
            case INVALID -> {
                wiring.metrics().invalid();
                log.warn("invalid ConnectionConfigured domain={} source={} answered={}", key, source(), d.state() != null);
            }
            default -> log.debug("watch started domain={} requestId={} generation={} firstCheckAt={}", key,
                    d.state().getRequestId(), d.state().getGeneration(), d.state().getDueAt());
        }
        apply(key, current, d, now);
    }

    private void onRecheck(String key, RecheckRequested event, long now) {
        if (key == null) {
            wiring.metrics().recheck(false);
            return;
        }
        WatchState current = watches.get(key);
        Decision d = policy.onRecheck(current, event, now);
        wiring.metrics().recheck(d.verdict() == WatchPolicy.Verdict.RECHECKED);
        if (d.verdict() == WatchPolicy.Verdict.RECHECK_IGNORED) {
            log.info("recheck ignored: no matching active watch domain={} requestId={}", key, event.getRequestId());
        }
        apply(key, current, d, now);
    }

    // ------------------------------------------------------------------ scan

    /** A check running on the executor; its result is applied by a later scan on the stream thread. */
    private record InFlight(String requestId, long dueAt, long startedAt, CompletableFuture<Answer> result) {
    }

    /** A checker's answer and when it arrived (wall clock, ms). */
    private record Answer(CheckResult result, long answeredAt) {
    }

    /**
     * One scan: apply the results of finished checks; end the watches whose expiry (deadline or FAILED grace end) has
     * passed, from the deadline entries, however many checks are waiting (no permit needed); then start new checks: due
     * entries oldest first, skipping those already running, as far as permits are granted without waiting. The stream
     * thread never waits for Wix; results that are already there at the end of the scan (a fast or synchronous
     * checker) are applied in the same scan.
     */
    void scan(long now) {
        applyFinished(now);
        expire(now);
        List<Bytes> orphans = new ArrayList<>();
        List<WatchState> expired = new ArrayList<>();
        Set<String> denied = new HashSet<>();
        int examined = 0;
        int started = 0;
        boolean complete;
        try (KeyValueIterator<Bytes, byte[]> it = index.range(DueIndex.from(), DueIndex.upTo(now))) {
            while (it.hasNext() && examined < wiring.scanMaxEntries() && started < wiring.checksPerScan()
                    && inFlight.size() < wiring.checksPerScan()) {
                KeyValue<Bytes, byte[]> entry = it.next();
                examined++;
                String domain = DueIndex.domain(entry.key);
                if (inFlight.containsKey(domain)) {
                    continue;
                }
                long dueAt = DueIndex.dueAt(entry.key);
                WatchState w = watches.get(domain);
                if (w == null || !w.getActive() || w.getDueAt() != dueAt) {
                    orphans.add(entry.key);
                    continue;
                }
                if (policy.isExpired(w, now)) {
                    expired.add(w);   // a watch stored before deadline entries existed has none
                    continue;
                }
                String account = w.getAccountId();
                if (denied.contains(account)) {
                    continue;
                }
                // another task of this instance waits with an older check of the account: leave the permit to it
                if (!order.mayTake(account, dueAt, this, now) || !wiring.permits().tryAcquire(account)) {
                    denied.add(account);
                    order.waiting(account, dueAt, this, now);
                    waitingFor.add(account);
                    wiring.metrics().throttled();
                    continue;
                }
                order.served(account, this);
                CheckRequest request = new CheckRequest(w.getDomain(), w.getAccountId(), w.getRequestId(), dueAt);
                wiring.metrics().check(now - dueAt);
                inFlight.put(domain, new InFlight(w.getRequestId(), dueAt, now,
                        CompletableFuture.supplyAsync(() -> {
                            CheckResult r = safeCheck(request);
                            return new Answer(r, wiring.wallClock().getAsLong());
                        }, wiring.executor())));
                started++;
            }
            complete = !it.hasNext();
        }
        orphans.forEach(index::delete);
        for (WatchState w : expired) {
            apply(w.getDomain(), w, policy.onExpired(w, now), now);
        }
        if (complete) {
            // a scan that saw every due entry and did not renew a claim no longer waits for that account
            waitingFor.removeIf(account -> {
                order.release(account, this, now);
                return !denied.contains(account);
            });
        }
        applyFinished(now);
    }

    /**
     * Ends every active watch whose expiry is at or before {@code now} (at most {@code scan.max.entries} a scan). A
     * watch with a check running waits for its answer (at most {@code check.timeout.ms}): a COMPLETED answer still
     * connects it, any other ends it at once.
     */
    private void expire(long now) {
        List<Bytes> orphans = new ArrayList<>();
        List<WatchState> expired = new ArrayList<>();
        int examined = 0;
        try (KeyValueIterator<Bytes, byte[]> it = index.range(DueIndex.deadlinesFrom(), DueIndex.deadlinesUpTo(now))) {
            while (it.hasNext() && examined < wiring.scanMaxEntries()) {
                KeyValue<Bytes, byte[]> entry = it.next();
                examined++;
                String domain = DueIndex.deadlineDomain(entry.key);
                WatchState w = watches.get(domain);
                if (w == null || !w.getActive() || policy.expiryAt(w) != DueIndex.deadlineAt(entry.key)) {
                    orphans.add(entry.key);
                } else if (!inFlight.containsKey(domain)) {
                    expired.add(w);
                }
            }
        }
        orphans.forEach(index::delete);
        for (WatchState w : expired) {
            apply(w.getDomain(), w, policy.onExpired(w, now), now);
        }
    }

    /** Applies every finished check, and gives up on those running longer than check.timeout.ms. */
    private void applyFinished(long now) {
        if (inFlight.isEmpty()) {
            return;
        }
        var it = inFlight.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            InFlight f = e.getValue();
            CheckResult result;
            long answeredAt;
            if (f.result().isDone()) {
                Answer a = f.result().isCancelled() || f.result().isCompletedExceptionally() ? null : f.result().getNow(null);
                result = a == null ? null : a.result();
                answeredAt = a == null ? now : Math.max(f.startedAt(), a.answeredAt());
            } else if (now - f.startedAt() >= wiring.checkTimeout().toMillis()) {
                f.result().cancel(true);
                wiring.metrics().checkTimeout();
                log.warn("check timed out domain={} requestId={} timeoutMs={}", e.getKey(), f.requestId(),
                        wiring.checkTimeout().toMillis());
                result = new CheckResult.Retryable(0, "CHECK_TIMEOUT", "no answer within " + wiring.checkTimeout(), null);
                answeredAt = f.startedAt();
            } else {
                continue;
            }
            it.remove();
            if (result == null) {
                result = new CheckResult.Retryable(0, "CHECK_ERROR", "no result", null);
            }
            if (!(result instanceof CheckResult.Status)) {
                wiring.metrics().checkError();
            }
            WatchState current = watches.get(e.getKey());
            if (current == null || !current.getActive() || !current.getRequestId().equals(f.requestId())
                    || current.getDueAt() != f.dueAt()) {
                continue; // a recheck, a newer request or a deadline moved the watch meanwhile: this answer is moot
            }
            // the schedule counts from when Wix answered (not from when this scan saw it), so a late scan does not
            // stretch the intervals and no two calls for a domain are closer than the interval
            apply(e.getKey(), current, policy.onCheckResult(current, result, answeredAt, random), answeredAt);
        }
    }

    private CheckResult safeCheck(CheckRequest request) {
        try {
            return wiring.checker().check(request);
        } catch (RuntimeException e) {
            log.warn("checker failed domain={} requestId={} error={}", request.domain(), request.requestId(), e.toString());
            return new CheckResult.Retryable(0, "CHECK_ERROR", e.getClass().getSimpleName(), null);
        }
    }

    // ------------------------------------------------------------------ state + output

    private void apply(String domain, WatchState before, Decision d, long now) {
        WatchState after = d.state();
        WatchState about = after != null ? after : before;
        TraceContext trace = about == null ? null : TraceContext.parse(about.getTraceparent()).orElse(null);
        try (LogContext ignored = LogContext.open().trace(trace)
                .request(about == null ? null : about.getRequestId(), domain)) {
            apply(domain, before, after, d, now);
        }
    }

    private void apply(String domain, WatchState before, WatchState after, Decision d, long now) {
        if (after != null) {
            boolean wasActive = before != null && before.getActive();
            if (wasActive) {
                index.delete(DueIndex.key(before.getDueAt(), domain));
            }
            watches.put(domain, after);
            if (after.getActive()) {
                index.put(DueIndex.key(after.getDueAt(), domain), DueIndex.EMPTY);
            }
            long expiryBefore = wasActive ? policy.expiryAt(before) : -1;
            long expiryAfter = after.getActive() ? policy.expiryAt(after) : -1;
            if (expiryBefore != expiryAfter) {   // the expiry moves only at start, end and FAILED grace changes
                if (wasActive) {
                    index.delete(DueIndex.deadlineKey(expiryBefore, domain));
                }
                if (after.getActive()) {
                    index.put(DueIndex.deadlineKey(expiryAfter, domain), DueIndex.EMPTY);
                }
            }
            long delta = (after.getActive() ? 1 : 0) - (wasActive ? 1 : 0);
            taskPending += delta;
            wiring.metrics().addPending(delta);
        }
        for (PropagationProgress p : d.progress()) {
            context.forward(new Record<String, SpecificRecord>(domain, p, now, traced(p.getContext().getRequestId(), before, after)),
                    WatcherTopology.PROGRESS_SINK);
            wiring.metrics().eventOut(io.domainlink.common.Topics.PROGRESS.name());
        }
        for (SpecificRecord outcome : d.outcomes()) {
            String requestId = outcome instanceof DomainConnected c ? c.getContext().getRequestId()
                    : outcome instanceof DomainFailed f ? f.getContext().getRequestId() : null;
            context.forward(new Record<>(domain, outcome, now, traced(requestId, before, after)), WatcherTopology.OUTCOMES_SINK);
            wiring.metrics().eventOut(io.domainlink.common.Topics.OUTCOMES.name());
            logOutcome(outcome);
        }
    }

    /**
     * Headers of an event about {@code requestId}: the trace stored with that request's watch (the old watch's for a
     * SUPERSEDED outcome), else a new trace (a watch stored before traces were kept).
     */
    private static Headers traced(String requestId, WatchState before, WatchState after) {
        String traceparent = null;
        if (after != null && after.getRequestId().equals(requestId)) {
            traceparent = after.getTraceparent();
        }
        if (traceparent == null && before != null && before.getRequestId().equals(requestId)) {
            traceparent = before.getTraceparent();
        }
        TraceContext trace = TraceContext.parse(traceparent).orElseGet(TraceContext::newTrace);
        return trace.writeTo(new RecordHeaders());
    }

    private void logOutcome(SpecificRecord outcome) {
        if (outcome instanceof DomainConnected c) {
            wiring.metrics().connected();
            log.info("domain connected domain={} requestId={} checks={} durationMs={}", c.getContext().getDomain(),
                    c.getContext().getRequestId(), c.getChecks(), c.getDurationMillis());
        } else if (outcome instanceof DomainFailed f) {
            wiring.metrics().failed(f.getReason());
            if (f.getReason() == FailureReason.SUPERSEDED) {
                wiring.metrics().superseded();
            }
            log.info("domain failed domain={} requestId={} reason={} lastStatus={}", f.getContext().getDomain(),
                    f.getContext().getRequestId(), f.getReason(), f.getLastStatus());
        }
    }

    private String source() {
        return context.recordMetadata().map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("?");
    }
}
