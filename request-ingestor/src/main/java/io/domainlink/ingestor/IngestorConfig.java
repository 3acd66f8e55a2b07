package io.domainlink.ingestor;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

import io.domainlink.common.Topics;
import io.domainlink.common.config.ServiceConfig;
import io.domainlink.common.kafka.StreamsSupervisor;

/**
 * The request-ingestor's configuration: {@link ServiceConfig#common()} plus the keys below, each with its default,
 * validator and description. Environment variable names follow {@link ServiceConfig#envName}.
 */
public final class IngestorConfig {

    public static final String APPLICATION_ID = "application.id";
    public static final String DEDUP_RETENTION_MS = "dedup.retention.ms";
    public static final String DEDUP_PURGE_INTERVAL_MS = "dedup.purge.interval.ms";
    public static final String PARTITIONS = "ingestor.partitions";
    public static final String MAX_STRING = "limits.string.max.chars";
    public static final String MAX_REQUEST_ID = "limits.request.id.max.chars";
    public static final String MAX_CORRELATION_ENTRIES = "limits.correlation.max.entries";
    public static final String MAX_CORRELATION_KEY = "limits.correlation.key.max.chars";
    public static final String MAX_CORRELATION_VALUE = "limits.correlation.value.max.chars";
    public static final String STATE_DIR = "state.dir";
    public static final String SHUTDOWN_TIMEOUT_MS = "shutdown.timeout.ms";
    public static final String IN_FLIGHT_MAX_AGE_MS = "in.flight.max.age.ms";

    public static final String DEFAULT_APPLICATION_ID = "request-ingestor";
    public static final Duration DEFAULT_DEDUP_RETENTION = Duration.ofDays(7);
    public static final Duration DEFAULT_PURGE_INTERVAL = Duration.ofMinutes(1);
    /** The watcher's default give-up deadline (72 h) plus an hour for the connector's Wix and registry retry budgets. */
    public static final Duration DEFAULT_IN_FLIGHT_MAX_AGE = Duration.ofHours(73);

    private IngestorConfig() {
    }

    public static ConfigDef definition() {
        IngestorSettings.Limits limits = IngestorSettings.Limits.defaults();
        return StreamsSupervisor.define(ServiceConfig.common()
                .define(APPLICATION_ID, Type.STRING, DEFAULT_APPLICATION_ID, new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        "Kafka Streams application id: consumer group, prefix of the internal topics and of the transactional ids.")
                .define(DEDUP_RETENTION_MS, Type.LONG, DEFAULT_DEDUP_RETENTION.toMillis(), Range.atLeast(60_000L), Importance.HIGH,
                        "How long a request id is remembered; within it an identical re-publish is dropped and a different payload is rejected (REQUEST_ID_CONFLICT).")
                .define(DEDUP_PURGE_INTERVAL_MS, Type.LONG, DEFAULT_PURGE_INTERVAL.toMillis(), Range.between(1_000L, 3_600_000L), Importance.LOW,
                        "Wall-clock interval at which expired request ids are purged from the state stores.")
                .define(PARTITIONS, Type.INT, Topics.OUTCOMES.defaultPartitions(), Range.between(1, 10_000), Importance.HIGH,
                        "Partitions of the internal repartition topics. Must equal the partition count of " + Topics.OUTCOMES.name()
                                + " (checked at start-up): the in-flight guard reads both co-partitioned.")
                .define(MAX_STRING, Type.INT, limits.maxString(), Range.between(16, 65_536), Importance.MEDIUM,
                        "Longest accepted value of any string field of a request (domain, ids, plan fields).")
                .define(MAX_REQUEST_ID, Type.INT, limits.maxRequestId(), Range.between(8, 1_024), Importance.MEDIUM,
                        "Longest accepted requestId.")
                .define(MAX_CORRELATION_ENTRIES, Type.INT, limits.maxCorrelationEntries(), Range.between(0, 1_024), Importance.MEDIUM,
                        "Most entries accepted in a request's correlation map.")
                .define(MAX_CORRELATION_KEY, Type.INT, limits.maxCorrelationKey(), Range.between(1, 4_096), Importance.MEDIUM,
                        "Longest accepted correlation key.")
                .define(MAX_CORRELATION_VALUE, Type.INT, limits.maxCorrelationValue(), Range.between(1, 65_536), Importance.MEDIUM,
                        "Longest accepted correlation value.")
                .define(STATE_DIR, Type.STRING, "/tmp/kafka-streams", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        "Directory of the local state stores (RocksDB); they are rebuilt from their changelog topics when lost.")
                .define(SHUTDOWN_TIMEOUT_MS, Type.LONG, 30_000L, Range.between(0L, 600_000L), Importance.LOW,
                        "How long a SIGTERM waits for Kafka Streams to commit and close.")
                .define(IN_FLIGHT_MAX_AGE_MS, Type.LONG, DEFAULT_IN_FLIGHT_MAX_AGE.toMillis(), Range.atLeast(60_000L), Importance.MEDIUM,
                        "Longest a domain's admitted request holds it in flight without an outcome; a new request for the domain "
                                + "after that is admitted (WARN, counted) instead of refused DOMAIN_IN_FLIGHT. Keep it above the "
                                + "watcher's watch.deadline.ms plus the connector's retry budgets."));
    }

    public static ServiceConfig load(Map<String, String> env) {
        return ServiceConfig.load(definition(), env);
    }

    public static IngestorSettings settings(ServiceConfig config) {
        return new IngestorSettings(
                new IngestorSettings.Limits(config.getInt(MAX_STRING), config.getInt(MAX_REQUEST_ID),
                        config.getInt(MAX_CORRELATION_ENTRIES), config.getInt(MAX_CORRELATION_KEY), config.getInt(MAX_CORRELATION_VALUE)),
                config.getDurationMs(DEDUP_RETENTION_MS), config.getDurationMs(DEDUP_PURGE_INTERVAL_MS), config.getInt(PARTITIONS),
                config.getDurationMs(IN_FLIGHT_MAX_AGE_MS));
    }

    /** Prints the README configuration table. */
    public static void main(String[] args) {
        System.out.print(ServiceConfig.markdownReference(definition()));
    }
}
