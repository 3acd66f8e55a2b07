package io.domainlink.connector;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import io.domainlink.events.FailureReason;

/**
 * The connector's counters, in one place (Micrometer is wired on top later). Output counters move when a
 * transaction commits, so they count what downstream readers can see.
 */
public final class ConnectorMetrics {

    private final LongAdder recordsIn = new LongAdder();
    private final LongAdder configuredOut = new LongAdder();
    private final LongAdder ownerActionsOut = new LongAdder();
    private final LongAdder deadLetters = new LongAdder();
    private final LongAdder transactionsCommitted = new LongAdder();
    private final LongAdder transactionsAborted = new LongAdder();
    private final Map<FailureReason, LongAdder> failures = new EnumMap<>(FailureReason.class);

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
    }

    void committed() {
        transactionsCommitted.increment();
    }

    void aborted() {
        transactionsAborted.increment();
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

    public long transactionsCommitted() {
        return transactionsCommitted.sum();
    }

    public long transactionsAborted() {
        return transactionsAborted.sum();
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
