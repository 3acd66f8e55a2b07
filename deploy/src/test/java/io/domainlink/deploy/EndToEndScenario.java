package io.domainlink.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.domainlink.common.DomainNames;
import io.domainlink.common.TopicSpec;
import io.domainlink.common.Topics;
import io.domainlink.common.kafka.KafkaDefaults;
import io.domainlink.common.registry.SchemaRegistryClient;
import io.domainlink.events.ConnectionAccepted;
import io.domainlink.events.ConnectionConfigured;
import io.domainlink.events.ConnectionRequested;
import io.domainlink.events.DnsRecord;
import io.domainlink.events.DomainConnected;
import io.domainlink.events.DomainFailed;
import io.domainlink.events.OwnerActionRequired;
import io.domainlink.events.PropagationProgress;
import io.domainlink.events.RequestContext;
import io.domainlink.wix.sandbox.DomainSnapshot;
import io.domainlink.wix.sandbox.Effect;
import io.domainlink.wix.sandbox.Endpoint;
import io.domainlink.wix.sandbox.ManualClock;
import io.domainlink.wix.sandbox.Scenario;
import io.domainlink.tools.RequestFile;
import io.domainlink.tools.RequestSubmitter;

/**
 * The end-to-end scenario both end-to-end ITs run against the stack {@code deploy/local-stack.sh} starts ({@link Stack}:
 * registry process, Wix sandbox, topics from {@link Topics}, the three services with their production configuration),
 * on whatever broker the test has. It submits the demo set (every flow, a premium plan, an invalid request, a Wix
 * rejection), plays the site owner through the sandbox admin endpoint, moves Wix's propagation on with the sandbox's
 * clock (so every progress event is deterministic), and then checks, per domain: the exact events on every topic, the
 * final state at "Wix", and exactly one terminal event carrying the caller's correlation metadata.
 */
final class EndToEndScenario {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private final ManualClock wixClock = new ManualClock(Instant.now());
    private final HttpClient http = HttpClient.newHttpClient();

    void run(String bootstrapServers, Path dataDir) throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
        Scenario scenario = Scenario.parse(LocalStack.resource(LocalStack.DEMO_SCENARIO));
        Stack.Settings settings = new Stack.Settings(dataDir, 0, 0, Ports.freePort(), 0, scenario, null, null,
                RegistryServer.locateJar(LocalStack.version()), bootstrapServers, null, PipelineServices.LOCAL_WATCH_SCHEDULE,
                wixClock);
        List<RequestFile.Planned> demo = RequestFile.parse(LocalStack.resource(LocalStack.DEMO_REQUESTS),
                "e2e" + Long.toString(System.nanoTime() % 100_000, 36), Instant.now());
        Map<String, ConnectionRequested> byKind = new LinkedHashMap<>();
        demo.forEach(p -> byKind.put(p.request().getRequestId().replaceFirst("^demo-[^-]+-", ""), p.request()));
        assertThat(byKind).containsOnlyKeys("nameservers", "pointing", "subdomain", "premium-plan", "invalid", "wix-rejects");

