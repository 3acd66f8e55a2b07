package io.domainlink.watcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import io.domainlink.common.Topics;
import io.domainlink.common.config.ServiceConfig;
import io.domainlink.common.registry.RegistryConfig;
import io.domainlink.common.registry.SchemaRegistryClient;
import io.domainlink.events.ConnectionConfigured;
import io.domainlink.events.Flow;
import io.domainlink.events.PropagationStatus;
import io.domainlink.events.RecheckRequested;
import io.domainlink.events.RequestContext;
import io.domainlink.testsupport.EmbeddedKafkaCluster;
import io.domainlink.testsupport.FakeSchemaRegistry;
import io.domainlink.wix.WixRateLimiter;

/**
 * Not a test: loads N pending watches (default 1 000 000) into a real watcher on the in-JVM broker, then prints the
 * heap it holds, the RocksDB disk it uses, the time to load after a restart (checkpointed state, and a full restore
 * from the changelog into an empty state directory) and the due-check delay p50/p99 while N watches are pending.
 * Due checks come from RecheckRequested events (a recheck makes a watch due now) at a steady rate; the checker is a
 * fake that answers IN_PROGRESS at once, so the delay measured is the watcher's own: index scan and dispatch.
 *
 * <p>Run (see README): {@code java -Xmx768m -cp ... io.domainlink.watcher.WatcherScaleBenchmark [watches [probes [checks/s]]]}
 * (defaults 1 000 000, 3 000, 200); benchmarks/run.sh runs it at 1 000 due checks per second.
 * The broker shares the JVM, so heap figures are reported as the growth over the broker-only baseline too.
 */
public final class WatcherScaleBenchmark {

    private static final String ACCOUNT = "11111111-2222-4333-8444-555555555555";
    private static final String SITE = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";

