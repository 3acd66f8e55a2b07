package io.domainlink.connector;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.domainlink.common.Topics;
import io.domainlink.events.FailureReason;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The connector's counters, in one place ({@link #bindTo} publishes them to Micrometer). Output counters move when a
 * transaction commits, so they count what downstream readers can see. Also the age of each partition's oldest
 * uncommitted record, which the loop publishes once per iteration and readiness reads from any thread.
 */
public final class ConnectorMetrics {

    private final LongAdder recordsIn = new LongAdder();
    private final LongAdder configuredOut = new LongAdder();
    private final LongAdder ownerActionsOut = new LongAdder();
    private final LongAdder deadLetters = new LongAdder();
    private final LongAdder transactionsCommitted = new LongAdder();
    private final LongAdder transactionsAborted = new LongAdder();
    private final LongAdder packagesCanceled = new LongAdder();
    private final LongAdder packageCancelsFailed = new LongAdder();
    private final Map<FailureReason, LongAdder> failures = new EnumMap<>(FailureReason.class);
    private final LongAdder unexpectedErrors = new LongAdder();
    /** Partition of domains.accepted → {@link System#nanoTime()} when its oldest uncommitted record was dispatched. */
    private final Map<Integer, Long> oldestUncommitted = new ConcurrentHashMap<>();
    private final Set<Integer> ageGauges = ConcurrentHashMap.newKeySet();
    private volatile MeterRegistry registry;

    public ConnectorMetrics() {
        for (FailureReason r : FailureReason.values()) {
            failures.put(r, new LongAdder());
        }
    }

    void recordIn() {
        recordsIn.increment();
    }

    void published(Processed p) {
        if (p.deadLetter()) {
            deadLetters.increment();
        }
        if (p.configured()) {
            configuredOut.increment();
        }
        if (p.ownerAction()) {
            ownerActionsOut.increment();
        }
        if (p.failure() != null) {
            failures.get(p.failure()).increment();
        }
        if (p.packageCanceled() != null) {
            (p.packageCanceled() ? packagesCanceled : packageCancelsFailed).increment();
        }
    }

    void committed() {
        transactionsCommitted.increment();
    }

    void aborted() {
        transactionsAborted.increment();
    }

    /** A worker let an exception escape the record handler (a bug); the record was dead-lettered. */
    void unexpectedError() {
        unexpectedErrors.increment();
    }

    /** The partition's oldest uncommitted record was dispatched at {@code dispatchedNanos}; empty: it has none. */
    void oldestUncommitted(int partition, OptionalLong dispatchedNanos) {
        if (dispatchedNanos.isPresent()) {
            oldestUncommitted.put(partition, dispatchedNanos.getAsLong());
        } else {
            oldestUncommitted.remove(partition);
        }
        MeterRegistry r = registry;
        if (r != null && ageGauges.add(partition)) {
            Gauge.builder("domainlink.connector.oldest.uncommitted.seconds", this, m -> m.oldestUncommittedAge(partition).toMillis() / 1000.0)
                    .tag("partition", Integer.toString(partition))
                    .description("age of the partition's oldest record this instance dispatched and has not committed")
                    .register(r);
        }
    }

