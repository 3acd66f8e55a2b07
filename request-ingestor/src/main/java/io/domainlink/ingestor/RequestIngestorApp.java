package io.domainlink.ingestor;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.domainlink.common.Topics;
import io.domainlink.common.config.ServiceConfig;
import io.domainlink.common.kafka.DeadLetterDeserializationHandler;
import io.domainlink.common.kafka.KafkaDefaults;
import io.domainlink.common.kafka.StreamsSupervisor;
import io.domainlink.common.ops.OpsServer;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.domainlink.common.registry.SchemaRegistryClient;

/**
 * The request-ingestor service: reads its configuration from the environment, wires the topology, runs it until
 * SIGTERM, then closes Kafka Streams (which commits) within {@code shutdown.timeout.ms}.
 */
public final class RequestIngestorApp implements AutoCloseable {

    public static final String STAGE = "request-ingestor";
    private static final Logger log = LoggerFactory.getLogger(RequestIngestorApp.class);

    private final ServiceConfig config;
    private final KafkaStreams streams;
    private final StreamsSupervisor supervisor;
    private final SchemaRegistryClient registry;
    private final IngestorMetrics metrics;
    private final OpsServer ops;

    private RequestIngestorApp(ServiceConfig config, KafkaStreams streams, StreamsSupervisor supervisor, SchemaRegistryClient registry,
                               IngestorMetrics metrics, OpsServer ops) {
        this.config = config;
        this.streams = streams;
        this.supervisor = supervisor;
        this.registry = registry;
        this.metrics = metrics;
        this.ops = ops;
    }

    public static void main(String[] args) throws InterruptedException {
        ServiceConfig config;
        try {
            config = IngestorConfig.load(System.getenv());
            StreamsSupervisor.check(config);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        RequestIngestorApp app = start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "request-ingestor-shutdown"));
        app.supervisor.awaitTermination();
        if (app.supervisor.failed()) {
            System.exit(1); // the stream stopped on its own (the thread policy gave up): let the platform restart it
        }
        stopped.await();
    }

    /** Builds and starts the service: the same wiring for {@code main} and the integration test. */
    public static RequestIngestorApp start(ServiceConfig config) {
        IngestorSettings settings = IngestorConfig.settings(config);
        log.info("starting {} config={}", STAGE, config);
        checkCoPartitioning(config, settings);
        SchemaRegistryClient registry = KafkaDefaults.registry(config);
        IngestorMetrics metrics = new IngestorMetrics();
        IngestorSerdes serdes = IngestorSerdes.from(registry, config.getBoolean(ServiceConfig.SCHEMA_REGISTRY_AUTO_REGISTER));
        Topology topology = IngestorTopology.build(settings, serdes, metrics);
        log.info("topology {}", topology.describe());
        StreamsSupervisor supervisor = StreamsSupervisor.of(config, STAGE);
        KafkaStreams streams = new KafkaStreams(topology, streamsProperties(config, metrics, supervisor));
        supervisor.supervise(streams);
        OpsServer ops = null;
        int port = config.getInt(ServiceConfig.HTTP_PORT);
        if (port >= 0) {
            PrometheusMeterRegistry meters = OpsServer.newRegistry(STAGE);
            metrics.bindTo(meters);
            supervisor.bindTo(meters);
            new KafkaStreamsMetrics(streams).bindTo(meters);
            ops = OpsServer.start(port, meters, supervisor::live, supervisor::ready);
        }
        streams.start();
        return new RequestIngestorApp(config, streams, supervisor, registry, metrics, ops);
    }

    static Properties streamsProperties(ServiceConfig config, IngestorMetrics metrics, StreamsSupervisor supervisor) {
        Properties p = KafkaDefaults.streams(config, config.getString(IngestorConfig.APPLICATION_ID), STAGE);
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.getString(IngestorConfig.STATE_DIR));
        p.put(DeadLetterDeserializationHandler.COUNTER_CONFIG, (Runnable) metrics::deadLettered);
        supervisor.configure(p);
        return p;
    }

    /** The in-flight guard reads the outcomes topic and the by-domain repartition topic as one: same partition count. */
    static void checkCoPartitioning(ServiceConfig config, IngestorSettings settings) {
        Map<String, Object> admin = new java.util.HashMap<>(config.kafkaPassthrough());
        admin.put(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", config.getList(ServiceConfig.BOOTSTRAP_SERVERS)));
        admin.put(org.apache.kafka.clients.admin.AdminClientConfig.CLIENT_ID_CONFIG, STAGE + "-startup-check");
        try (Admin client = Admin.create(admin)) {
            TopicDescription outcomes = client.describeTopics(List.of(Topics.OUTCOMES.name())).allTopicNames()
                    .get(60, TimeUnit.SECONDS).get(Topics.OUTCOMES.name());
            if (outcomes.partitions().size() != settings.partitions()) {
                throw new ConfigException(ServiceConfig.envName(IngestorConfig.PARTITIONS) + "=" + settings.partitions()
                        + " but " + Topics.OUTCOMES.name() + " has " + outcomes.partitions().size()
                        + " partitions; they must be equal for the in-flight guard");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking " + Topics.OUTCOMES.name(), e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot describe " + Topics.OUTCOMES.name() + " (does it exist?): " + e.getMessage(), e);
        }
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** The health/metrics endpoint's port, or -1 when it is off. */
    public int opsPort() {
        return ops == null ? -1 : ops.port();
    }

    public IngestorMetrics metrics() {
        return metrics;
    }

    /** The thread policy and health of the stream (liveness, readiness, stalled partitions). */
    public StreamsSupervisor supervisor() {
        return supervisor;
    }

    @Override
    public void close() {
        Duration timeout = config.getDurationMs(IngestorConfig.SHUTDOWN_TIMEOUT_MS);
        log.info("stopping {} timeout={} metrics=[{}]", STAGE, timeout, metrics);
        supervisor.closing();
        boolean clean = streams.close(new KafkaStreams.CloseOptions().timeout(timeout));
        registry.close();
        if (ops != null) {
            ops.close();
        }
        log.info("stopped {} clean={}", STAGE, clean);
    }
}
