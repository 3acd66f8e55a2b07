package io.domainlink.watcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

import io.domainlink.common.config.ServiceConfig;
import io.domainlink.common.kafka.StreamsSupervisor;

/**
 * Every configuration key of the propagation watcher, defined once with its default, validator and description.
 * {@link #definition()} adds them to {@link ServiceConfig#common()}; values come from the environment
 * ({@code CHECK_FIRST_DELAY_MS}) or {@code CONFIG_FILE}.
 */
public final class WatcherConfig {

    public static final String APPLICATION_ID = "application.id";
    public static final String STATE_DIR = "state.dir";
    public static final String STREAM_THREADS = "stream.threads";

    public static final String FIRST_DELAY_MS = "check.first.delay.ms";
    public static final String INITIAL_INTERVAL_MS = "check.initial.interval.ms";
    public static final String MULTIPLIER = "check.interval.multiplier";
    public static final String MAX_INTERVAL_MS = "check.max.interval.ms";
    public static final String JITTER = "check.jitter";
    public static final String DEADLINE_MS = "watch.deadline.ms";
    public static final String FAILED_GRACE_MS = "failed.grace.ms";
    public static final String FAILED_INTERVAL_MS = "failed.check.interval.ms";
    public static final String RETRY_DELAY_MS = "check.retry.delay.ms";

    public static final String SCAN_INTERVAL_MS = "scan.interval.ms";
    public static final String SCAN_MAX_ENTRIES = "scan.max.entries";
    public static final String CHECKS_PER_SCAN = "scan.max.checks";
    public static final String CHECK_CONCURRENCY = "check.concurrency";
    public static final String CHECK_TIMEOUT_MS = "check.timeout.ms";

    public static final String WIX_BASE_URL = "wix.base.url";
    public static final String WIX_API_KEY = "wix.api.key";
    public static final String WIX_API_KEY_FILE = "wix.api.key.file";
    public static final String WIX_RATE_LIMIT = "wix.rate.limit.per.minute";
    public static final String WIX_RATE_SAFETY = "wix.rate.limit.safety.factor";

    public static final String ROCKSDB_CACHE_MB = "rocksdb.block.cache.mb";
    public static final String ROCKSDB_WRITE_BUFFER_MB = "rocksdb.write.buffer.mb";

    private WatcherConfig() {
    }

