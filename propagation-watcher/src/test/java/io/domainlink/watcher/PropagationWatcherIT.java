package io.domainlink.watcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.domainlink.common.Topics;
import io.domainlink.common.config.ServiceConfig;
import io.domainlink.common.registry.RegistryConfig;
import io.domainlink.common.registry.SchemaRegistryClient;
import io.domainlink.events.ConnectionConfigured;
import io.domainlink.events.DomainConnected;
import io.domainlink.events.DomainFailed;
import io.domainlink.events.FailureReason;
import io.domainlink.events.Flow;
import io.domainlink.events.PropagationStatus;
import io.domainlink.events.RequestContext;
import io.domainlink.testsupport.KafkaCluster;
import io.domainlink.testsupport.KafkaClusterExtension;
import io.domainlink.testsupport.SchemaRegistryExtension;
import io.domainlink.testsupport.SchemaRegistryProcess;
import io.domainlink.wix.ApiKey;
import io.domainlink.wix.AssignmentType;
import io.domainlink.wix.ConnectedDomain;
import io.domainlink.wix.ConnectionType;
import io.domainlink.wix.WixClient;
import io.domainlink.wix.WixRateLimiter;
import io.domainlink.wix.sandbox.CallRecord;
import io.domainlink.wix.sandbox.Endpoint;
import io.domainlink.wix.sandbox.SandboxConfig;
import io.domainlink.wix.sandbox.Scenario;
import io.domainlink.wix.sandbox.WixSandbox;

/**
 * The watcher on the real in-JVM broker, the real registry and the Wix sandbox: N configured domains (1 000 by
 * default, 10 000 with {@code -Plong}), 30 % completing after a random delay, 1 % never, 3 % FAILED, the rest
 * quickly; the watcher is closed and a new instance with an empty state directory started halfway.
 */
@ExtendWith({KafkaClusterExtension.class, SchemaRegistryExtension.class})
class PropagationWatcherIT {

    static KafkaCluster kafka;
    static SchemaRegistryProcess registry;

    static final int DOMAINS = Integer.getInteger("watcher.it.domains", 1000);
    static final int ACCOUNTS = Math.max(5, DOMAINS / 400);
    static final int LIMIT_PER_MINUTE = 900;
    static final double JITTER = 0.1;
    static final long FIRST_DELAY_MS = 2_000;
    static final long INITIAL_INTERVAL_MS = 2_000;
    /** Long enough for the first-check backlog of the whole batch to drain through the limiter before the deadline. */
    static final long DEADLINE_MS = DOMAINS > 2_000 ? 90_000 : 50_000;

    /** A check the watcher started: what it served and when. */
    record Check(String domain, long dueAt, long startedAt) {
    }