    /** How long ago the partition's oldest uncommitted record was dispatched; zero when it has none. */
    Duration oldestUncommittedAge(int partition) {
        Long at = oldestUncommitted.get(partition);
        return at == null ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - at);
    }

    /** The partition whose uncommitted record is the oldest, with its age; empty when nothing is uncommitted. */
    Optional<Map.Entry<Integer, Duration>> oldestUncommitted() {
        return oldestUncommitted.keySet().stream().map(p -> Map.entry(p, oldestUncommittedAge(p)))
                .max(Map.Entry.comparingByValue());
    }

    /** Records read from domains.accepted (a re-delivered record counts again). */
    public long recordsIn() {
        return recordsIn.sum();
    }

    public long configuredOut() {
        return configuredOut.sum();
    }

    public long ownerActionsOut() {
        return ownerActionsOut.sum();
    }

    public long deadLetters() {
        return deadLetters.sum();
    }

    public long failures(FailureReason reason) {
        return failures.get(reason).sum();
    }

    /** Failed requests published whose Premium package the compensation cancelled ({@code packageCanceled = true}). */
    public long packagesCanceled() {
        return packagesCanceled.sum();
    }

    /** Failed requests published whose package the compensation could not cancel ({@code packageCanceled = false}). */
    public long packageCancelsFailed() {
        return packageCancelsFailed.sum();
    }

    public long transactionsCommitted() {
        return transactionsCommitted.sum();
    }

    public long transactionsAborted() {
        return transactionsAborted.sum();
    }

    /** Records whose handling threw an unexpected exception (a bug) and were dead-lettered for it. */
    public long unexpectedErrors() {
        return unexpectedErrors.sum();
    }

    /**
     * Publishes the counters with the pipeline-wide names: {@code domainlink.events.in{topic}},
     * {@code domainlink.events.out{topic}} (what committed transactions made visible), {@code domainlink.failures{reason}},
     * {@code domainlink.dead.letters}, and the connector's {@code domainlink.connector.transactions{result}} and
     * {@code domainlink.connector.package.compensations{result}} ({@code canceled} / {@code cancel_failed}: alert on the
     * second, a live package of a failed request needs an operator), {@code domainlink.connector.unexpected.errors}
     * and, per partition this instance has held, {@code domainlink.connector.oldest.uncommitted.seconds{partition}}.
     */
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        FunctionCounter.builder("domainlink.events.in", recordsIn, LongAdder::sum).tag("topic", Topics.ACCEPTED.name())
                .description("records read, by topic").register(registry);
        FunctionCounter.builder("domainlink.events.out", configuredOut, LongAdder::sum).tag("topic", Topics.CONFIGURED.name())
                .description("events published, by topic").register(registry);
        FunctionCounter.builder("domainlink.events.out", ownerActionsOut, LongAdder::sum).tag("topic", Topics.OWNER_ACTIONS.name())
                .description("events published, by topic").register(registry);
        FunctionCounter.builder("domainlink.events.out", this, ConnectorMetrics::failuresTotal).tag("topic", Topics.OUTCOMES.name())
                .description("events published, by topic").register(registry);
        failures.forEach((reason, n) -> FunctionCounter.builder("domainlink.failures", n, LongAdder::sum).tag("reason", reason.name())
                .description("DomainFailed events published, by reason").register(registry));
        FunctionCounter.builder("domainlink.dead.letters", deadLetters, LongAdder::sum)
                .description("records sent to the dead-letter topic").register(registry);
        FunctionCounter.builder("domainlink.connector.transactions", transactionsCommitted, LongAdder::sum).tag("result", "committed")
                .description("Kafka transactions of the connector loop").register(registry);
        FunctionCounter.builder("domainlink.connector.transactions", transactionsAborted, LongAdder::sum).tag("result", "aborted")
                .description("Kafka transactions of the connector loop").register(registry);
        FunctionCounter.builder("domainlink.connector.package.compensations", packagesCanceled, LongAdder::sum)
                .tag("result", "canceled")
                .description("failed requests published whose Premium package was cancelled, or could not be").register(registry);
        FunctionCounter.builder("domainlink.connector.package.compensations", packageCancelsFailed, LongAdder::sum)
                .tag("result", "cancel_failed")
                .description("failed requests published whose Premium package was cancelled, or could not be").register(registry);
        FunctionCounter.builder("domainlink.connector.unexpected.errors", unexpectedErrors, LongAdder::sum)
                .description("records whose handling threw an unexpected exception, dead-lettered for it").register(registry);
    }

    long failuresTotal() {
        return failures.values().stream().mapToLong(LongAdder::sum).sum();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("recordsIn=").append(recordsIn()).append(" configuredOut=").append(configuredOut())
                .append(" ownerActionsOut=").append(ownerActionsOut()).append(" deadLetters=").append(deadLetters());
        failures.forEach((r, n) -> {
            if (n.sum() > 0) {
                sb.append(" failed.").append(r).append('=').append(n.sum());
            }
        });
        return sb.append(" transactionsCommitted=").append(transactionsCommitted()).append(" transactionsAborted=")
                .append(transactionsAborted()).toString();
    }
}
