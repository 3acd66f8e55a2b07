package io.domainlink.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.streams.KafkaStreams;

import io.domainlink.common.config.ServiceConfig;
import io.domainlink.connector.ConnectorConfig;
import io.domainlink.connector.DomainConnectorApp;
import io.domainlink.ingestor.IngestorConfig;
import io.domainlink.ingestor.RequestIngestorApp;
import io.domainlink.watcher.PropagationWatcherApp;
import io.domainlink.watcher.WatcherConfig;

/**
 * Starts the three services in this JVM through the same {@code start(ServiceConfig)} their {@code main} uses, each
 * with the configuration it would read from its environment in production (environment-variable names, loaded by the
 * service's own config class), in pipeline order: request-ingestor, domain-connector, propagation-watcher. Each is
 * waited for until it runs.
 */
final class PipelineServices {

    static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    /**
     * The watcher's schedule for the local stack: first check 1 s after configuration, then every 2 s growing by 1.5
     * to at most 5 s, so a demo domain connects within seconds of Wix completing (production: 5 s, 15 s, x2, 15 min cap).
     */
    static final Map<String, String> LOCAL_WATCH_SCHEDULE = Map.of(
            ServiceConfig.envName(WatcherConfig.FIRST_DELAY_MS), "1000",
            ServiceConfig.envName(WatcherConfig.INITIAL_INTERVAL_MS), "2000",
            ServiceConfig.envName(WatcherConfig.MULTIPLIER), "1.5",
            ServiceConfig.envName(WatcherConfig.MAX_INTERVAL_MS), "5000",
            ServiceConfig.envName(WatcherConfig.RETRY_DELAY_MS), "2000");

    /**
     * @param common           keys every service gets (bootstrap servers, registry, instance id, ...)
     * @param stateDir         parent of each service's Kafka Streams state folder
     * @param wixBaseUrl       the sandbox standing in for https://www.wixapis.com
     * @param wixApiKey        the account-level API key the sandbox accepts
     * @param watcherOverrides extra watcher settings, e.g. the demo's short check schedule
     */
    record Wiring(Map<String, String> common, Path stateDir, String wixBaseUrl, String wixApiKey,
                  Map<String, String> watcherOverrides) {
    }

    /** Told about each service as soon as it exists (to stop it later) and once it runs. */
    interface Listener {
        void started(String name, AutoCloseable service);

        void ready(String name, long startNanos);
    }

    private PipelineServices() {
    }

    static void startAll(Wiring w, Listener listener) {
        long t0 = System.nanoTime();
        Map<String, String> env = new HashMap<>(w.common());
        env.put(ServiceConfig.envName(IngestorConfig.STATE_DIR), w.stateDir().resolve("request-ingestor").toString());
        RequestIngestorApp ingestor = RequestIngestorApp.start(IngestorConfig.load(env));
        listener.started("request-ingestor", ingestor);
        awaitRunning("request-ingestor", () -> ingestor.streams().state() == KafkaStreams.State.RUNNING);
        listener.ready("request-ingestor", System.nanoTime() - t0);

        t0 = System.nanoTime();
        env = new HashMap<>(w.common());
        env.put(ServiceConfig.envName(ConnectorConfig.WIX_BASE_URL), w.wixBaseUrl());
        env.put(ServiceConfig.envName(ConnectorConfig.WIX_API_KEY), w.wixApiKey());
        DomainConnectorApp connector = DomainConnectorApp.start(ConnectorConfig.load(env).service());
        listener.started("domain-connector", connector);
        awaitRunning("domain-connector", () -> connector.awaitRunning(Duration.ofMillis(100)));
        listener.ready("domain-connector", System.nanoTime() - t0);

        t0 = System.nanoTime();
        env = new HashMap<>(w.common());
        env.put(ServiceConfig.envName(WatcherConfig.STATE_DIR), w.stateDir().resolve("propagation-watcher").toString());
        env.put(ServiceConfig.envName(WatcherConfig.WIX_BASE_URL), w.wixBaseUrl());
        env.put(ServiceConfig.envName(WatcherConfig.WIX_API_KEY), w.wixApiKey());
        env.putAll(w.watcherOverrides());
        PropagationWatcherApp watcher = PropagationWatcherApp.start(ServiceConfig.load(WatcherConfig.definition(), env));
        listener.started("propagation-watcher", watcher);
        awaitRunning("propagation-watcher", () -> watcher.awaitRunning(Duration.ofMillis(100)));
        listener.ready("propagation-watcher", System.nanoTime() - t0);
    }

    interface Check {
        boolean ok() throws Exception;
    }

    private static void awaitRunning(String name, Check running) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try {
            while (!running.ok()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(name + " not running within " + READY_TIMEOUT + " (see the log)");
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting " + name, e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(name + " failed to start: " + e.getMessage(), e);
        }
    }
}
