package io.domainlink.connector;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.domainlink.common.Topics;
import io.domainlink.common.config.ServiceConfig;
import io.domainlink.common.kafka.DeadLetterCompanion;
import io.domainlink.common.kafka.KafkaDefaults;
import io.domainlink.common.registry.SchemaRegistryClient;
import io.domainlink.common.ops.OpsServer;
import io.domainlink.common.ops.OpsServer.Health;
import io.domainlink.wix.WixCallListener;
import io.domainlink.wix.WixClient;
import io.domainlink.wix.WixMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.domainlink.wix.WixRateLimiter;

/**
 * The domain-connector service: reads {@code domains.accepted}, runs each request's Wix calls, and publishes
 * {@code domains.configured} (+ {@code domains.owner-actions}) or a {@code DomainFailed} on {@code domains.outcomes},
 * exactly once per request for {@code read_committed} readers. {@link #main} reads the environment (see README);
 * tests and the local stack launcher use {@link #start(ServiceConfig)}.
 */
public final class DomainConnectorApp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DomainConnectorApp.class);
    static final String STAGE = "domain-connector";

    private final ConnectorLoop loop;
    private final Thread thread;
    private final WixClient wix;
    private final ConnectorMetrics metrics;
    private final List<AutoCloseable> meters;
    private OpsServer ops;

    private DomainConnectorApp(ConnectorLoop loop, WixClient wix, ConnectorMetrics metrics, List<AutoCloseable> meters) {
        this.loop = loop;
        this.wix = wix;
        this.metrics = metrics;
        this.meters = meters;
        this.thread = new Thread(loop, "domain-connector-loop");
    }

    public static void main(String[] args) throws InterruptedException {
        ConnectorConfig config;
        try {
            config = ConnectorConfig.load(System.getenv());
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        log.info("Starting domain-connector config={}", config);
        DomainConnectorApp app = start(config.service());
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "domain-connector-shutdown"));
        app.loop.awaitTermination(Duration.ofDays(36_500));
        if (app.failure() != null) {
            System.exit(1);
        }
    }

    public static DomainConnectorApp start(ServiceConfig config) {
        return start(config, AfterWixCall.NONE, ConnectorLoop.BeforeCommit.NONE);
    }

    /** With test hooks: after each Wix call, and inside each transaction before its commit. */
    static DomainConnectorApp start(ServiceConfig serviceConfig, AfterWixCall afterWixCall, ConnectorLoop.BeforeCommit beforeCommit) {
        ConnectorConfig config = ConnectorConfig.of(serviceConfig);
        int port = serviceConfig.getInt(ServiceConfig.HTTP_PORT);
        PrometheusMeterRegistry meterRegistry = port >= 0 ? OpsServer.newRegistry(STAGE) : null;
        WixClient wix = WixClient.builder()
                .listener(meterRegistry != null ? new WixMetrics(meterRegistry) : WixCallListener.noop())
                .baseUrl(config.getString(ConnectorConfig.WIX_BASE_URL))
                .apiKey(config.apiKey())
                .connectTimeout(config.ms(ConnectorConfig.WIX_CONNECT_TIMEOUT))
                .readTimeout(config.ms(ConnectorConfig.WIX_READ_TIMEOUT))
                .writeTimeout(config.ms(ConnectorConfig.WIX_WRITE_TIMEOUT))
                .callTimeout(config.ms(ConnectorConfig.WIX_CALL_TIMEOUT))
                .retryPolicy(config.retryPolicy())
                .rateLimiter(WixRateLimiter.builder().declaredLimit(config.getInt(ConnectorConfig.WIX_RATE_LIMIT)).build())
                .userAgent("domainlink-domain-connector")
                .build();
        SchemaRegistryClient registry = KafkaDefaults.registry(serviceConfig);
        boolean autoRegister = serviceConfig.getBoolean(ServiceConfig.SCHEMA_REGISTRY_AUTO_REGISTER);
        Clock clock = Clock.systemUTC();
        ConnectionWorkflow workflow = new ConnectionWorkflow(wix, clock, afterWixCall, config.cancelPackageOnFailure());
        RecordHandler handler = new RecordHandler(
                Topics.ACCEPTED.valueDeserializer(registry),
                Topics.CONFIGURED.valueSerializer(registry, autoRegister),
                Topics.OWNER_ACTIONS.valueSerializer(registry, autoRegister),
                Topics.OUTCOMES.valueSerializer(registry, autoRegister),
                workflow, config.ms(ConnectorConfig.REGISTRY_RETRY_BACKOFF), clock);

        int maxInFlight = config.getInt(ConnectorConfig.MAX_IN_FLIGHT);
        String groupId = config.getString(ConnectorConfig.GROUP_ID);
        String clientId = groupId + "-" + config.instanceId();
        Map<String, Object> consumerProps = KafkaDefaults.consumer(serviceConfig, clientId, groupId);
        consumerProps.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.min(500, maxInFlight));
        consumerProps.putIfAbsent(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        Map<String, Object> producerProps = KafkaDefaults.transactionalProducer(serviceConfig, clientId, config.transactionalId());
        producerProps.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);

        ConnectorMetrics metrics = new ConnectorMetrics();
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        KafkaProducer<byte[], byte[]> producer;
        try {
            producer = new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());
        } catch (RuntimeException e) {
            consumer.close();
            wix.close();
            throw e;
        }
        ConnectorLoop loop = new ConnectorLoop(consumer, producer,
                new DeadLetteringWork(handler::handle, DeadLetterCompanion.NONE, metrics), metrics, beforeCommit,
                new ConnectorLoop.Settings(Topics.ACCEPTED.name(), maxInFlight, config.ms(ConnectorConfig.POLL_INTERVAL),
                        config.ms(ConnectorConfig.COMMIT_INTERVAL), config.ms(ConnectorConfig.SHUTDOWN_TIMEOUT),
                        config.ms(ConnectorConfig.STUCK_AFTER_MS)));
        List<AutoCloseable> meters = new ArrayList<>();
        if (meterRegistry != null) {
            metrics.bindTo(meterRegistry);
            KafkaClientMetrics consumerMetrics = new KafkaClientMetrics(consumer); // includes records-lag per partition
            KafkaClientMetrics producerMetrics = new KafkaClientMetrics(producer);
            consumerMetrics.bindTo(meterRegistry);
            producerMetrics.bindTo(meterRegistry);
            meters.add(consumerMetrics);
            meters.add(producerMetrics);
        }
        DomainConnectorApp app = new DomainConnectorApp(loop, wix, metrics, meters);
        if (meterRegistry != null) {
            app.ops = OpsServer.start(port, meterRegistry, app::live, app::ready);
        }
        app.thread.start();
        log.info("domain-connector started instance={} group={} transactionalId={} wix={} maxInFlight={}", config.instanceId(),
                groupId, config.transactionalId(), config.getString(ConnectorConfig.WIX_BASE_URL), maxInFlight);
        return app;
    }

    /** Waits until the loop has initialized its transactions and subscribed; false on timeout or if it died. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return loop.awaitRunning(timeout);
    }

    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return loop.awaitTermination(timeout);
    }

    public boolean isRunning() {
        return thread.isAlive();
    }

    /** Live until the loop stopped on a fatal error (a fenced producer, an {@link Error} on a worker) or ended. */
    Health live() {
        return loop.notLive().map(Health::down).orElse(Health.UP);
    }

    /** Ready while the loop runs, holds partitions, and none has a record uncommitted for {@code stuck.after.ms}. */
    Health ready() {
        return loop.notReady().map(Health::down).orElse(Health.UP);
    }

    /** The error that stopped the instance (e.g. a fenced producer), or null. */
    public Throwable failure() {
        return loop.failure();
    }

    public ConnectorMetrics metrics() {
        return metrics;
    }

    /** The health/metrics endpoint's port, or -1 when it is off. */
    public int opsPort() {
        return ops == null ? -1 : ops.port();
    }

    /** Test hook: stop as if killed (no commit, no abort). Returns at once; safe from a worker thread. */
    void halt() {
        loop.halt();
    }

    /** Clean stop: in-flight work may finish (shutdown.timeout.ms), what is complete is committed. */
    @Override
    public void close() {
        loop.stop();
        try {
            if (Thread.currentThread() != thread) {
                thread.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        wix.close();
        for (AutoCloseable m : meters) {
            try {
                m.close();
            } catch (Exception e) {
                log.debug("closing client metrics error={}", e.toString());
            }
        }
        if (ops != null) {
            ops.close();
        }
    }
}
