package io.domainlink.connector;

import java.nio.file.Path;
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
import io.domainlink.wix.ApiKey;
import io.domainlink.wix.RetryPolicy;
import io.domainlink.wix.WixClient;

/**
 * The domain-connector's configuration: {@link ServiceConfig#common()} plus the keys below, each defined once with
 * its default, validator and description. {@link #of(ServiceConfig)} adds the checks that span keys and gives typed
 * accessors. README's configuration table is {@code ServiceConfig.markdownReference(ConnectorConfig.definition())}.
 */
public final class ConnectorConfig {

    public static final String GROUP_ID = "consumer.group.id";
    public static final String WIX_BASE_URL = "wix.base.url";
    public static final String WIX_API_KEY = "wix.api.key";
    public static final String WIX_API_KEY_FILE = "wix.api.key.file";
    public static final String WIX_CONNECT_TIMEOUT = "wix.connect.timeout.ms";
    public static final String WIX_READ_TIMEOUT = "wix.read.timeout.ms";
    public static final String WIX_WRITE_TIMEOUT = "wix.write.timeout.ms";
    public static final String WIX_CALL_TIMEOUT = "wix.call.timeout.ms";
    public static final String WIX_RETRY_MAX_ATTEMPTS = "wix.retry.max.attempts";
    public static final String WIX_RETRY_INITIAL_BACKOFF = "wix.retry.initial.backoff.ms";
    public static final String WIX_RETRY_MAX_BACKOFF = "wix.retry.max.backoff.ms";
    public static final String WIX_RETRY_MAX_ELAPSED = "wix.retry.max.elapsed.ms";
    public static final String WIX_RATE_LIMIT = "wix.rate.limit.per.minute";
    public static final String MAX_IN_FLIGHT = "max.in.flight";
    public static final String POLL_INTERVAL = "poll.interval.ms";
    public static final String COMMIT_INTERVAL = "commit.interval.ms";
    public static final String REGISTRY_RETRY_BACKOFF = "registry.retry.backoff.ms";
    public static final String SHUTDOWN_TIMEOUT = "shutdown.timeout.ms";
    public static final String COMPENSATION_CANCEL_PACKAGE = "compensation.cancel.package";
    public static final String STUCK_AFTER_MS = "stuck.after.ms";

    private final ServiceConfig config;

    private ConnectorConfig(ServiceConfig config) {
        this.config = config;
    }