    @Test
    void everyRequestEndsExactlyOnceNoCheckIsEarlyAndTheRateLimitIsNeverTripped() throws Exception {
        kafka.createTopics(Topics.all().stream().map(t -> t.newTopic(6, (short) 1, Map.of())).toList());
        Scenario scenario = new Scenario().allSitesPremium(true).propagationDelayMs(1_000)
                .rule(new Scenario.Rule("*-never.test").propagation(Scenario.Outcome.NEVER))
                .rule(new Scenario.Rule("*-failed.test").propagation(Scenario.Outcome.FAILED).propagationDelayMs(1_000));
        for (int bucket = 0; bucket < 10; bucket++) {
            scenario.rule(new Scenario.Rule("*-slow" + bucket + ".test").propagationDelayMs(3_000 + 3_000L * bucket));
        }
        List<String> accounts = new ArrayList<>();
        for (int a = 0; a < ACCOUNTS; a++) {
            accounts.add(String.format("%08d-0000-4000-8000-000000000000", a + 1));
        }
        String site = "5e4f3c2b-1a09-4876-9543-210fedcba987";
        Map<String, String> kindByDomain = new HashMap<>();
        List<String> domains = new ArrayList<>();
        for (int i = 0; i < DOMAINS; i++) {
            int m = i % 100;
            String kind = m == 0 ? "never" : m <= 3 ? "failed" : m <= 33 ? "slow" + (i % 10) : "fast";
            String d = String.format("d%05d-%s.test", i, kind);
            domains.add(d);
            kindByDomain.put(d, kind);
        }
        Collections.shuffle(domains, new java.util.Random(11));

        Path stateDir = Files.createTempDirectory("watcher-it");
        try (WixSandbox wix = WixSandbox.start(SandboxConfig.defaults().withThreads(16).withScenario(scenario));
             SchemaRegistryClient registryClient = new SchemaRegistryClient(RegistryConfig.of(registry.confluentUrl()))) {
            long seedStart = System.nanoTime();
            seed(wix, domains, accounts, site);
            System.out.printf("seeded %d domains in %d ms%n", DOMAINS, (System.nanoTime() - seedStart) / 1_000_000);
            wix.clearCalls();
            wix.updateScenario(s -> s.rateLimitPerMinute(LIMIT_PER_MINUTE));

            ConcurrentLinkedQueue<Check> checks = new ConcurrentLinkedQueue<>();
            Map<String, Long> publishedAt = new ConcurrentHashMap<>();
            long start = System.currentTimeMillis();
            PropagationWatcherApp app = PropagationWatcherApp.start(config(wix, stateDir.resolve("first")), recording(checks));
            try (KafkaProducer<String, ConnectionConfigured> producer = new KafkaProducer<>(
                    kafka.producerProperties(), new StringSerializer(), Topics.CONFIGURED.valueSerializer(registryClient, true))) {
                for (int i = 0; i < domains.size(); i++) {
                    String d = domains.get(i);
                    wix.ownerSetRecords(d); // propagation starts now: the owner set the records
                    long now = System.currentTimeMillis();
                    publishedAt.put(d, now);
                    producer.send(new ProducerRecord<>(Topics.CONFIGURED.name(), d,
                            configured(d, "req-" + d, accounts.get(i % ACCOUNTS), site, now)));
                }
                producer.flush();
            }
            System.out.printf("published %d ConnectionConfigured in %d ms%n", DOMAINS, System.currentTimeMillis() - start);

            Map<String, List<SpecificRecord>> outcomes = new ConcurrentHashMap<>();
            try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(
                    kafka.consumerProperties("watcher-it-verifier"), new StringDeserializer(),
                    Topics.OUTCOMES.valueDeserializer(registryClient))) {
                consumer.subscribe(List.of(Topics.OUTCOMES.name()));
                // halfway: close the watcher and start a new instance on an empty state directory (restore from changelog)
                poll(consumer, outcomes, DOMAINS / 2, Duration.ofSeconds(90));
                int before = outcomes.size();
                System.out.printf("%d terminal events %d ms after the first publish%n", before, System.currentTimeMillis() - start);
                long t0 = System.nanoTime();
                app.close();
                app = PropagationWatcherApp.start(config(wix, stateDir.resolve("second")), recording(checks));
                assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();
                System.out.printf("restarted after %d terminal events; new instance running after %d ms%n", before,
                        (System.nanoTime() - t0) / 1_000_000);

                poll(consumer, outcomes, DOMAINS, Duration.ofMillis(DEADLINE_MS + 60_000));
                // anything more would be a duplicate: give it a few seconds to show up
                poll(consumer, outcomes, Integer.MAX_VALUE, Duration.ofSeconds(5));
            } finally {
                System.out.println("watcher metrics " + app.metrics());
                app.close();
            }
            System.out.printf("all %d requests ended %d ms after the first was published%n", outcomes.size(),
                    System.currentTimeMillis() - start);

            // I1/I2: every request exactly once, and the right outcome for its scenario
            assertThat(outcomes).hasSize(DOMAINS);
            assertThat(outcomes.values()).allSatisfy(list -> assertThat(list).hasSize(1));
            for (String d : domains) {
                SpecificRecord outcome = outcomes.get(d).get(0);
                String kind = kindByDomain.get(d);
                if (kind.equals("never")) {
                    assertThat(outcome).isInstanceOf(DomainFailed.class);
                    assertThat(((DomainFailed) outcome).getReason()).as(d).isEqualTo(FailureReason.PROPAGATION_TIMEOUT);
                    assertThat(((DomainFailed) outcome).getLastStatus()).as(d).isEqualTo(PropagationStatus.IN_PROGRESS);
                } else if (kind.equals("failed")) {
                    assertThat(outcome).isInstanceOf(DomainFailed.class);
                    assertThat(((DomainFailed) outcome).getReason()).as(d).isEqualTo(FailureReason.PROPAGATION_FAILED);
                } else {
                    assertThat(outcome).as(d).isInstanceOf(DomainConnected.class);
                    assertThat(((DomainConnected) outcome).getContext().getRequestId()).isEqualTo("req-" + d);
                }
            }

            // the sandbox never saw more than the limit: zero 429s, and only Get Connected Domain calls
            List<CallRecord> calls = wix.calls();
            assertThat(calls).extracting(CallRecord::status).doesNotContain(429);
            assertThat(calls).extracting(CallRecord::endpoint).containsOnly(Endpoint.GET_CONNECTED_DOMAIN);
            assertThat(calls).extracting(CallRecord::status).containsOnly(200);

            // no check before its due time: as the watcher started it ...
            assertThat(checks).isNotEmpty();
            assertThat(checks).allSatisfy(c -> assertThat(c.startedAt()).as(c.toString()).isGreaterThanOrEqualTo(c.dueAt()));
            // ... and as the sandbox answered it, against the published schedule
            Map<String, List<Long>> callTimes = calls.stream().collect(Collectors.groupingBy(CallRecord::domain,
                    Collectors.mapping(c -> Instant.parse(c.time()).toEpochMilli(), Collectors.toList())));
            long earliestFirst = (long) Math.floor(FIRST_DELAY_MS * (1 - JITTER));
            long earliestGap = (long) Math.floor(INITIAL_INTERVAL_MS * (1 - JITTER));
            Map<String, List<Check>> checksByDomain = checks.stream().collect(Collectors.groupingBy(Check::domain));
            int repeats = 0;
            int unmatched = 0;
            for (Map.Entry<String, List<Long>> e : callTimes.entrySet()) {
                List<Long> times = e.getValue().stream().sorted().toList();
                assertThat(times.get(0) - publishedAt.get(e.getKey())).as("first check of %s", e.getKey())
                        .isGreaterThanOrEqualTo(earliestFirst);
                List<Check> mine = checksByDomain.getOrDefault(e.getKey(), List.of()).stream()
                        .sorted(java.util.Comparator.comparingLong(Check::startedAt)).toList();
                if (mine.size() != times.size()) {
                    unmatched++; // a check cancelled by the restart that may or may not have reached the sandbox
                    continue;
                }
                for (int i = 1; i < times.size(); i++) {
                    if (mine.get(i).dueAt() == mine.get(i - 1).dueAt()) {
                        repeats++; // the same due check again: its answer was not committed before the restart
                        continue;
                    }
                    assertThat(times.get(i) - times.get(i - 1)).as("gap before check %d of %s", i + 1, e.getKey())
                            .isGreaterThanOrEqualTo(earliestGap);
                }
            }
            System.out.printf("checks repeated after the restart: %d; domains whose cancelled check may have reached Wix: %d%n",
                    repeats, unmatched);
            assertThat(repeats + unmatched).as("only checks in flight or uncommitted at the restart repeat")
                    .isLessThanOrEqualTo(6 * 64);
            System.out.printf("%d Wix checks, %d domains, 0 x 429, limit %d/min on each of %d accounts%n",
                    calls.size(), callTimes.size(), LIMIT_PER_MINUTE, ACCOUNTS);
        }
    }

    private static ServiceConfig config(WixSandbox wix, Path stateDir) {
        Map<String, String> env = new HashMap<>();
        env.put("BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("SCHEMA_REGISTRY_URL", registry.confluentUrl());
        env.put("HTTP_PORT", "-1");
        env.put("INSTANCE_ID", "it");
        env.put("STATE_DIR", stateDir.toString());
        env.put("WIX_BASE_URL", wix.baseUrl());
        env.put("WIX_API_KEY", Scenario.DEFAULT_API_KEY);
        env.put("WIX_RATE_LIMIT_PER_MINUTE", Integer.toString(LIMIT_PER_MINUTE));
        env.put("CHECK_FIRST_DELAY_MS", Long.toString(FIRST_DELAY_MS));
        env.put("CHECK_INITIAL_INTERVAL_MS", Long.toString(INITIAL_INTERVAL_MS));
        env.put("CHECK_MAX_INTERVAL_MS", "8000");
        env.put("CHECK_JITTER", Double.toString(JITTER));
        env.put("WATCH_DEADLINE_MS", Long.toString(DEADLINE_MS));
        env.put("FAILED_GRACE_MS", "6000");
        env.put("FAILED_CHECK_INTERVAL_MS", "2000");
        env.put("CHECK_RETRY_DELAY_MS", "2000");
        env.put("SCAN_INTERVAL_MS", "50");
        env.put("KAFKA_COMMIT_INTERVAL_MS", "200");
        // the stream thread loops at least every 20 ms so scans can use a 900/min limiter (one permit per 70 ms)
        env.put("KAFKA_POLL_MS", "20");
        return ServiceConfig.load(WatcherConfig.definition(), env);
    }

    private static java.util.function.UnaryOperator<PropagationChecker> recording(ConcurrentLinkedQueue<Check> checks) {
        return real -> request -> {
            checks.add(new Check(request.domain(), request.dueAt(), System.currentTimeMillis()));
            return real.check(request);
        };
    }

    private static void seed(WixSandbox wix, List<String> domains, List<String> accounts, String site) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try (WixClient client = WixClient.builder().baseUrl(wix.baseUrl()).apiKey(ApiKey.of(Scenario.DEFAULT_API_KEY))
                .rateLimiter(WixRateLimiter.unlimited()).build()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < domains.size(); i++) {
                String d = domains.get(i);
                String account = accounts.get(i % accounts.size());
                futures.add(pool.submit(() -> client.createConnectedDomain(account, site,
                        ConnectedDomain.toCreate(d, ConnectionType.POINTING, AssignmentType.PRIMARY))));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static ConnectionConfigured configured(String domain, String requestId, String account, String site, long now) {
        return ConnectionConfigured.newBuilder()
                .setContext(RequestContext.newBuilder().setRequestId(requestId).setDomain(domain).setFlow(Flow.POINTING)
                        .setAccountId(account).setSiteId(site).setCorrelation(Map.of("it", "watcher")).setGeneration(1).build())
                .setOccurredAt(Instant.ofEpochMilli(now))
                .setRequestedAt(Instant.ofEpochMilli(now - 5_000))
                .setWixStatus(PropagationStatus.UNKNOWN_DNS_PROPAGATION_STATUS)
                .build();
    }

    private static void poll(KafkaConsumer<String, SpecificRecord> consumer, Map<String, List<SpecificRecord>> outcomes,
                             int until, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (outcomes.size() < until && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, SpecificRecord> r : consumer.poll(Duration.ofMillis(200))) {
                String requestDomain = r.value() instanceof DomainConnected c ? c.getContext().getDomain()
                        : ((DomainFailed) r.value()).getContext().getDomain();
                outcomes.computeIfAbsent(requestDomain, k -> Collections.synchronizedList(new ArrayList<>())).add(r.value());
            }
        }
    }
}
