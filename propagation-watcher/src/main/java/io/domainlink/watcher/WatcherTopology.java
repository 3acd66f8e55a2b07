package io.domainlink.watcher;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

import io.domainlink.common.Topics;
import io.domainlink.common.registry.SchemaRegistryClient;

/**
 * The watcher's Processor API topology:
 * <pre>
 * domains.configured ─┐                       ┌─▶ domains.progress  (PropagationProgress)
 *                     ├─▶ watch [watches, due-index] ─┤
 * domains.rechecks ───┘                       └─▶ domains.outcomes  (DomainConnected | DomainFailed)
 * </pre>
 * Both sources feed one processor, so they must have the same partition count (keys: normalized domain).
 * The stores are RocksDB with changelogs and no record cache: {@code watches} by domain, and {@code due-index}, which
 * holds two time-ordered indexes of the active watches ({@link DueIndex}): the next check of each, and when each gives
 * up (so a deadline never waits behind a backlog of checks).
 */
public final class WatcherTopology {

    public static final String WATCHES_STORE = "watches";
    public static final String DUE_INDEX_STORE = "due-index";
    static final String CONFIGURED_SOURCE = "configured-source";
    static final String RECHECKS_SOURCE = "rechecks-source";
    static final String PROCESSOR = "watch";
    static final String PROGRESS_SINK = "progress-sink";
    static final String OUTCOMES_SINK = "outcomes-sink";

    /**
     * Everything the processor needs besides its stores.
     *
     * @param permits the instance's shared Wix rate limiter; a check starts only with a permit taken without waiting
     * @param executor runs the checks (check.concurrency threads); the stream thread never waits for them
     * @param random jitter source, one per task
     * @param wallClock when Wix answered a check (ms); tests pass the test clock
     * @param permitOrder the instance's oldest-due-first order of each account's permits across its tasks
     */
    public record Wiring(WatchPolicy policy, PropagationChecker checker, CheckPermits permits,
                         ExecutorService executor, WatcherMetrics metrics, Duration scanInterval, int scanMaxEntries,
                         int checksPerScan, Duration checkTimeout, Supplier<RandomGenerator> random,
                         LongSupplier wallClock, PermitOrder permitOrder) {

        /** The service's wiring: answers are timed with the system clock. */
        public Wiring(WatchPolicy policy, PropagationChecker checker, CheckPermits permits, ExecutorService executor,
                      WatcherMetrics metrics, Duration scanInterval, int scanMaxEntries, int checksPerScan,
                      Duration checkTimeout, Supplier<RandomGenerator> random) {
            this(policy, checker, permits, executor, metrics, scanInterval, scanMaxEntries, checksPerScan, checkTimeout,
                    random, System::currentTimeMillis, new PermitOrder(scanInterval));
        }
    }

    private WatcherTopology() {
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Topology build(Wiring wiring, SchemaRegistryClient registry, boolean autoRegister) {
        Deserializer<SpecificRecord> configured = (Deserializer) Topics.CONFIGURED.valueDeserializer(registry);
        Deserializer<SpecificRecord> rechecks = (Deserializer) Topics.RECHECKS.valueDeserializer(registry);
        Serializer<SpecificRecord> progress = (Serializer) Topics.PROGRESS.valueSerializer(registry, autoRegister);
        Serializer<SpecificRecord> outcomes = Topics.OUTCOMES.valueSerializer(registry, autoRegister);

        Topology t = new Topology();
        t.addSource(CONFIGURED_SOURCE, Serdes.String().deserializer(), configured, Topics.CONFIGURED.name());
        t.addSource(RECHECKS_SOURCE, Serdes.String().deserializer(), rechecks, Topics.RECHECKS.name());
        t.addProcessor(PROCESSOR, () -> new WatchProcessor(wiring), CONFIGURED_SOURCE, RECHECKS_SOURCE);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(WATCHES_STORE), Serdes.String(),
                WatchStateSerde.serde()).withCachingDisabled(), PROCESSOR);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DUE_INDEX_STORE), Serdes.Bytes(),
                Serdes.ByteArray()).withCachingDisabled(), PROCESSOR);
        t.addSink(PROGRESS_SINK, Topics.PROGRESS.name(), Serdes.String().serializer(), progress, PROCESSOR);
        t.addSink(OUTCOMES_SINK, Topics.OUTCOMES.name(), Serdes.String().serializer(), outcomes, PROCESSOR);
        return t;
    }
}
