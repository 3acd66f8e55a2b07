package io.domainlink.ingestor;

import java.time.Duration;

/**
 * Everything the topology needs to know, as plain values (no Kafka or config types), so tests build it directly.
 *
 * @param limits size limits on untrusted input
 * @param dedupRetention how long a request id is remembered (duplicates and conflicts are detected within it)
 * @param purgeInterval how often expired request ids are purged (wall-clock)
 * @param partitions partition count of the internal repartition topics; must equal the outcomes topic's
 * @param inFlightMaxAge how long an admitted request without an outcome holds its domain; a new request after that is
 *     admitted
 */
public record IngestorSettings(Limits limits, Duration dedupRetention, Duration purgeInterval, int partitions,
                               Duration inFlightMaxAge) {

    /** Size limits applied to every request before anything else looks at it. */
    public record Limits(int maxString, int maxRequestId, int maxCorrelationEntries, int maxCorrelationKey,
                         int maxCorrelationValue) {

        public static Limits defaults() {
            return new Limits(256, 128, 32, 64, 256);
        }
    }

    public IngestorSettings {
        if (dedupRetention.isNegative() || dedupRetention.isZero()) {
            throw new IllegalArgumentException("dedupRetention must be positive");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1");
        }
        if (inFlightMaxAge.isNegative() || inFlightMaxAge.isZero()) {
            throw new IllegalArgumentException("inFlightMaxAge must be positive");
        }
    }

    public static IngestorSettings defaults() {
        return new IngestorSettings(Limits.defaults(), IngestorConfig.DEFAULT_DEDUP_RETENTION,
                IngestorConfig.DEFAULT_PURGE_INTERVAL, io.domainlink.common.Topics.OUTCOMES.defaultPartitions(),
                IngestorConfig.DEFAULT_IN_FLIGHT_MAX_AGE);
    }
}