    public static void main(String[] args) throws Exception {
        int watches = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int probes = args.length > 1 ? Integer.parseInt(args[1]) : 3_000;
        int perSecond = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        Path work = Files.createTempDirectory("watcher-bench");
        System.out.printf("watcher scale benchmark: %,d watches, %,d probe checks at %,d/s, -Xmx%d MB, %d cores%n", watches, probes, perSecond,
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());

        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(EmbeddedKafkaCluster.Spec.singleNode());
             FakeSchemaRegistry fake = FakeSchemaRegistry.start();
             SchemaRegistryClient registry = new SchemaRegistryClient(RegistryConfig.of(fake.url()))) {
            kafka.createTopics(Topics.all().stream().map(t -> t.newTopic(6, (short) 1, Map.of())).toList());
            long baseline = heapAfterGc();
            System.out.printf("heap after GC, broker only: %d MB%n", baseline >> 20);

            ConcurrentLinkedQueue<long[]> delays = new ConcurrentLinkedQueue<>();
            PropagationChecker checker = request -> {
                delays.add(new long[] {System.currentTimeMillis() - request.dueAt()});
                return CheckResult.status(PropagationStatus.IN_PROGRESS);
            };
            ServiceConfig config = config(kafka.bootstrapServers(), fake.url(), work.resolve("state-1"));
            PropagationWatcherApp app = PropagationWatcherApp.start(config, checker, WixRateLimiter.unlimited());
            app.awaitRunning(java.time.Duration.ofSeconds(60));

            long t0 = System.nanoTime();
            try (KafkaProducer<String, ConnectionConfigured> producer = new KafkaProducer<>(
                    kafka.producerProperties(), new StringSerializer(), Topics.CONFIGURED.valueSerializer(registry, true))) {
                long now = System.currentTimeMillis();
                for (int i = 0; i < watches; i++) {
                    String d = domain(i);
                    producer.send(new ProducerRecord<>(Topics.CONFIGURED.name(), d, configured(d, now)));
                }
                producer.flush();
            }
            System.out.printf("produced %,d ConnectionConfigured in %.1f s%n", watches, seconds(t0));
            awaitPending(app, watches);
            System.out.printf("loaded %,d pending watches in %.1f s (from the first send)%n", watches, seconds(t0));
            long loadedHeap = heapAfterGc();
            System.out.printf("heap after GC with %,d pending: %d MB (growth over broker-only baseline: %d MB)%n",
                    watches, loadedHeap >> 20, (loadedHeap - baseline) >> 20);
            System.out.printf("state dir on disk: %d MB%n", du(work.resolve("state-1")) >> 20);

            measureDueDelay(kafka, registry, watches, probes, perSecond, delays);
            System.out.printf("counters: %s%n", app.metrics());

            // restart 1: same state dir (clean shutdown, checkpoint written): no restore
            app.close();
            t0 = System.nanoTime();
            app = PropagationWatcherApp.start(config, checker, WixRateLimiter.unlimited());
            app.awaitRunning(java.time.Duration.ofMinutes(30));
            System.out.printf("restart on the same state dir: running after %.1f s%n", seconds(t0));
            app.close();

            // restart 2: empty state dir: a full restore of both stores from their changelogs
            t0 = System.nanoTime();
            app = PropagationWatcherApp.start(config(kafka.bootstrapServers(), fake.url(), work.resolve("state-2")), checker,
                    WixRateLimiter.unlimited());
            app.awaitRunning(java.time.Duration.ofMinutes(30));
            System.out.printf("restart on an empty state dir (restore from changelog): running after %.1f s, disk %d MB%n",
                    seconds(t0), du(work.resolve("state-2")) >> 20);
            System.out.printf("heap after GC after restore: %d MB%n", heapAfterGc() >> 20);
            delays.clear();
            measureDueDelay(kafka, registry, watches, probes / 3, perSecond, delays);
            app.close();
        } finally {
            deleteTree(work);
        }
        System.exit(0);
    }

    /** The benchmark holds no list of its domains (that alone would be ~80 MB of heap for a million). */
    private static String domain(int i) {
        return String.format("b%07d.bench.test", i);
    }

    private static void measureDueDelay(EmbeddedKafkaCluster kafka, SchemaRegistryClient registry, int watches,
                                        int probes, int perSecond, ConcurrentLinkedQueue<long[]> delays) throws InterruptedException {
        long offset = new Random().nextInt(watches);
        delays.clear();
        try (KafkaProducer<String, RecheckRequested> producer = new KafkaProducer<>(
                kafka.producerProperties(), new StringSerializer(), Topics.RECHECKS.valueSerializer(registry, true))) {
            long t0 = System.nanoTime();
            for (int i = 0; i < probes; i++) {
                String d = domain((int) ((offset + 7919L * i) % watches)); // distinct domains spread over all partitions
                producer.send(new ProducerRecord<>(Topics.RECHECKS.name(), d, RecheckRequested.newBuilder().setDomain(d)
                        .setRequestedAt(Instant.now()).build()));
                if (i % 50 == 49) { // a steady perSecond due checks: each batch of 50 waits for its due time
                    producer.flush();
                    long ahead = t0 + (i + 1) * 1_000_000_000L / perSecond - System.nanoTime();
                    if (ahead > 0) {
                        Thread.sleep(ahead / 1_000_000, (int) (ahead % 1_000_000));
                    }
                }
            }
            producer.flush();
        }
        long deadline = System.currentTimeMillis() + 60_000;
        while (delays.size() < probes && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        long[] sorted = delays.stream().mapToLong(a -> a[0]).sorted().toArray();
        if (sorted.length == 0) {
            System.out.println("due-check delay: no checks observed");
            return;
        }
        System.out.printf("due-check delay over %,d checks: p50 %d ms, p99 %d ms, max %d ms%n", sorted.length,
                sorted[(int) Math.min(sorted.length - 1, Math.ceil(0.50 * sorted.length) - 1)],
                sorted[(int) Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)], sorted[sorted.length - 1]);
    }

    private static ServiceConfig config(String bootstrap, String registryUrl, Path stateDir) {
        Map<String, String> env = new HashMap<>();
        env.put("BOOTSTRAP_SERVERS", bootstrap);
        env.put("SCHEMA_REGISTRY_URL", registryUrl);
        env.put("INSTANCE_ID", "bench");
        env.put("HTTP_PORT", "0");
        env.put("STATE_DIR", stateDir.toString());
        env.put("WIX_API_KEY", "unused");
        // nothing comes due by itself during the run: only the probes (rechecks)
        env.put("CHECK_FIRST_DELAY_MS", "3600000");
        env.put("CHECK_INITIAL_INTERVAL_MS", "3600000");
        env.put("CHECK_MAX_INTERVAL_MS", "3600000");
        env.put("CHECK_JITTER", "0.5");
        return ServiceConfig.load(WatcherConfig.definition(), env);
    }

    private static ConnectionConfigured configured(String domain, long now) {
        return ConnectionConfigured.newBuilder()
                .setContext(RequestContext.newBuilder().setRequestId("req-" + domain).setDomain(domain)
                        .setFlow(Flow.POINTING).setAccountId(ACCOUNT).setSiteId(SITE).setGeneration(1).build())
                .setOccurredAt(Instant.ofEpochMilli(now))
                .setRequestedAt(Instant.ofEpochMilli(now))
                .build();
    }

    private static void awaitPending(PropagationWatcherApp app, long n) throws InterruptedException {
        long last = -1;
        long lastChange = System.nanoTime();
        while (app.metrics().pendingWatches() < n) {
            long p = app.metrics().pendingWatches();
            if (p != last) {
                last = p;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > 120_000_000_000L) {
                throw new IllegalStateException("loading stalled at " + p + " pending watches");
            }
            Thread.sleep(500);
        }
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static long du(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
