package io.domainlink.watcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.domainlink.common.config.ServiceConfig;
import io.domainlink.common.kafka.DeadLetterDeserializationHandler;
import io.domainlink.common.kafka.KafkaDefaults;
import io.domainlink.common.kafka.StreamsSupervisor;
import io.domainlink.common.registry.SchemaRegistryClient;
import io.domainlink.wix.ApiKey;
import io.domainlink.common.ops.OpsServer;
import io.domainlink.wix.WixCallListener;
import io.domainlink.wix.WixClient;
import io.domainlink.wix.WixMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.domainlink.wix.WixRateLimiter;

/**
 * The propagation watcher service: reads {@link WatcherConfig}, wires the Wix client, the instance's shared rate
 * limiter, the check executor and the Kafka Streams topology, runs until closed.
 *
 * <pre>{@code
 * try (PropagationWatcherApp app = PropagationWatcherApp.start(config)) { ... }
 * }</pre>
 */
public final class PropagationWatcherApp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PropagationWatcherApp.class);
    static final String STAGE = "propagation-watcher";

    private final KafkaStreams streams;
    private final StreamsSupervisor supervisor;
    private final ExecutorService executor;
    private final WixClient wix;
    private final SchemaRegistryClient registry;
    private final WatcherMetrics metrics;
    private final WixRateLimiter rateLimiter;
    private OpsServer ops;

    private PropagationWatcherApp(KafkaStreams streams, StreamsSupervisor supervisor, ExecutorService executor, WixClient wix,
                                  SchemaRegistryClient registry, WatcherMetrics metrics, WixRateLimiter rateLimiter) {
        this.streams = streams;
        this.supervisor = supervisor;
        this.executor = executor;
        this.wix = wix;
        this.registry = registry;
        this.metrics = metrics;
        this.rateLimiter = rateLimiter;
    }

    public static void main(String[] args) throws InterruptedException {
        ServiceConfig config;
        try {
            config = WatcherConfig.load(System.getenv());
            StreamsSupervisor.check(config);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        PropagationWatcherApp app = start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "propagation-watcher-shutdown"));
        app.supervisor.awaitTermination();
        if (app.supervisor.failed()) {
            System.exit(1); // the stream stopped on its own (the thread policy gave up): let the platform restart it
        }
    }

    /** Starts the service with the real Wix checker. */
    public static PropagationWatcherApp start(ServiceConfig config) {
        return start(config, UnaryOperator.identity());
    }

    /** Starts the service with the real Wix checker seen through {@code decorate} (tests record every check). */
    static PropagationWatcherApp start(ServiceConfig config, UnaryOperator<PropagationChecker> decorate) {
        WixRateLimiter limiter = rateLimiter(config);
        PrometheusMeterRegistry meters = config.getInt(ServiceConfig.HTTP_PORT) >= 0 ? OpsServer.newRegistry(STAGE) : null;
        // the watcher takes each check's permit from `limiter` itself; the client must not take a second one
        WixClient wix = WixClient.builder()
                .baseUrl(config.getString(WatcherConfig.WIX_BASE_URL))
                .apiKey(apiKey(config))
                .rateLimiter(WixRateLimiter.unlimited())
                .listener(meters != null ? new WixMetrics(meters) : WixCallListener.noop())
                .callTimeout(config.getDurationMs(WatcherConfig.CHECK_TIMEOUT_MS))
                .userAgent("domainlink-propagation-watcher")
                .build();
        return start(config, decorate.apply(new WixPropagationChecker(wix)), limiter, wix, meters);
    }

    /** Starts the service with another checker (tests, benchmark) and the given shared limiter. */
    public static PropagationWatcherApp start(ServiceConfig config, PropagationChecker checker, WixRateLimiter limiter) {
        return start(config, checker, limiter, null,
                config.getInt(ServiceConfig.HTTP_PORT) >= 0 ? OpsServer.newRegistry(STAGE) : null);
    }

    private static PropagationWatcherApp start(ServiceConfig config, PropagationChecker checker, WixRateLimiter limiter,
                                               WixClient wix, PrometheusMeterRegistry meters) {
        SchemaRegistryClient registry = KafkaDefaults.registry(config);
        WatcherMetrics metrics = new WatcherMetrics();
        int concurrency = config.getInt(WatcherConfig.CHECK_CONCURRENCY);
        AtomicInteger n = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "watcher-check-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        WatcherTopology.Wiring wiring = new WatcherTopology.Wiring(new WatchPolicy(WatcherConfig.schedule(config)),
                checker, CheckPermits.of(limiter), executor, metrics, config.getDurationMs(WatcherConfig.SCAN_INTERVAL_MS),
                config.getInt(WatcherConfig.SCAN_MAX_ENTRIES), config.getInt(WatcherConfig.CHECKS_PER_SCAN),
                config.getDurationMs(WatcherConfig.CHECK_TIMEOUT_MS), ThreadLocalRandom::current);
        Topology topology = WatcherTopology.build(wiring, registry,
                config.getBoolean(ServiceConfig.SCHEMA_REGISTRY_AUTO_REGISTER));
        StreamsSupervisor supervisor = StreamsSupervisor.of(config, STAGE);
        KafkaStreams streams = new KafkaStreams(topology, streamsProperties(config, metrics, supervisor));
        supervisor.supervise(streams);
        log.info("propagation watcher starting schedule={} rateLimiter={} concurrency={} config={}",
                wiring.policy().schedule(), limiter, concurrency, config);
        OpsServer ops = null;
        if (meters != null) {
            metrics.bindTo(meters);
            supervisor.bindTo(meters);
            new KafkaStreamsMetrics(streams).bindTo(meters); // includes the consumers' records-lag
            ops = OpsServer.start(config.getInt(ServiceConfig.HTTP_PORT), meters, supervisor::live, supervisor::ready);
        }
        streams.start();
        PropagationWatcherApp app = new PropagationWatcherApp(streams, supervisor, executor, wix, registry, metrics, limiter);
        app.ops = ops;
        return app;
    }

    static Properties streamsProperties(ServiceConfig config, WatcherMetrics metrics, StreamsSupervisor supervisor) {
        Properties p = streamsProperties(config);
        p.put(DeadLetterDeserializationHandler.COUNTER_CONFIG, (Runnable) metrics::deadLettered);
        supervisor.configure(p);
        return p;
    }

    static Properties streamsProperties(ServiceConfig config) {
        Properties p = KafkaDefaults.streams(config, config.getString(WatcherConfig.APPLICATION_ID), STAGE);
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.getString(WatcherConfig.STATE_DIR));
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.getInt(WatcherConfig.STREAM_THREADS));
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedMemoryRocksDbConfig.class);
        p.put(BoundedMemoryRocksDbConfig.CACHE_BYTES, config.getLong(WatcherConfig.ROCKSDB_CACHE_MB) << 20);
        p.put(BoundedMemoryRocksDbConfig.WRITE_BUFFER_BYTES, config.getLong(WatcherConfig.ROCKSDB_WRITE_BUFFER_MB) << 20);
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        return p;
    }

    static WixRateLimiter rateLimiter(ServiceConfig config) {
        return WixRateLimiter.builder()
                .declaredLimit(config.getInt(WatcherConfig.WIX_RATE_LIMIT))
                .safetyFactor(config.getDouble(WatcherConfig.WIX_RATE_SAFETY))
                .build();
    }

    private static ApiKey apiKey(ServiceConfig config) {
        String key = config.getString(WatcherConfig.WIX_API_KEY);
        if (key != null && !key.isBlank()) {
            return ApiKey.of(key);
        }
        String file = config.getString(WatcherConfig.WIX_API_KEY_FILE);
        if (file != null && !file.isBlank()) {
            return ApiKey.fromFile(Path.of(file));
        }
        throw new org.apache.kafka.common.config.ConfigException(
                "Invalid configuration: set WIX_API_KEY or WIX_API_KEY_FILE (the Wix account-level API key)");
    }

    public KafkaStreams streams() {
        return streams;
    }

    public WatcherMetrics metrics() {
        return metrics;
    }

    /** The thread policy and health of the stream (liveness, readiness, stalled partitions). */
    public StreamsSupervisor supervisor() {
        return supervisor;
    }

    /** The health/metrics endpoint's port, or -1 when it is off. */
    public int opsPort() {
        return ops == null ? -1 : ops.port();
    }

    public WixRateLimiter rateLimiter() {
        return rateLimiter;
    }

    /** Waits until the streams instance is RUNNING (all tasks assigned and restored). */
    public boolean awaitRunning(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (streams.state() == KafkaStreams.State.RUNNING) {
                return true;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    @Override
    public void close() {
        log.info("propagation watcher stopping metrics={}", metrics);
        supervisor.closing();
        // leave the group at once so the partitions move to the other instances without waiting for the session timeout
        streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (wix != null) {
            wix.close();
        }
        registry.close();
        if (ops != null) {
            ops.close();
        }
        log.info("propagation watcher stopped");
    }
}
