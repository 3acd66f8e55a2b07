package io.domainlink.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.domainlink.common.config.ServiceConfig;
import io.domainlink.common.registry.RegistryConfig;
import io.domainlink.common.registry.SchemaRegistryClient;
import io.domainlink.connector.ConnectorConfig;
import io.domainlink.deploy.BenchDeploy;
import io.domainlink.watcher.WatcherConfig;
import io.domainlink.wix.sandbox.SandboxConfig;
import io.domainlink.wix.sandbox.Scenario;
import io.domainlink.wix.sandbox.WixSandbox;

/**
 * One benchmark scenario's infrastructure, wired as {@code deploy/local-stack.sh} wires it: a fresh Kafka broker
 * child process (KRaft, its own data folder, so every scenario starts from empty topics), the topics from
 * {@code Topics}, the Wix sandbox in this JVM, and the three services in this JVM through their
 * {@code start(ServiceConfig)}. The schema registry child process is shared by all scenarios of a run
 * ({@link Registry}). {@link #close()} stops everything in reverse order and deletes the scenario's data.
 */
final class BenchStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BenchStack.class);

    /** The Apicurio registry child process, started once per harness run. */
    static final class Registry implements AutoCloseable {
        final BenchDeploy.Child child;
        final SchemaRegistryClient client;

        Registry(Path dataDir) {
            this.child = BenchDeploy.startRegistry(dataDir, freePort());
            this.client = new SchemaRegistryClient(RegistryConfig.of(child.address()));
        }

        String url() {
            return child.address();
        }

        @Override
        public void close() throws Exception {
            client.close();
            child.close();
        }
    }

    private final Path dir;
    final BenchDeploy.Child broker;
    final WixSandbox sandbox;
    final Registry registry;
    private final List<AutoCloseable> services = new ArrayList<>();

    private BenchStack(Path dir, BenchDeploy.Child broker, WixSandbox sandbox, Registry registry) {
        this.dir = dir;
        this.broker = broker;
        this.sandbox = sandbox;
        this.registry = registry;
    }

    /** A fresh broker (data in {@code dir}), the topics, and a sandbox playing {@code scenario}; no services yet. */
    static BenchStack start(Path dir, Registry registry, Scenario scenario, String brokerHeap) {
        deleteTree(dir);
        BenchDeploy.Child broker = BenchDeploy.startBroker(dir, freePort(), freePort(), System.getProperty("java.class.path"), brokerHeap);
        WixSandbox sandbox = null;
        try {
            BenchDeploy.createTopics(broker.address());
            sandbox = WixSandbox.start(SandboxConfig.defaults().withThreads(32).withScenario(scenario));
            return new BenchStack(dir, broker, sandbox, registry);
        } catch (RuntimeException e) {
            if (sandbox != null) {
                sandbox.close();
            }
            closeQuietly(broker);
            throw e;
        }
    }

    /**
     * Wix as the benchmark wants it: every site premium (no plan needed), propagation COMPLETED at once, the owner's
     * records in place at once (POINTING, SUBDOMAIN): every flow completes at the watcher's first check.
     */
    static Scenario instantWix(Integer rateLimitPerMinute) {
        Scenario s = new Scenario().allSitesPremium(true);
        s.propagation.delayMs = 0;
        s.propagation.autoOwnerRecordsAfterMs = 0L;
        s.rateLimitPerMinute = rateLimitPerMinute;
        return s;
    }

    /**
     * Starts the three services. Each gets what it would read from its environment in production plus
     * {@code connector} (domain-connector's keys; harmless to the others, which ignore keys they do not define) and
     * {@code watcher} on top for the watcher. The watcher's first check is due at once.
     */
    void startServices(Map<String, String> connector, Map<String, String> watcher) {
        Map<String, String> common = new HashMap<>();
        common.put(ServiceConfig.envName(ServiceConfig.BOOTSTRAP_SERVERS), broker.address());
        common.put(ServiceConfig.envName(ServiceConfig.SCHEMA_REGISTRY_URL), registry.url());
        common.put(ServiceConfig.envName(ServiceConfig.INSTANCE_ID), "bench-1");
        common.put(ServiceConfig.envName(ServiceConfig.REPLICATION_FACTOR), "1");
        common.put(ServiceConfig.envName(ServiceConfig.HTTP_PORT), "-1");
        common.putAll(connector);
        Map<String, String> w = new HashMap<>();
        w.put(ServiceConfig.envName(WatcherConfig.FIRST_DELAY_MS), "0");
        w.put(ServiceConfig.envName(WatcherConfig.INITIAL_INTERVAL_MS), "1000");
        w.put(ServiceConfig.envName(WatcherConfig.MAX_INTERVAL_MS), "5000");
        w.put(ServiceConfig.envName(WatcherConfig.RETRY_DELAY_MS), "1000");
        w.putAll(watcher);
        services.addAll(BenchDeploy.startServices(common, dir.resolve("state"), sandbox.baseUrl(), Scenario.DEFAULT_API_KEY, w));
    }

    /** Rate limit off: the connector's highest allowed limit per account, the watcher's limiter effectively unlimited. */
    static Map<String, String> connectorUnlimited(int maxInFlight) {
        return Map.of(ServiceConfig.envName(ConnectorConfig.WIX_RATE_LIMIT), "100000",
                ServiceConfig.envName(ConnectorConfig.MAX_IN_FLIGHT), Integer.toString(maxInFlight));
    }

    static Map<String, String> watcherUnlimited() {
        return Map.of(ServiceConfig.envName(WatcherConfig.WIX_RATE_LIMIT), Integer.toString(Integer.MAX_VALUE));
    }

    void stopServices() {
        for (int i = services.size() - 1; i >= 0; i--) {
            closeQuietly(services.get(i));
        }
        services.clear();
    }

    /** Broker process resident memory (VmRSS), bytes; -1 where /proc is not available. */
    long brokerRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + broker.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    long brokerDiskBytes() {
        return du(dir.resolve("kafka"));
    }

    long stateDiskBytes() {
        return du(dir.resolve("state"));
    }

    @Override
    public void close() {
        stopServices();
        sandbox.close();
        closeQuietly(broker);
        deleteTree(dir);
    }

    /** This JVM's heap in use after full collections, bytes. */
    static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Disk actually allocated under {@code p} ({@code du -sk}: Kafka's index files are sparse, their length is not disk). */
    static long du(Path p) {
        if (!Files.exists(p)) {
            return 0;
        }
        try {
            Process du = new ProcessBuilder("du", "-sk", p.toString()).redirectErrorStream(false).start();
            String first = new String(du.getInputStream().readAllBytes()).trim().split("\\s+")[0];
            du.waitFor();
            return Long.parseLong(first) * 1024;
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> files = Files.walk(p)) {
            files.sorted(Collections.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            log.warn("could not delete dir={} error={}", p, e.toString());
        }
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            log.warn("could not stop cleanly what={} error={}", c, e.toString());
        }
    }
}