    public static ConfigDef definition() {
        return ServiceConfig.common()
                .define(GROUP_ID, Type.STRING, "domain-connector", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        "Kafka consumer group of the connector's instances; partitions of domains.accepted are shared among them.")
                .define(WIX_BASE_URL, Type.STRING, WixClient.DEFAULT_BASE_URL, httpUrl(), Importance.HIGH,
                        "Base URL of the Wix REST API (a sandbox URL in tests and the local stack).")
                .define(WIX_API_KEY, Type.PASSWORD, null, Importance.HIGH,
                        "Wix account-level API key. Give this or wix.api.key.file, not both. Never logged.")
                .define(WIX_API_KEY_FILE, Type.STRING, "", Importance.HIGH,
                        "File holding the Wix API key (e.g. a mounted secret). Give this or wix.api.key, not both.")
                .define(WIX_CONNECT_TIMEOUT, Type.LONG, 5_000L, Range.atLeast(1), Importance.LOW,
                        "TCP connect timeout of one Wix HTTP attempt, ms.")
                .define(WIX_READ_TIMEOUT, Type.LONG, 15_000L, Range.atLeast(1), Importance.LOW,
                        "Longest silence while reading a Wix response, ms.")
                .define(WIX_WRITE_TIMEOUT, Type.LONG, 15_000L, Range.atLeast(1), Importance.LOW,
                        "Longest stall while writing a Wix request, ms.")
                .define(WIX_CALL_TIMEOUT, Type.LONG, 30_000L, Range.atLeast(1), Importance.LOW,
                        "Whole-attempt limit of one Wix HTTP attempt, ms.")
                .define(WIX_RETRY_MAX_ATTEMPTS, Type.INT, RetryPolicy.DEFAULT_MAX_ATTEMPTS, Range.between(1, 100), Importance.MEDIUM,
                        "HTTP attempts per Wix call, the first included, for retryable errors (I/O, timeout, 429, 5xx).")
                .define(WIX_RETRY_INITIAL_BACKOFF, Type.LONG, RetryPolicy.DEFAULT_INITIAL_BACKOFF.toMillis(), Range.atLeast(0),
                        Importance.LOW, "Ceiling of the first jittered backoff between Wix attempts, ms (doubles each retry).")
                .define(WIX_RETRY_MAX_BACKOFF, Type.LONG, RetryPolicy.DEFAULT_MAX_BACKOFF.toMillis(), Range.atLeast(0),
                        Importance.LOW, "Cap of the jittered backoff, ms; a Retry-After is honoured on top of it.")
                .define(WIX_RETRY_MAX_ELAPSED, Type.LONG, 120_000L, Range.atLeast(0), Importance.MEDIUM,
                        "A Wix call gives up (RETRIES_EXHAUSTED) when its next backoff would end later than this after its first attempt, ms; 0: attempts only.")
                .define(WIX_RATE_LIMIT, Type.INT, 200, Range.between(1, 100_000), Importance.MEDIUM,
                        "Wix requests per minute and account this instance may make (spent at 95%, evenly); every attempt counts.")
                .define(MAX_IN_FLIGHT, Type.INT, 64, Range.between(1, 10_000), Importance.MEDIUM,
                        "Records processed at once by one instance (one worker thread each); partitions are paused at the limit.")
                .define(POLL_INTERVAL, Type.LONG, 100L, Range.between(1, 60_000), Importance.LOW,
                        "Longest a poll waits for records, ms; also how often finished work is looked at.")
                .define(COMMIT_INTERVAL, Type.LONG, 100L, Range.between(0, 60_000), Importance.LOW,
                        "Least time between two transactions that publish finished work with its offsets, ms.")
                .define(REGISTRY_RETRY_BACKOFF, Type.LONG, 1_000L, Range.between(1, 600_000), Importance.LOW,
                        "Wait before reading or writing a record again while the schema registry is unavailable, ms.")
                .define(SHUTDOWN_TIMEOUT, Type.LONG, 10_000L, Range.between(0, 600_000), Importance.LOW,
                        "On a clean stop, how long in-flight records may finish before the rest is left for re-delivery, ms.")
                .define(COMPENSATION_CANCEL_PACKAGE, Type.BOOLEAN, false, Importance.MEDIUM,
                        "Cancel the Premium package a request bought (Wix Cancel Package) when its connection then fails "
                                + "permanently; DomainFailed tells packageId and packageCanceled. Off: the package stays and "
                                + "DomainFailed still names it.")
                .define(STUCK_AFTER_MS, Type.LONG, 1_800_000L, Range.atLeast(1L), Importance.MEDIUM,
                        "Not ready while a partition's oldest uncommitted record was dispatched this long ago, ms. Default: "
                                + "twice the longest a request can take by the retry settings (8 Wix calls, each up to "
                                + "wix.retry.max.elapsed.ms plus one wix.call.timeout.ms: 20 min) plus rate-limiter waits.");
    }

    /** Loads from the environment (and CONFIG_FILE) and checks it. */
    public static ConnectorConfig load(Map<String, String> env) {
        ServiceConfig config;
        try {
            config = ServiceConfig.load(definition(), env);
        } catch (ConfigException e) {
            // report the API key too, so one message lists every problem
            List<String> problems = new ArrayList<>(List.of(e.getMessage().split("\n  - ")));
            problems.remove(0);
            problems.addAll(apiKeyProblems(env));
            throw new ConfigException("Invalid configuration, " + problems.size() + " problem(s):\n  - "
                    + String.join("\n  - ", problems));
        }
        return of(config);
    }

