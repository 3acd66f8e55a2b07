package io.domainlink.ingestor;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.domainlink.common.Topics;
import io.domainlink.events.FailureReason;

/**
 * The ingestor's counters, in one place. Thread-safe; shared by every stream thread of the instance. A later
 * Micrometer/Prometheus binding reads these getters.
 */
public final class IngestorMetrics {

    private final AtomicLong accepted = new AtomicLong();
    private final Map<FailureReason, AtomicLong> rejected = new EnumMap<>(FailureReason.class);
    private final AtomicLong duplicatesDropped = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong tombstonesIgnored = new AtomicLong();
    private final AtomicLong expiredIdsPurged = new AtomicLong();
    private final AtomicLong requestsIn = new AtomicLong();
    private final AtomicLong outcomesIn = new AtomicLong();
    private final AtomicLong inFlightExpired = new AtomicLong();

    public IngestorMetrics() {
        for (FailureReason r : FailureReason.values()) {
            rejected.put(r, new AtomicLong());
        }
    }

    /** A record read from an input topic (tombstones and poison records that reach the topology included). */
    void eventIn(String topic) {
        (Topics.OUTCOMES.name().equals(topic) ? outcomesIn : requestsIn).incrementAndGet();
    }

    void accepted() {
        accepted.incrementAndGet();
    }

    void rejected(FailureReason reason) {
        rejected.get(reason).incrementAndGet();
    }

    void duplicateDropped() {
        duplicatesDropped.incrementAndGet();
    }

    void deadLettered() {
        deadLettered.incrementAndGet();
    }

    void tombstoneIgnored() {
        tombstonesIgnored.incrementAndGet();
    }

    void inFlightExpired() {
        inFlightExpired.incrementAndGet();
    }

    void purged(long n) {
        expiredIdsPurged.addAndGet(n);
    }

    /**
     * Publishes these counters to Micrometer: the pipeline-wide names ({@code domainlink.events.in/out{topic}},
     * {@code domainlink.failures{reason}}, {@code domainlink.dead.letters}) and the ingestor's own
     * ({@code domainlink.ingestor.*}).
     */
    public void bindTo(io.micrometer.core.instrument.MeterRegistry registry) {
        io.micrometer.core.instrument.FunctionCounter.builder("domainlink.events.in", requestsIn, AtomicLong::get)
                .tag("topic", Topics.REQUESTS.name()).description("records read, by topic").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("domainlink.events.in", outcomesIn, AtomicLong::get)
                .tag("topic", Topics.OUTCOMES.name()).description("records read, by topic").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("domainlink.events.out", accepted, AtomicLong::get)
                .tag("topic", Topics.ACCEPTED.name()).description("events published, by topic").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("domainlink.events.out", this, m -> m.rejectedTotal())
                .tag("topic", Topics.OUTCOMES.name()).description("events published, by topic").register(registry);
        for (Map.Entry<FailureReason, AtomicLong> e : rejected.entrySet()) {
            io.micrometer.core.instrument.FunctionCounter.builder("domainlink.failures", e.getValue(), AtomicLong::get)
                    .tag("reason", e.getKey().name()).description("DomainFailed events published, by reason").register(registry);
        }
        io.micrometer.core.instrument.FunctionCounter.builder("domainlink.ingestor.accepted", accepted, AtomicLong::get)
                .description("requests admitted (ConnectionAccepted published)").register(registry);
        for (Map.Entry<FailureReason, AtomicLong> e : rejected.entrySet()) {
            io.micrometer.core.instrument.FunctionCounter.builder("domainlink.ingestor.rejected", e.getValue(), AtomicLong::get)
                    .tag("reason", e.getKey().name()).description("requests rejected with DomainFailed, by reason").register(registry);
        }
        io.micrometer.core.instrument.FunctionCounter.builder("domainlink.ingestor.duplicates.dropped", duplicatesDropped, AtomicLong::get)
                .description("identical re-publications dropped").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("domainlink.dead.letters", deadLettered, AtomicLong::get)
                .description("records sent to the dead-letter topic").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("domainlink.ingestor.ids.purged", expiredIdsPurged, AtomicLong::get)
                .description("request ids forgotten after the de-duplication retention").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("domainlink.ingestor.in.flight.expired", inFlightExpired, AtomicLong::get)
                .description("requests admitted although their domain's earlier request was still in flight, older than in.flight.max.age.ms")
                .register(registry);
    }

    long rejectedTotal() {
        return rejected.values().stream().mapToLong(AtomicLong::get).sum();
    }

    public long acceptedCount() {
        return accepted.get();
    }

    public long rejectedCount(FailureReason reason) {
        return rejected.get(reason).get();
    }

    public long duplicatesDroppedCount() {
        return duplicatesDropped.get();
    }

    public long deadLetteredCount() {
        return deadLettered.get();
    }

    public long tombstonesIgnoredCount() {
        return tombstonesIgnored.get();
    }

    public long inFlightExpiredCount() {
        return inFlightExpired.get();
    }

    public long expiredIdsPurgedCount() {
        return expiredIdsPurged.get();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("accepted=").append(accepted.get());
        rejected.forEach((r, n) -> {
            if (n.get() > 0) {
                sb.append(" rejected.").append(r).append('=').append(n.get());
            }
        });
        return sb.append(" duplicates=").append(duplicatesDropped.get())
                .append(" deadLettered=").append(deadLettered.get())
                .append(" tombstones=").append(tombstonesIgnored.get()).toString();
    }
}