        try (Stack stack = Stack.start(settings, out);
             SchemaRegistryClient registry = KafkaDefaults.registry(stack.clientConfig())) {
            ProgressBoard board = new ProgressBoard(Instant.now(), false);
            try (PipelineObserver observer = new PipelineObserver(stack.clientConfig(), registry, board, out, List.of(), Clock.systemUTC());
                 RequestSubmitter submitter = new RequestSubmitter(stack.clientConfig(), registry)) {
                for (RequestFile.Planned p : demo) {
                    board.plan(p.request(), p.expect());
                    submitter.submit(p.request());
                }
                String sandbox = stack.sandbox().baseUrl();
                // the owner acts only once the watcher has seen the domain waiting for them (status unchanged, no progress)
                for (String kind : List.of("pointing", "subdomain")) {
                    String domain = domain(byKind.get(kind));
                    await(kind + " checked while waiting for the owner").atMost(TIMEOUT).until(() ->
                            stack.sandbox().calls(Endpoint.GET_CONNECTED_DOMAIN).stream().anyMatch(c -> domain.equals(c.domain())));
                    HttpResponse<String> set = http.send(HttpRequest.newBuilder(URI.create(sandbox + "/_sandbox/owner-records/" + domain))
                            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(set.statusCode()).as("owner sets the records of %s", domain).isEqualTo(200);
                }
                // every connectable domain is propagating, and the watcher has said so; then Wix finishes
                List<String> connectable = List.of("nameservers", "pointing", "subdomain", "premium-plan");
                await("IN_PROGRESS seen by the watcher").atMost(TIMEOUT).until(() -> connectable.stream().allMatch(k ->
                        board.rows().stream().anyMatch(r -> r.requestId.equals(byKind.get(k).getRequestId()) && r.stage.startsWith("propagation IN_PROGRESS"))));
                wixClock.advance(Duration.ofMillis(scenario.propagation.delayMs + 1_000));
                List<String> ids = demo.stream().map(p -> p.request().getRequestId()).toList();
                await("every request has its outcome").atMost(TIMEOUT).until(() -> board.allDone(ids));
                assertThat(board.allAsExpected()).as("summary:%n%s%nconsole:%n%s", board.summary(), console).isTrue();
            }

            Map<String, Map<String, List<Object>>> topics = readEverything(stack, registry);

            // -- NAMESERVERS: the pipeline sets A and CNAME in Wix's zone; the owner is told the nameservers
            ConnectionRequested ns = byKind.get("nameservers");
            assertThat(sequences(topics, ns)).containsExactlyEntriesOf(expected(
                    "ConnectionRequested",
                    "ConnectionAccepted[NAMESERVERS gen=1]",
                    "ConnectionConfigured[package=no setByPipeline=A,CNAME forOwner=NS ownerMustAct=true]",
                    "OwnerActionRequired[SET_NAMESERVERS NS]",
                    List.of("PropagationProgress[IN_PROGRESS]", "PropagationProgress[COMPLETED]"),
                    "DomainConnected"));
            DomainSnapshot nsAtWix = stack.sandbox().domain(domain(ns)).orElseThrow();
            assertThat(nsAtWix.connectionType()).isEqualTo("NAMESERVERS");
            assertThat(nsAtWix.siteId()).isEqualTo(ns.getSiteId());
            assertThat(nsAtWix.dnsPropagationStatus()).isEqualTo("COMPLETED");
            assertThat(nsAtWix.zoneHasExpectedRecords()).isTrue();
            assertThat(nsAtWix.zone()).filteredOn(r -> r.type().equals("A")).singleElement()
                    .satisfies(a -> assertThat(a.values()).containsExactlyInAnyOrder("185.230.63.107", "185.230.63.171", "185.230.63.186"));

            // -- POINTING: the owner sets A and CNAME at the registrar
            ConnectionRequested pointing = byKind.get("pointing");
            assertThat(sequences(topics, pointing)).containsExactlyEntriesOf(expected(
                    "ConnectionRequested",
                    "ConnectionAccepted[POINTING gen=1]",
                    "ConnectionConfigured[package=no setByPipeline= forOwner=A,CNAME ownerMustAct=true]",
                    "OwnerActionRequired[SET_RECORDS A,CNAME]",
                    List.of("PropagationProgress[IN_PROGRESS]", "PropagationProgress[COMPLETED]"),
                    "DomainConnected"));
            assertWix(stack, pointing, "POINTING", "COMPLETED");

            // -- SUBDOMAIN: the owner sets the CNAME
            ConnectionRequested sub = byKind.get("subdomain");
            assertThat(sequences(topics, sub)).containsExactlyEntriesOf(expected(
                    "ConnectionRequested",
                    "ConnectionAccepted[SUBDOMAIN gen=1]",
                    "ConnectionConfigured[package=no setByPipeline= forOwner=CNAME ownerMustAct=true]",
                    "OwnerActionRequired[SET_RECORDS CNAME]",
                    List.of("PropagationProgress[IN_PROGRESS]", "PropagationProgress[COMPLETED]"),
                    "DomainConnected"));
            assertThat(stack.sandbox().domain(domain(sub)).orElseThrow().dnsPropagationStatus()).isEqualTo("COMPLETED");

            // -- premium plan on a free site: the package is created once, then the domain is connected
            ConnectionRequested premium = byKind.get("premium-plan");
            assertThat(sequences(topics, premium)).containsExactlyEntriesOf(expected(
                    "ConnectionRequested",
                    "ConnectionAccepted[NAMESERVERS gen=1]",
                    "ConnectionConfigured[package=yes setByPipeline=A,CNAME forOwner=NS ownerMustAct=true]",
                    "OwnerActionRequired[SET_NAMESERVERS NS]",
                    List.of("PropagationProgress[IN_PROGRESS]", "PropagationProgress[COMPLETED]"),
                    "DomainConnected"));
            assertWix(stack, premium, "NAMESERVERS", "COMPLETED");
            assertThat(stack.sandbox().calls(Endpoint.CREATE_PACKAGE)).filteredOn(c -> c.effect() == Effect.PACKAGE_CREATED)
                    .as("one package created, with an idempotency key").singleElement()
                    .satisfies(c -> assertThat(c.idempotencyKey()).isNotBlank());

            // -- invalid: rejected by the ingestor, nothing reaches Wix
            ConnectionRequested invalid = byKind.get("invalid");
            assertThat(sequences(topics, invalid)).containsExactlyEntriesOf(expected(
                    "ConnectionRequested", null, null, null, List.of(), "DomainFailed[INVALID_REQUEST]"));
            assertThat(stack.sandbox().domain(domain(invalid))).isEmpty();

            // -- Wix rejects the domain: a failure with Wix's code, nothing created
            ConnectionRequested rejected = byKind.get("wix-rejects");
            assertThat(sequences(topics, rejected)).containsExactlyEntriesOf(expected(
                    "ConnectionRequested", "ConnectionAccepted[POINTING gen=1]", null, null, List.of(), "DomainFailed[WIX_REJECTED]"));
            DomainFailed wixFailure = (DomainFailed) terminal(topics, rejected);
            assertThat(wixFailure.getWixErrorCode()).isEqualTo("INVALID_DOMAINS_PREVIEW_RECORDS");
            assertThat(wixFailure.getWixHttpStatus()).isEqualTo(403);
            assertThat(stack.sandbox().domain(domain(rejected))).isEmpty();

            // -- every request: exactly one terminal event, and every event echoes the caller's correlation and request id
            for (ConnectionRequested r : byKind.values()) {
                assertThat(topics.getOrDefault(Topics.OUTCOMES.name(), Map.of()).getOrDefault(domain(r), List.of()))
                        .as("terminal events of %s", r.getRequestId()).hasSize(1);
                for (Map<String, List<Object>> byDomain : topics.values()) {
                    for (Object event : byDomain.getOrDefault(domain(r), List.of())) {
                        RequestContext ctx = context(event);
                        if (ctx != null) {
                            assertThat(ctx.getRequestId()).isEqualTo(r.getRequestId());
                            assertThat(ctx.getCorrelation()).as("correlation on %s", event.getClass().getSimpleName())
                                    .isEqualTo(r.getCorrelation());
                        }
                    }
                }
            }
            assertThat(topics.getOrDefault(Topics.DEAD_LETTER.name(), Map.of())).as("dead letters").isEmpty();
        }
    }