    /** The API key check alone, read the same way (environment, then CONFIG_FILE); empty when the key settings are fine. */
    private static List<String> apiKeyProblems(Map<String, String> env) {
        ConfigDef keys = new ConfigDef()
                .define(definition().configKeys().get(WIX_API_KEY))
                .define(definition().configKeys().get(WIX_API_KEY_FILE));
        try {
            of(ServiceConfig.load(keys, env), false);
            return List.of();
        } catch (ConfigException e) {
            List<String> problems = new ArrayList<>(List.of(e.getMessage().split("\n  - ")));
            problems.remove(0);
            return problems;
        }
    }

    /** Checks what spans keys; fails listing every problem. */
    public static ConnectorConfig of(ServiceConfig config) {
        return of(config, true);
    }

    private static ConnectorConfig of(ServiceConfig config, boolean all) {
        List<String> problems = new ArrayList<>();
        boolean key = config.getString(WIX_API_KEY) != null && !config.getString(WIX_API_KEY).isBlank();
        boolean file = !config.getString(WIX_API_KEY_FILE).isBlank();
        if (key == file) {
            problems.add(ServiceConfig.envName(WIX_API_KEY) + " or " + ServiceConfig.envName(WIX_API_KEY_FILE)
                    + ": give exactly one (" + (key ? "both are set" : "neither is set") + ")");
        }
        if (all && config.getLong(WIX_RETRY_INITIAL_BACKOFF) > config.getLong(WIX_RETRY_MAX_BACKOFF)) {
            problems.add(ServiceConfig.envName(WIX_RETRY_INITIAL_BACKOFF) + " must not exceed "
                    + ServiceConfig.envName(WIX_RETRY_MAX_BACKOFF));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException("Invalid configuration, " + problems.size() + " problem(s):\n  - "
                    + String.join("\n  - ", problems));
        }
        return new ConnectorConfig(config);
    }

    public ServiceConfig service() {
        return config;
    }

    public ApiKey apiKey() {
        String file = config.getString(WIX_API_KEY_FILE);
        return file.isBlank() ? ApiKey.of(config.getString(WIX_API_KEY)) : ApiKey.fromFile(Path.of(file));
    }

    public RetryPolicy retryPolicy() {
        RetryPolicy p = new RetryPolicy(config.getInt(WIX_RETRY_MAX_ATTEMPTS), ms(WIX_RETRY_INITIAL_BACKOFF),
                ms(WIX_RETRY_MAX_BACKOFF), RetryPolicy.DEFAULT_MULTIPLIER, java.util.Optional.empty());
        long elapsed = config.getLong(WIX_RETRY_MAX_ELAPSED);
        return elapsed == 0 ? p : p.withMaxElapsed(Duration.ofMillis(elapsed));
    }

    public Duration ms(String key) {
        return config.getDurationMs(key);
    }

    public int getInt(String key) {
        return config.getInt(key);
    }

    public String getString(String key) {
        return config.getString(key);
    }

    /** {@value #COMPENSATION_CANCEL_PACKAGE}: cancel a failed request's Premium package (off by default). */
    public boolean cancelPackageOnFailure() {
        return config.getBoolean(COMPENSATION_CANCEL_PACKAGE);
    }

    public String instanceId() {
        return config.getString(ServiceConfig.INSTANCE_ID);
    }

    /** Stable per instance, so a restarted instance fences its previous self (KIP-447 keeps it safe across rebalances). */
    public String transactionalId() {
        return getString(GROUP_ID) + "-" + instanceId();
    }

    @Override
    public String toString() {
        return config.toString();
    }

    private static ConfigDef.Validator httpUrl() {
        return (name, value) -> {
            String s = value == null ? "" : value.toString();
            if (okhttp3.HttpUrl.parse(s) == null) {
                throw new ConfigException(name, value, "must be an http:// or https:// URL");
            }
        };
    }
}
