package io.domainlink.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.domainlink.common.Topics;
import io.domainlink.common.config.ServiceConfig;
import io.domainlink.connector.AfterWixCall;
import io.domainlink.connector.ConnectorConfig;
import io.domainlink.connector.ConnectorTestHooks;
import io.domainlink.connector.DomainConnectorApp;
import io.domainlink.ingestor.IngestorConfig;
import io.domainlink.ingestor.RequestIngestorApp;
import io.domainlink.testsupport.KafkaCluster;
import io.domainlink.watcher.PropagationWatcherApp;
import io.domainlink.watcher.WatcherConfig;
import io.domainlink.wix.sandbox.Scenario;

/**
 * The pipeline under test: the topics from {@link Topics} and instances of the three services, each configured the way
 * its environment would configure it in production (environment-variable names loaded by the service's own config
 * class, as {@code deploy}'s {@code PipelineServices} does), started either in this JVM ({@link #start}) or as a child
 * JVM running the service's real {@code main} ({@link #spawn}) that can be killed with {@code SIGKILL} or paused.
 *
 * <p>Test settings differ from production only where a scenario would otherwise wait for minutes: the watcher's check
 * schedule (first check after 0.5 s, then every 1 s growing to 3 s), the Wix rate limits (high, unless a scenario
 * enforces one), consumer session timeouts (6 s) and the connector's transaction timeout (15 s).
 */
