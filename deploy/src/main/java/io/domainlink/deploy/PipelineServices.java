package io.domainlink.deploy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.domainlink.common.config.ServiceConfig;
import io.domainlink.ingestor.IngestorConfig;
import io.domainlink.ingestor.RequestIngestorApp;

/**
 * Starts the three services in this JVM through the same {@code start(ServiceConfig)} their {@code main} uses, each
 * with the configuration it would read from its environment in production (environment-variable names, loaded with
 * {@link ServiceConfig#load}), in pipeline order: request-ingestor, domain-connector, propagation-watcher.
 */
final class PipelineServices {

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

    /** Told about each service once it runs, so the caller can stop it later. */
    interface Started {
        void accept(String name, AutoCloseable service, long startNanos);
    }

    /**
     * The watcher's schedule for the local stack: first check 1 s after configuration, then every 2 s growing to at
     * most 5 s, so a demo domain connects within seconds of Wix completing (production: 5 s, 15 s, x2, 15 min cap).
     */
    static final Map<String, String> LOCAL_WATCH_SCHEDULE = Map.of(
            "CHECK_FIRST_DELAY_MS", "1000",
            "CHECK_INITIAL_INTERVAL_MS", "2000",
            "CHECK_INTERVAL_MULTIPLIER", "1.5",
            "CHECK_MAX_INTERVAL_MS", "5000");

    private PipelineServices() {
    }

    static void startAll(Wiring w, Started started) {
        long t0 = System.nanoTime();
        Map<String, String> env = new HashMap<>(w.common());
        env.put(ServiceConfig.envName(IngestorConfig.STATE_DIR), w.stateDir().resolve("request-ingestor").toString());
        started.accept("request-ingestor", RequestIngestorApp.start(IngestorConfig.load(env)), System.nanoTime() - t0);
    }
}
