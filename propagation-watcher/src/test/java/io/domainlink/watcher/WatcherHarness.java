package io.domainlink.watcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

import io.domainlink.common.Topics;
import io.domainlink.common.kafka.DeadLetterDeserializationHandler;
import io.domainlink.common.registry.RegistryConfig;
import io.domainlink.common.registry.SchemaRegistryClient;
import io.domainlink.events.ConnectionConfigured;
import io.domainlink.events.DomainConnected;
import io.domainlink.events.DomainFailed;
import io.domainlink.events.Flow;
import io.domainlink.events.PropagationProgress;
import io.domainlink.events.PropagationStatus;
import io.domainlink.events.RecheckRequested;
import io.domainlink.events.RequestContext;
import io.domainlink.testsupport.FakeSchemaRegistry;
import io.domainlink.watcher.PropagationChecker.CheckRequest;
import io.domainlink.watcher.state.WatchState;

/**
 * The watcher topology in a {@link TopologyTestDriver} whose wall clock the test advances, with a scripted checker
 * and a permit budget that follows the test clock.
 */
final class WatcherHarness implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    static final String ACCOUNT = "11111111-2222-3333-4444-555555555555";
    static final String SITE = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";

    /** A check as the fake Wix saw it: when (test clock) and which due time it served. */
    record Call(String domain, long at, long dueAt) {
    }

    final FakeSchemaRegistry fake = FakeSchemaRegistry.start();
    final SchemaRegistryClient registry = new SchemaRegistryClient(RegistryConfig.of(fake.url()));
    final WatcherMetrics metrics = new WatcherMetrics();
    /** By default checks run inside the scan, so the test clock decides everything; the service uses a thread pool. */
    final ExecutorService executor;
    final AtomicLong clock = new AtomicLong(T0.toEpochMilli());
    final List<Call> calls = new ArrayList<>();
    final Duration scanInterval;
    final TopologyTestDriver driver;
    final TestInputTopic<String, ConnectionConfigured> configured;
    final TestInputTopic<String, RecheckRequested> rechecks;
    final TestInputTopic<byte[], byte[]> rawConfigured;
    final TestOutputTopic<String, PropagationProgress> progress;
    final TestOutputTopic<String, SpecificRecord> outcomes;
    final TestOutputTopic<byte[], byte[]> deadLetters;
    private final Path stateDir;

    /** Wix's answer to the n-th check (1-based) of a domain; default IN_PROGRESS. */
    private volatile BiFunction<String, Integer, CheckResult> wix = (d, n) -> CheckResult.status(PropagationStatus.IN_PROGRESS);
    private final Map<String, Integer> checksByDomain = new HashMap<>();
    /** Permits per second of test clock (across accounts); 0 = unlimited. */
    private final int permitsPerSecond;
    private long permitSecond = -1;
    private int permitsUsed;

    WatcherHarness(Schedule schedule) {
        this(schedule, 0, Duration.ofMillis(250));
    }

    WatcherHarness(Schedule schedule, int permitsPerSecond, Duration scanInterval) {
        this(schedule, permitsPerSecond, scanInterval, com.google.common.util.concurrent.MoreExecutors.newDirectExecutorService());
    }

    WatcherHarness(Schedule schedule, int permitsPerSecond, Duration scanInterval, ExecutorService executor) {
        this(schedule, permitsPerSecond, scanInterval, executor, 5_000);
    }

    WatcherHarness(Schedule schedule, int permitsPerSecond, Duration scanInterval, ExecutorService executor, int scanMaxEntries) {
        this(schedule, permitsPerSecond, scanInterval, executor, scanMaxEntries, null, new PermitOrder(scanInterval));
    }

    /**
     * With {@code sharedPermits} and {@code permitOrder} shared by several harnesses, each harness is one task of the
     * same instance (advance them in lockstep with {@link #advanceTogether}); null permits: this harness's own budget.
     */
    WatcherHarness(Schedule schedule, int permitsPerSecond, Duration scanInterval, ExecutorService executor, int scanMaxEntries,
                   CheckPermits sharedPermits, PermitOrder permitOrder) {
        this.executor = executor;
        this.permitsPerSecond = permitsPerSecond;
        this.scanInterval = scanInterval;
        try {
            this.stateDir = Files.createTempDirectory("watcher-ttd");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        WatcherTopology.Wiring wiring = new WatcherTopology.Wiring(new WatchPolicy(schedule), this::check,
                sharedPermits != null ? sharedPermits : this::tryAcquire, executor, metrics, scanInterval, scanMaxEntries, 64,
                Duration.ofSeconds(5), () -> new SplittableRandom(42), this::now, permitOrder);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "watcher-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class);
        props.put(DeadLetterDeserializationHandler.STAGE_CONFIG, "propagation-watcher");
        driver = new TopologyTestDriver(WatcherTopology.build(wiring, registry, true), props, T0);
        configured = driver.createInputTopic(Topics.CONFIGURED.name(), new StringSerializer(),
                Topics.CONFIGURED.valueSerializer(registry, true));
        rechecks = driver.createInputTopic(Topics.RECHECKS.name(), new StringSerializer(),
                Topics.RECHECKS.valueSerializer(registry, true));
        rawConfigured = driver.createInputTopic(Topics.CONFIGURED.name(), new ByteArraySerializer(), new ByteArraySerializer());
        progress = driver.createOutputTopic(Topics.PROGRESS.name(), new StringDeserializer(),
                Topics.PROGRESS.valueDeserializer(registry));
        outcomes = driver.createOutputTopic(Topics.OUTCOMES.name(), new StringDeserializer(),
                Topics.OUTCOMES.valueDeserializer(registry));
        deadLetters = driver.createOutputTopic(Topics.DEAD_LETTER.name(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    // ------------------------------------------------------------------ the fake Wix

    void wixAnswers(BiFunction<String, Integer, CheckResult> answers) {
        this.wix = answers;
    }

    private CheckResult check(CheckRequest request) {
        int n;
        synchronized (this) {
            calls.add(new Call(request.domain(), clock.get(), request.dueAt()));
            n = checksByDomain.merge(request.domain(), 1, Integer::sum);
        }
        return wix.apply(request.domain(), n); // may block (a slow Wix), outside the lock
    }

    private synchronized boolean tryAcquire(String account) {
        if (permitsPerSecond == 0) {
            return true;
        }
        long second = clock.get() / 1000;
        if (second != permitSecond) {
            permitSecond = second;
            permitsUsed = 0;
        }
        if (permitsUsed >= permitsPerSecond) {
            return false;
        }
        permitsUsed++;
        return true;
    }

    synchronized List<Call> calls(String domain) {
        return calls.stream().filter(c -> c.domain().equals(domain)).toList();
    }

    synchronized List<Call> allCalls() {
        return List.copyOf(calls);
    }

    /** Offsets (ms after T0) of the checks of {@code domain}. */
    List<Long> checkOffsets(String domain) {
        return calls(domain).stream().map(c -> c.at() - T0.toEpochMilli()).toList();
    }

    // ------------------------------------------------------------------ clock and input

    long now() {
        return clock.get();
    }

    /** Advances the wall clock in scan-interval steps; every step runs one scan. */
    /** Advances several harnesses (tasks of one instance) scan by scan, each scanning in the order given. */
    static void advanceTogether(Duration by, WatcherHarness... tasks) {
        long steps = by.toMillis() / tasks[0].scanInterval.toMillis();
        for (long i = 0; i < steps; i++) {
            for (WatcherHarness t : tasks) {
                t.advance(t.scanInterval);
            }
        }
    }

    void advance(Duration by) {
        long end = clock.get() + by.toMillis();
        while (clock.get() < end) {
            long step = Math.min(scanInterval.toMillis(), end - clock.get());
            clock.addAndGet(step);
            driver.advanceWallClockTime(Duration.ofMillis(step));
        }
    }

    void configure(String domain, String requestId, long generation) {
        configure(domain, requestId, generation, PropagationStatus.UNKNOWN_DNS_PROPAGATION_STATUS);
    }

    void configure(String domain, String requestId, long generation, PropagationStatus wixStatus) {
        configured.pipeInput(domain, configuredEvent(domain, requestId, generation, wixStatus), clock.get());
    }

    /** A ConnectionConfigured the connector published at {@code occurredAt}, read by the watcher now. */
    void configureReadLate(String domain, String requestId, Instant occurredAt) {
        ConnectionConfigured event = configuredEvent(domain, requestId, 1, PropagationStatus.UNKNOWN_DNS_PROPAGATION_STATUS);
        event.setOccurredAt(occurredAt);
        configured.pipeInput(domain, event, clock.get());
    }

    /** As the connector publishes it: with its {@code traceparent} header. */
    void configureTraced(String domain, String requestId, long generation, String traceparent) {
        configured.pipeInput(new org.apache.kafka.streams.test.TestRecord<>(domain,
                configuredEvent(domain, requestId, generation, PropagationStatus.UNKNOWN_DNS_PROPAGATION_STATUS),
                new org.apache.kafka.common.header.internals.RecordHeaders().add(io.domainlink.common.tracing.TraceContext.HEADER,
                        traceparent.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                clock.get()));
    }

    ConnectionConfigured configuredEvent(String domain, String requestId, long generation, PropagationStatus wixStatus) {
        return ConnectionConfigured.newBuilder()
                .setContext(RequestContext.newBuilder()
                        .setRequestId(requestId).setDomain(domain).setFlow(Flow.POINTING)
                        .setAccountId(ACCOUNT).setSiteId(SITE)
                        .setCorrelation(Map.of("ticket", "T-" + requestId)).setGeneration(generation).build())
                .setOccurredAt(Instant.ofEpochMilli(clock.get()))
                .setRequestedAt(Instant.ofEpochMilli(clock.get() - 60_000))
                .setWixStatus(wixStatus)
                .build();
    }

    void recheck(String domain, String requestId) {
        rechecks.pipeInput(domain, RecheckRequested.newBuilder().setDomain(domain).setRequestId(requestId)
                .setRequestedAt(Instant.ofEpochMilli(clock.get())).build(), clock.get());
    }

    WatchState watch(String domain) {
        KeyValueStore<String, WatchState> store = driver.getKeyValueStore(WatcherTopology.WATCHES_STORE);
        return store.get(domain);
    }

    /** Due-check entries in the due-index. */
    long indexSize() {
        return count(false);
    }

    /** Deadline entries in the due-index. */
    long deadlineIndexSize() {
        return count(true);
    }

    private long count(boolean deadlines) {
        KeyValueStore<org.apache.kafka.common.utils.Bytes, byte[]> store = driver.getKeyValueStore(WatcherTopology.DUE_INDEX_STORE);
        long n = 0;
        try (var it = store.all()) {
            while (it.hasNext()) {
                if (DueIndex.isDeadline(it.next().key) == deadlines) {
                    n++;
                }
            }
        }
        return n;
    }

    List<SpecificRecord> readOutcomes() {
        return outcomes.readValuesToList();
    }

    static DomainFailed failed(SpecificRecord r) {
        return (DomainFailed) r;
    }

    static DomainConnected connected(SpecificRecord r) {
        return (DomainConnected) r;
    }

    @Override
    public void close() {
        driver.close();
        executor.shutdownNow();
        registry.close();
        fake.close();
    }
}