final class Pipeline implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Pipeline.class);
    static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    /** Where the child JVMs' output goes (kept after the test, for a failure's post-mortem). */
    static final Path CHILD_LOGS = Path.of("target", "child-logs");

    /** The watcher's schedule for scenarios (production: 5 s, 15 s, x2, 15 min cap). */
    static final Map<String, String> FAST_WATCH_SCHEDULE = Map.of(
            WatcherConfig.FIRST_DELAY_MS, "500",
            WatcherConfig.INITIAL_INTERVAL_MS, "1000",
            WatcherConfig.MULTIPLIER, "1.5",
            WatcherConfig.MAX_INTERVAL_MS, "3000",
            WatcherConfig.RETRY_DELAY_MS, "1000",
            WatcherConfig.SCAN_INTERVAL_MS, "100");

    /** One running instance of a service. */
    interface Instance extends AutoCloseable {
        Service service();

        String instanceId();

        /** The child JVM's process id, or -1 in this JVM. */
        default long pid() {
            return -1;
        }

        /** {@code kill -9} (child JVMs only). */
        default void kill() {
            throw new UnsupportedOperationException(this + " runs in the test JVM: it cannot be killed, only closed");
        }

        /** {@code kill -STOP} (child JVMs only). */
        default void pause() {
            throw new UnsupportedOperationException(this + " runs in the test JVM: it cannot be paused");
        }

        /** {@code kill -CONT} (child JVMs only). */
        default void resume() {
            throw new UnsupportedOperationException(this + " runs in the test JVM: it cannot be resumed");
        }

        /** Clean stop (what SIGTERM does). */
        @Override
        void close();
    }

    private final KafkaCluster kafka;
    private final String registryUrl;
    private final Path dir;
    private final short replicationFactor;
    private final Map<String, String> common = new HashMap<>();
    private final Map<Service, Map<String, String>> perService = new HashMap<>();
    private final Deque<Instance> running = new ArrayDeque<>();
    private volatile String wixBaseUrl;

    /**
     * @param dir               state directories and child logs
     * @param replicationFactor of the pipeline's topics and of the services' internal topics; with 3, the topics also
     *                          get {@code min.insync.replicas=2} (production settings)
     */
    Pipeline(KafkaCluster kafka, String registryUrl, String wixBaseUrl, Path dir, int replicationFactor) {
        this.kafka = kafka;
        this.registryUrl = registryUrl;
        this.wixBaseUrl = wixBaseUrl;
        this.dir = dir;
        this.replicationFactor = (short) replicationFactor;
        common.put(ServiceConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        common.put(ServiceConfig.SCHEMA_REGISTRY_URL, registryUrl);
        common.put(ServiceConfig.HTTP_PORT, "-1");
        common.put(ServiceConfig.REPLICATION_FACTOR, Integer.toString(replicationFactor));
        common.put("KAFKA_SESSION_TIMEOUT_MS", "6000");
        common.put("KAFKA_HEARTBEAT_INTERVAL_MS", "1000");
        perService.put(Service.INGESTOR, new HashMap<>(Map.of(IngestorConfig.SHUTDOWN_TIMEOUT_MS, "10000")));
        perService.put(Service.CONNECTOR, new HashMap<>(Map.of(
                ConnectorConfig.WIX_RATE_LIMIT, "60000",
                ConnectorConfig.SHUTDOWN_TIMEOUT, "5000",
                "KAFKA_TRANSACTION_TIMEOUT_MS", "15000")));
        Map<String, String> watcher = new HashMap<>(FAST_WATCH_SCHEDULE);
        watcher.put(WatcherConfig.WIX_RATE_LIMIT, "60000");
        perService.put(Service.WATCHER, watcher);
        createTopics();
    }

    /** Every topic of {@link Topics} with its declared partitions and configs; min ISR 2 when replicated 3 times. */
    private void createTopics() {
        Map<String, String> extra = replicationFactor >= 3 ? Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "2") : Map.of();
        kafka.createTopics(Topics.all().stream().map(t -> t.newTopic(t.defaultPartitions(), replicationFactor, extra)).toList());
    }

    /** Sets a service setting (config key, or {@code KAFKA_*} passthrough name) for instances started from now on. */
    Pipeline set(Service service, String key, String value) {
        perService.get(service).put(key, value);
        return this;
    }

    /** Removes a setting given with {@link #set} (instances started from now on get the default again). */
    Pipeline unset(Service service, String key) {
        perService.get(service).remove(key);
        return this;
    }

    /** Points instances started from now on at another Wix base URL (a proxy in front of the sandbox). */
    void wixBaseUrl(String url) {
        this.wixBaseUrl = url;
    }

    String registryUrl() {
        return registryUrl;
    }

    /** The service's environment, as production would give it (variable names). */
    Map<String, String> environment(Service service, String instanceId) {
        Map<String, String> env = new HashMap<>();
        common.forEach((k, v) -> env.put(envName(k), v));
        env.put(envName(ServiceConfig.INSTANCE_ID), instanceId);
        switch (service) {
            case INGESTOR -> env.put(envName(IngestorConfig.STATE_DIR), stateDir(service, instanceId));
            case CONNECTOR -> {
                env.put(envName(ConnectorConfig.WIX_BASE_URL), wixBaseUrl);
                env.put(envName(ConnectorConfig.WIX_API_KEY), Scenario.DEFAULT_API_KEY);
            }
            case WATCHER -> {
                env.put(envName(WatcherConfig.STATE_DIR), stateDir(service, instanceId));
                env.put(envName(WatcherConfig.WIX_BASE_URL), wixBaseUrl);
                env.put(envName(WatcherConfig.WIX_API_KEY), Scenario.DEFAULT_API_KEY);
            }
            default -> throw new IllegalArgumentException(service.name());
        }
        perService.get(service).forEach((k, v) -> env.put(envName(k), v));
        return env;
    }

    private static String envName(String key) {
        return key.startsWith(ServiceConfig.KAFKA_ENV_PREFIX) ? key : ServiceConfig.envName(key);
    }

    private String stateDir(Service service, String instanceId) {
        return dir.resolve("state").resolve(service.group + "-" + instanceId).toString();
    }

    // ---------------------------------------------------------------- in this JVM

    /** Starts an instance in this JVM through the service's own {@code start(ServiceConfig)} and waits until it runs. */
    Instance start(Service service, String instanceId) {
        Map<String, String> env = environment(service, instanceId);
        return switch (service) {
            case INGESTOR -> {
                RequestIngestorApp app = RequestIngestorApp.start(IngestorConfig.load(env));
                yield ready(new InJvm(service, instanceId, app), () -> app.streams().state() == KafkaStreams.State.RUNNING);
            }
            case CONNECTOR -> {
                DomainConnectorApp app = DomainConnectorApp.start(ConnectorConfig.load(env).service());
                yield ready(new InJvm(service, instanceId, app), () -> app.awaitRunning(Duration.ofMillis(100)));
            }
            case WATCHER -> {
                PropagationWatcherApp app = PropagationWatcherApp.start(ServiceConfig.load(WatcherConfig.definition(), env));
                yield ready(new InJvm(service, instanceId, app), () -> app.awaitRunning(Duration.ofMillis(100)));
            }
        };
    }

    /** A connector in this JVM that calls {@code hook} right after each Wix call answered (crash scenarios). */
    /** One in-JVM instance of each service: {@code i1}, {@code c1}, {@code w1}. */
    void startAll() {
        start(Service.INGESTOR, "i1");
        start(Service.CONNECTOR, "c1");
        start(Service.WATCHER, "w1");
    }

    DomainConnectorApp startConnector(String instanceId, AfterWixCall hook) {
        DomainConnectorApp app = ConnectorTestHooks.start(ConnectorConfig.load(environment(Service.CONNECTOR, instanceId)).service(), hook);
        ready(new InJvm(Service.CONNECTOR, instanceId, app), () -> app.awaitRunning(Duration.ofMillis(100)));
        return app;
    }

    /** A connector in this JVM that dies inside its first transaction with results, before the commit. */
    DomainConnectorApp startConnectorDyingBeforeCommit(String instanceId) {
        java.util.concurrent.atomic.AtomicReference<DomainConnectorApp> self = new java.util.concurrent.atomic.AtomicReference<>();
        DomainConnectorApp app = ConnectorTestHooks.startDyingBeforeCommit(
                ConnectorConfig.load(environment(Service.CONNECTOR, instanceId)).service(), self);
        self.set(app);
        ready(new InJvm(Service.CONNECTOR, instanceId, app), () -> app.awaitRunning(Duration.ofMillis(100)));
        return app;
    }

    private record InJvm(Service service, String instanceId, AutoCloseable app) implements Instance {
        @Override
        public void close() {
            try {
                app.close();
            } catch (Exception e) {
                log.warn("closing {} {} failed: {}", service, instanceId, e.toString(), e);
            }
        }

        @Override
        public String toString() {
            return service.group + "/" + instanceId + " (in-JVM)";
        }
    }

    // ---------------------------------------------------------------- child JVMs

    /** Starts an instance as a child JVM running the service's {@code main}, and waits until it is a member of its group. */
    Instance spawn(Service service, String instanceId) {
        List<String> args = List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", ChildJvm.testClasspath(), service.mainClass);
        ChildJvm child = ChildJvm.start(service.group + "-" + instanceId, args, environment(service, instanceId),
                CHILD_LOGS.resolve(service.group + "-" + instanceId + "-" + System.currentTimeMillis() + ".log"));
        Child instance = new Child(service, instanceId, child);
        try {
            awaitMember(service, instanceId, child);
        } catch (RuntimeException | Error e) {
            child.kill();
            throw e;
        }
        synchronized (running) {
            running.push(instance);
        }
        return instance;
    }

    private record Child(Service service, String instanceId, ChildJvm jvm) implements Instance {
        @Override
        public long pid() {
            return jvm.pid();
        }

        @Override
        public void kill() {
            jvm.kill();
        }

        @Override
        public void pause() {
            jvm.pause();
        }

        @Override
        public void resume() {
            jvm.resume();
        }

        @Override
        public void close() {
            jvm.stop(Duration.ofSeconds(30));
        }

        @Override
        public String toString() {
            return service.group + "/" + instanceId + " (pid " + jvm.pid() + ")";
        }
    }

    /** Waits until the group is stable with a member of this instance (its client id starts with {@code <group>-<id>}). */
    private void awaitMember(Service service, String instanceId, ChildJvm child) {
        String prefix = service.clientIdPrefix(instanceId);
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            if (!child.isAlive()) {
                throw new IllegalStateException(child.name() + " exited before it joined its group:\n" + child.logTail(40));
            }
            try {
                ConsumerGroupDescription d = kafka.admin().describeConsumerGroups(List.of(service.group)).all()
                        .get(10, TimeUnit.SECONDS).get(service.group);
                Collection<MemberDescription> members = d.members();
                if (d.groupState() == GroupState.STABLE && members.stream().anyMatch(m -> m.clientId().startsWith(prefix))) {
                    return;
                }
            } catch (Exception e) {
                // group not there yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(child.name() + " not in group " + service.group + " within " + READY_TIMEOUT
                        + ":\n" + child.logTail(40));
            }
            sleep(200);
        }
    }

    // ---------------------------------------------------------------- common

    interface Check {
        boolean ok() throws Exception;
    }

    private <T extends Instance> T ready(T instance, Check running) {
        synchronized (this.running) {
            this.running.push(instance);
        }
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try {
            while (!running.ok()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(instance + " not running within " + READY_TIMEOUT);
                }
                sleep(50);
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(instance + " failed to start: " + e, e);
        }
        log.info("running {}", instance);
        return instance;
    }

    /** Forgets an instance the scenario has stopped itself (so {@link #close()} does not stop it twice). */
    void forget(Instance instance) {
        synchronized (running) {
            running.remove(instance);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops every instance still running, newest first. */
    @Override
    public void close() {
        while (true) {
            Instance next;
            synchronized (running) {
                next = running.poll();
            }
            if (next == null) {
                return;
            }
            try {
                next.close();
            } catch (RuntimeException e) {
                log.warn("stopping {} failed: {}", next, e.toString(), e);
            }
        }
    }
}
