package io.domainlink.deploy;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.domainlink.common.TopicSpec;
import io.domainlink.common.Topics;
import io.domainlink.common.config.ServiceConfig;
import io.domainlink.wix.sandbox.SandboxConfig;
import io.domainlink.wix.sandbox.Scenario;
import io.domainlink.wix.sandbox.WixSandbox;

/**
 * The whole pipeline, started in order with a readiness check for each part: the Kafka broker (child process, data
 * kept in the data folder), the schema registry (child process), the Wix sandbox (in this JVM), the topics (from
 * {@link Topics#all()}), then the three services (in this JVM, each with the configuration it reads in production).
 * {@link #close()} stops everything in reverse order and waits for each part to be gone.
 *
 * <p>The integration tests start the very same wiring, optionally with a broker and registry they already have
 * ({@link Settings#externalBootstrap}, {@link Settings#externalRegistryUrl}).
 */
final class Stack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Stack.class);

    /**
     * @param dataDir             broker data, registry database, service state, logs
     * @param brokerClasspath     classpath of the broker child ({@code kafka_2.13}, {@code kafka-tools}, log4j)
     * @param externalBootstrap   use this broker instead of starting one (tests), or null
     * @param externalRegistryUrl use this registry instead of starting one (tests), or null
     * @param watcherOverrides    watcher configuration for the demo's short schedule (environment-variable names)
     * @param sandboxClock        the sandbox's clock (tests move Wix's propagation on by hand), or null for real time
     */
    record Settings(Path dataDir, int kafkaPort, int controllerPort, int registryPort, int sandboxPort, Scenario scenario,
                    String brokerClasspath, String brokerHeap, Path registryJar, String externalBootstrap,
                    String externalRegistryUrl, Map<String, String> watcherOverrides, Clock sandboxClock) {
    }

    private final Deque<Map.Entry<String, AutoCloseable>> started = new ArrayDeque<>();
    private final PrintStream out;
    private boolean closing;
    private String bootstrapServers;
    private String registryUrl;
    private WixSandbox sandbox;
    private ServiceConfig clientConfig;

    private Stack(PrintStream out) {
        this.out = out;
    }

    /** Starts every part in order; on any failure stops what was started and rethrows. */
    static Stack start(Settings s, PrintStream out) {
        Stack stack = new Stack(out);
        try {
            stack.startAll(s);
            return stack;
        } catch (RuntimeException | Error e) {
            stack.close();
            throw e;
        }
    }

    private void startAll(Settings s) {
        Path data = s.dataDir().toAbsolutePath();
        Map<Integer, String> ports = new java.util.LinkedHashMap<>();
        if (s.externalBootstrap() == null) {
            Ports.add(ports, s.kafkaPort(), "Kafka broker (--kafka-port)");
            Ports.add(ports, s.controllerPort(), "Kafka controller (--controller-port)");
        }
        if (s.externalRegistryUrl() == null) {
            Ports.add(ports, s.registryPort(), "schema registry (--registry-port)");
        }
        if (s.sandboxPort() != 0) {
            Ports.add(ports, s.sandboxPort(), "Wix sandbox (--sandbox-port)");
        }
        Ports.requireFree(ports);
        try {
            Files.createDirectories(data.resolve("logs"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create the data folder " + data + ": " + e.getMessage(), e);
        }

        if (s.externalBootstrap() == null) {
            long t0 = System.nanoTime();
            boolean formatted = KafkaBroker.isFormatted(data.resolve("kafka"));
            KafkaBroker broker = register("Kafka broker", KafkaBroker.start(data, s.kafkaPort(), s.controllerPort(), s.brokerClasspath(), s.brokerHeap()));
            bootstrapServers = broker.bootstrapServers();
            step(t0, "Kafka broker      " + bootstrapServers + "  (KRaft, pid " + broker.pid() + ", "
                    + (formatted ? "existing data" : "new data") + " in " + data.resolve("kafka") + ")");
        } else {
            bootstrapServers = s.externalBootstrap();
            step(System.nanoTime(), "Kafka broker      " + bootstrapServers + "  (given)");
        }

        if (s.externalRegistryUrl() == null) {
            long t0 = System.nanoTime();
            RegistryServer registry = register("schema registry", RegistryServer.start(data, s.registryPort(), s.registryJar()));
            registryUrl = registry.confluentUrl();
            step(t0, "schema registry   " + registryUrl + "  (Apicurio, pid " + registry.pid() + ")");
        } else {
            registryUrl = s.externalRegistryUrl();
            step(System.nanoTime(), "schema registry   " + registryUrl + "  (given)");
        }

        long t0 = System.nanoTime();
        SandboxConfig sandboxConfig = SandboxConfig.defaults().withPort(s.sandboxPort()).withScenario(s.scenario());
        sandbox = register("Wix sandbox", WixSandbox.start(s.sandboxClock() == null ? sandboxConfig : sandboxConfig.withClock(s.sandboxClock())));
        step(t0, "Wix sandbox       " + sandbox.baseUrl() + "  (admin API at " + sandbox.baseUrl() + "/_sandbox/)");

        clientConfig = ServiceConfig.load(ServiceConfig.common(), Map.of(
                ServiceConfig.envName(ServiceConfig.BOOTSTRAP_SERVERS), bootstrapServers,
                ServiceConfig.envName(ServiceConfig.SCHEMA_REGISTRY_URL), registryUrl,
                ServiceConfig.envName(ServiceConfig.INSTANCE_ID), "local-stack"));

        t0 = System.nanoTime();
        int created = createTopics(bootstrapServers);
        step(t0, "topics            " + Topics.all().size() + " declared, " + created + " created");

        Map<String, String> common = new HashMap<>();
        common.put(ServiceConfig.envName(ServiceConfig.BOOTSTRAP_SERVERS), bootstrapServers);
        common.put(ServiceConfig.envName(ServiceConfig.SCHEMA_REGISTRY_URL), registryUrl);
        common.put(ServiceConfig.envName(ServiceConfig.INSTANCE_ID), "local-1");
        common.put(ServiceConfig.envName(ServiceConfig.REPLICATION_FACTOR), "1");
        common.put(ServiceConfig.envName(ServiceConfig.HTTP_PORT), "0");
        // static group membership: on the next run each service takes its old place in its group at once instead of
        // waiting out the previous member's session timeout (Kafka Streams does not leave its group on close)
        common.put(ServiceConfig.KAFKA_ENV_PREFIX + "GROUP_INSTANCE_ID", "local-1");
        PipelineServices.startAll(new PipelineServices.Wiring(common, data.resolve("state"), sandbox.baseUrl(),
                Scenario.DEFAULT_API_KEY, s.watcherOverrides()), new PipelineServices.Listener() {
                    @Override
                    public void started(String name, AutoCloseable service) {
                        register(name, service);
                    }

                    @Override
                    public void ready(String name, long startNanos) {
                        out.printf(Locale.ROOT, "  ready  %-5s  %s%n", seconds(startNanos), name);
                        out.flush();
                    }
                });
    }

    /** Creates every declared topic that does not exist yet, with its declared partitions and configs (RF 1 locally). */
    static int createTopics(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            List<NewTopic> topics = Topics.all().stream()
                    .map(t -> (NewTopic) ((TopicSpec<?>) t).newTopic(t.defaultPartitions(), (short) 1, Map.of())).toList();
            int created = 0;
            for (var e : admin.createTopics(topics).values().entrySet()) {
                try {
                    e.getValue().get(60, TimeUnit.SECONDS);
                    created++;
                } catch (ExecutionException ex) {
                    if (!(ex.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + e.getKey() + ": " + ex.getCause().getMessage(), ex);
                    }
                }
            }
            admin.describeTopics(topics.stream().map(NewTopic::name).toList()).allTopicNames().get(60, TimeUnit.SECONDS);
            return created;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("topics not visible: " + e.getMessage(), e);
        }
    }

    private void step(long t0, String what) {
        out.printf(Locale.ROOT, "  ready  %-5s  %s%n", seconds(System.nanoTime() - t0), what);
        out.flush();
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1fs", nanos / 1e9);
    }

    /** Keeps a started part for {@link #close()}; when the stack is already closing, stops it at once. */
    <T extends AutoCloseable> T register(String name, T resource) {
        synchronized (started) {
            if (!closing) {
                started.push(Map.entry(name, resource));
                return resource;
            }
        }
        closeQuietly(name, resource);
        throw new IllegalStateException("the stack is stopping");
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    String registryUrl() {
        return registryUrl;
    }

    WixSandbox sandbox() {
        return sandbox;
    }

    /** Client configuration (bootstrap servers, registry) for the stack's own tools: submitter, observer. */
    ServiceConfig clientConfig() {
        return clientConfig;
    }

    /** Stops every part in reverse start order. Idempotent; safe from a shutdown hook while starting. */
    @Override
    public void close() {
        synchronized (started) {
            closing = true;
        }
        while (true) {
            Map.Entry<String, AutoCloseable> next;
            synchronized (started) {
                next = started.poll();
            }
            if (next == null) {
                return;
            }
            long t0 = System.nanoTime();
            closeQuietly(next.getKey(), next.getValue());
            out.printf(Locale.ROOT, "  stopped %-5s %s%n", seconds(System.nanoTime() - t0), next.getKey());
            out.flush();
        }
    }

    private static void closeQuietly(String name, AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            LOG.warn("could not stop {} cleanly: {}", name, e.toString(), e);
        }
    }
}