    private static void assertWix(Stack stack, ConnectionRequested r, String type, String status) {
        DomainSnapshot atWix = stack.sandbox().domain(domain(r)).orElseThrow();
        assertThat(atWix.connectionType()).isEqualTo(type);
        assertThat(atWix.siteId()).isEqualTo(r.getSiteId());
        assertThat(atWix.accountId()).isEqualTo(r.getAccountId());
        assertThat(atWix.dnsPropagationStatus()).isEqualTo(status);
    }

    static String domain(ConnectionRequested r) {
        return DomainNames.normalize(r.getDomain());
    }

    /** topic → events in order, for the request's domain; topics without events for it are left out. */
    private static Map<String, List<String>> sequences(Map<String, Map<String, List<Object>>> topics, ConnectionRequested r) {
        Map<String, List<String>> seq = new LinkedHashMap<>();
        for (TopicSpec<?> spec : Topics.all()) {
            List<Object> events = topics.getOrDefault(spec.name(), Map.of()).getOrDefault(domain(r), List.of());
            if (!events.isEmpty()) {
                seq.put(spec.name(), events.stream().map(EndToEndScenario::describe).toList());
            }
        }
        return seq;
    }

    private static Map<String, List<String>> expected(String requested, String accepted, String configured, String ownerAction,
                                                      List<String> progress, String outcome) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put(Topics.REQUESTS.name(), List.of(requested));
        if (accepted != null) {
            m.put(Topics.ACCEPTED.name(), List.of(accepted));
        }
        if (configured != null) {
            m.put(Topics.CONFIGURED.name(), List.of(configured));
        }
        if (ownerAction != null) {
            m.put(Topics.OWNER_ACTIONS.name(), List.of(ownerAction));
        }
        if (!progress.isEmpty()) {
            m.put(Topics.PROGRESS.name(), progress);
        }
        m.put(Topics.OUTCOMES.name(), List.of(outcome));
        return m;
    }

    private static Object terminal(Map<String, Map<String, List<Object>>> topics, ConnectionRequested r) {
        return topics.get(Topics.OUTCOMES.name()).get(domain(r)).get(0);
    }

    static String describe(Object e) {
        if (e instanceof ConnectionRequested) {
            return "ConnectionRequested";
        }
        if (e instanceof ConnectionAccepted a) {
            return "ConnectionAccepted[" + a.getContext().getFlow() + " gen=" + a.getContext().getGeneration() + "]";
        }
        if (e instanceof ConnectionConfigured c) {
            return "ConnectionConfigured[package=" + (c.getPackageId() != null ? "yes" : "no") + " setByPipeline=" + types(c.getRecordsSetByPipeline())
                    + " forOwner=" + types(c.getRecordsForOwner()) + " ownerMustAct=" + c.getOwnerMustAct() + "]";
        }
        if (e instanceof OwnerActionRequired o) {
            return "OwnerActionRequired[" + o.getAction() + " " + types(o.getRecords()) + "]";
        }
        if (e instanceof PropagationProgress p) {
            return "PropagationProgress[" + p.getStatus() + "]";
        }
        if (e instanceof DomainConnected) {
            return "DomainConnected";
        }
        if (e instanceof DomainFailed f) {
            return "DomainFailed[" + f.getReason() + "]";
        }
        return e.getClass().getSimpleName();
    }

    private static String types(List<DnsRecord> records) {
        return records.stream().map(r -> r.getType().name()).distinct().collect(Collectors.joining(","));
    }

    private static RequestContext context(Object e) {
        if (e instanceof ConnectionAccepted a) {
            return a.getContext();
        }
        if (e instanceof ConnectionConfigured c) {
            return c.getContext();
        }
        if (e instanceof OwnerActionRequired o) {
            return o.getContext();
        }
        if (e instanceof PropagationProgress p) {
            return p.getContext();
        }
        if (e instanceof DomainConnected d) {
            return d.getContext();
        }
        if (e instanceof DomainFailed f) {
            return f.getContext();
        }
        return null;
    }

    /** Every committed record of every topic, from the beginning: topic → key → decoded values (raw bytes for the DLQ). */
    private static Map<String, Map<String, List<Object>>> readEverything(Stack stack, SchemaRegistryClient registry) {
        Map<String, Object> props = KafkaDefaults.consumer(stack.clientConfig(), "e2e-verifier", "unused");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        Map<String, Map<String, List<Object>>> out = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            Set<String> names = Topics.all().stream().map(TopicSpec::name).collect(Collectors.toSet());
            names.forEach(t -> consumer.partitionsFor(t).forEach(p -> partitions.add(new TopicPartition(t, p.partition()))));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    TopicSpec<?> spec = Topics.all().stream().filter(s -> s.name().equals(r.topic())).findFirst().orElseThrow();
                    Object value = spec.schema().isPresent() ? spec.valueDeserializer(registry).deserialize(r.topic(), r.value()) : r.value();
                    out.computeIfAbsent(r.topic(), t -> new HashMap<>()).computeIfAbsent(r.key(), k -> new ArrayList<>()).add(value);
                }
            }
        }
        return out;
    }
}
