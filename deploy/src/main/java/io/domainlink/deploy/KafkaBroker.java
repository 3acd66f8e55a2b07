package io.domainlink.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Apache Kafka broker in KRaft combined mode (broker + controller) as a child process, started from this
 * module's classpath ({@code kafka_2.13}, {@code kafka-tools}, log4j; infra recipe 1b). Its data lives in
 * {@code <data-dir>/kafka} and is kept between runs: the storage is formatted only when it is not formatted yet.
 */
final class KafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);
    static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final ChildProcess process;
    private final int port;

    private KafkaBroker(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Formats the storage if needed, starts the broker and waits until it answers {@code describeCluster}.
     *
     * @param dataDir the stack's data folder (this broker uses {@code kafka/}, {@code config/} and {@code logs/})
     */
    static KafkaBroker start(Path dataDir, int port, int controllerPort, String classpath, String heap) {
        Path logDir = dataDir.resolve("kafka");
        Path configDir = dataDir.resolve("config");
        Path logs = dataDir.resolve("logs");
        try {
            Files.createDirectories(logDir);
            Files.createDirectories(configDir);
            Files.writeString(configDir.resolve("server.properties"), serverProperties(logDir, port, controllerPort));
            Files.writeString(configDir.resolve("broker-log4j2.properties"), log4j("WARN"));
            Files.writeString(configDir.resolve("tools-log4j2.properties"), log4j("WARN"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the broker's folders under " + dataDir + ": " + e.getMessage(), e);
        }
        if (!isFormatted(logDir)) {
            long t0 = System.nanoTime();
            String clusterId = Uuid.randomUuid().toString();
            ChildProcess.runToCompletion("kafka storage format", List.of(ChildProcess.javaExecutable(),
                    "-Dlog4j2.configurationFile=" + configDir.resolve("tools-log4j2.properties").toUri(),
                    "-cp", classpath, "kafka.tools.StorageTool", "format", "-t", clusterId,
                    "-c", configDir.resolve("server.properties").toString(), "--standalone"),
                    logs.resolve("kafka-format.log"), Duration.ofSeconds(60));
            LOG.info("kafka storage formatted dir={} clusterId={} tookMs={}", logDir, clusterId, (System.nanoTime() - t0) / 1_000_000);
        }
        List<String> command = new ArrayList<>(List.of(ChildProcess.javaExecutable(), "-Xms" + heap, "-Xmx" + heap,
                "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + configDir.resolve("broker-log4j2.properties").toUri(),
                "-cp", classpath, "kafka.Kafka", configDir.resolve("server.properties").toString()));
        ChildProcess child = ChildProcess.start("kafka broker", command, Map.of(), logs.resolve("kafka.log"));
        KafkaBroker broker = new KafkaBroker(child, port);
        try {
            broker.awaitReady();
        } catch (RuntimeException e) {
            child.close();
            throw e;
        }
        return broker;
    }

    /** KRaft storage is formatted when {@code meta.properties} exists in the log dir. */
    static boolean isFormatted(Path logDir) {
        return Files.isRegularFile(logDir.resolve("meta.properties"));
    }

    static String serverProperties(Path logDir, int port, int controllerPort) {
        return String.join("\n",
                "# written by the local stack on every start; the data in log.dirs is kept between runs",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "log.dirs=" + logDir.toAbsolutePath(),
                "num.partitions=1",
                "default.replication.factor=1",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                // topics come from the single declaration (Topics), never from a typo in a client
                "auto.create.topics.enable=false",
                "");
    }

    private static String log4j(String level) {
        return String.join("\n",
                "status = warn",
                "appender.console.type = Console",
                "appender.console.name = STDOUT",
                "appender.console.layout.type = PatternLayout",
                "appender.console.layout.pattern = [%d] %p %m (%c)%n",
                "rootLogger.level = " + level,
                "rootLogger.appenderRef.stdout.ref = STDOUT",
                "logger.started.name = kafka.server.KafkaRaftServer",
                "logger.started.level = INFO",
                "");
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500))) {
            while (true) {
                process.requireAlive();
                try {
                    if (!admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000)).nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the broker", e);
                } catch (Exception e) {
                    // not listening yet
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Kafka broker not ready within " + START_TIMEOUT + "\n" + process.logTail(40));
                }
                sleep(200);
            }
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    Path logFile() {
        return process.logFile();
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(30));
    }
}