    public static ConfigDef definition() {
        Range positive = Range.atLeast(1);
        return StreamsSupervisor.define(ServiceConfig.common()
                .define(APPLICATION_ID, Type.STRING, "propagation-watcher", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        "Kafka Streams application id: consumer group, transactional id and internal topic prefix.")
                .define(STATE_DIR, Type.STRING, System.getProperty("java.io.tmpdir") + "/propagation-watcher", Importance.MEDIUM,
                        "Local directory of the RocksDB stores (watches and due-index). Losing it only costs a restore from the changelog.")
                .define(STREAM_THREADS, Type.INT, 1, positive, Importance.LOW,
                        "Kafka Streams threads of this instance.")
                .define(FIRST_DELAY_MS, Type.LONG, 5_000L, Range.atLeast(0), Importance.HIGH,
                        "First check this long after the ConnectionConfigured event is processed.")
                .define(INITIAL_INTERVAL_MS, Type.LONG, 15_000L, positive, Importance.HIGH,
                        "Interval after the first check; the fastest step (a RecheckRequested returns to it).")
                .define(MULTIPLIER, Type.DOUBLE, 2.0, Range.between(1.0, 10.0), Importance.HIGH,
                        "Each interval is the previous one times this factor, up to check.max.interval.ms.")
                .define(MAX_INTERVAL_MS, Type.LONG, 900_000L, positive, Importance.HIGH,
                        "Cap of the interval between two checks (the slow cadence).")
                .define(JITTER, Type.DOUBLE, 0.1, Range.between(0.0, 0.5), Importance.MEDIUM,
                        "Each delay is multiplied by a uniform random factor in [1 - jitter, 1 + jitter] so checks of a batch spread out.")
                .define(DEADLINE_MS, Type.LONG, Duration.ofHours(72).toMillis(), positive, Importance.HIGH,
                        "Give-up deadline counted from configuration: then DomainFailed(PROPAGATION_TIMEOUT) with the last seen status.")
                .define(FAILED_GRACE_MS, Type.LONG, Duration.ofHours(6).toMillis(), Range.atLeast(0), Importance.HIGH,
                        "After Wix first answers FAILED, keep checking this long (the owner may still fix DNS), then DomainFailed(PROPAGATION_FAILED).")
                .define(FAILED_INTERVAL_MS, Type.LONG, 900_000L, positive, Importance.MEDIUM,
                        "Interval between checks while Wix answers FAILED (the slow cadence).")
                .define(RETRY_DELAY_MS, Type.LONG, 10_000L, positive, Importance.MEDIUM,
                        "A check that failed with a retryable Wix error (I/O, timeout, 429, 5xx) is repeated after this (jittered) delay or the Retry-After, whichever is longer.")
                .define(SCAN_INTERVAL_MS, Type.LONG, 250L, positive, Importance.MEDIUM,
                        "How often (wall-clock) each task scans its due-index for due checks.")
                .define(SCAN_MAX_ENTRIES, Type.INT, 5_000, positive, Importance.LOW,
                        "Most due-index entries of each kind (deadlines, due checks) one scan looks at (bounds a scan when the rate limiter holds a large backlog).")
                .define(CHECKS_PER_SCAN, Type.INT, 64, positive, Importance.LOW,
                        "Most Wix checks one scan of one task starts, and most checks of one task running at a time.")
                .define(CHECK_CONCURRENCY, Type.INT, 16, positive, Importance.MEDIUM,
                        "Threads that run the Wix checks of a scan concurrently (shared by all tasks of the instance).")
                .define(CHECK_TIMEOUT_MS, Type.LONG, 10_000L, positive, Importance.MEDIUM,
                        "A check without an answer after this long is abandoned and counts as a retryable failure. Also the Wix call timeout.")
                .define(WIX_BASE_URL, Type.STRING, "https://www.wixapis.com", new ConfigDef.NonEmptyString(), Importance.HIGH,
                        "Base URL of the Wix REST API (the sandbox's URL locally and in tests).")
                .define(WIX_API_KEY, Type.PASSWORD, null, Importance.HIGH,
                        "Wix account-level API key. Prefer wix.api.key.file. Never logged.")
                .define(WIX_API_KEY_FILE, Type.STRING, null, Importance.HIGH,
                        "File holding the Wix API key (e.g. a mounted secret); used when wix.api.key is not set.")
                .define(WIX_RATE_LIMIT, Type.INT, 200, positive, Importance.HIGH,
                        "Wix requests per minute allowed per account; every check of the instance takes a permit of this shared limiter.")
                .define(WIX_RATE_SAFETY, Type.DOUBLE, 0.95, Range.between(0.05, 1.0), Importance.LOW,
                        "Share of wix.rate.limit.per.minute actually used, spent at a steady pace.")
                .define(ROCKSDB_CACHE_MB, Type.LONG, 32L, positive, Importance.LOW,
                        "RocksDB block cache shared by every store of the instance (index and filter blocks included).")
                .define(ROCKSDB_WRITE_BUFFER_MB, Type.LONG, 16L, positive, Importance.LOW,
                        "RocksDB memtable memory shared by every store of the instance (counted against the block cache)."));
    }

    /**
     * Loads from the environment (and {@code CONFIG_FILE}) and checks it, including that a Wix API key is given (by
     * value or file); fails with one message listing every problem.
     */
    public static ServiceConfig load(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        ServiceConfig config = null;
        try {
            config = ServiceConfig.load(definition(), env);
        } catch (ConfigException e) {
            problems.addAll(problems(e));
        }
        ConfigDef keys = new ConfigDef().define(definition().configKeys().get(WIX_API_KEY))
                .define(definition().configKeys().get(WIX_API_KEY_FILE));
        try {
            ServiceConfig k = config != null ? config : ServiceConfig.load(keys, env);
            if (blank(k.getString(WIX_API_KEY)) && blank(k.getString(WIX_API_KEY_FILE))) {
                problems.add(ServiceConfig.envName(WIX_API_KEY) + " or " + ServiceConfig.envName(WIX_API_KEY_FILE)
                        + ": set one (the Wix account-level API key)");
            }
        } catch (ConfigException e) {
            problems.addAll(problems(e).stream().filter(p -> !problems.contains(p)).toList());
        }
        if (!problems.isEmpty()) {
            throw new ConfigException("Invalid configuration, " + problems.size() + " problem(s):\n  - "
                    + String.join("\n  - ", problems));
        }
        return config;
    }

    private static List<String> problems(ConfigException e) {
        List<String> lines = new ArrayList<>(List.of(e.getMessage().split("\n  - ")));
        lines.remove(0);
        return lines;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** The schedule these settings describe. */
    public static Schedule schedule(ServiceConfig c) {
        return new Schedule(
                c.getDurationMs(FIRST_DELAY_MS),
                c.getDurationMs(INITIAL_INTERVAL_MS),
                c.getDouble(MULTIPLIER),
                c.getDurationMs(MAX_INTERVAL_MS),
                c.getDouble(JITTER),
                c.getDurationMs(DEADLINE_MS),
                c.getDurationMs(FAILED_GRACE_MS),
                c.getDurationMs(FAILED_INTERVAL_MS),
                c.getDurationMs(RETRY_DELAY_MS));
    }
}
