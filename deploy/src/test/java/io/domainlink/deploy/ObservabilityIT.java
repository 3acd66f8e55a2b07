package io.domainlink.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.domainlink.common.DomainNames;
import io.domainlink.common.TopicSpec;
import io.domainlink.common.Topics;
import io.domainlink.common.config.ServiceConfig;
import io.domainlink.common.registry.RegistryConfig;
import io.domainlink.common.registry.SchemaRegistryClient;
import io.domainlink.common.tracing.TraceContext;
import io.domainlink.connector.DomainConnectorApp;
import io.domainlink.events.BillingCycle;
import io.domainlink.events.ConnectionRequested;
import io.domainlink.events.ConnectionType;
import io.domainlink.events.CycleType;
import io.domainlink.events.CycleUnit;
import io.domainlink.events.PremiumPlan;
import io.domainlink.events.PropagationProgress;
import io.domainlink.events.PropagationStatus;
import io.domainlink.ingestor.RequestIngestorApp;
import io.domainlink.testsupport.KafkaCluster;
import io.domainlink.testsupport.KafkaClusterExtension;
import io.domainlink.testsupport.SchemaRegistryExtension;
import io.domainlink.testsupport.SchemaRegistryProcess;
import io.domainlink.watcher.PropagationWatcherApp;
import io.domainlink.wix.sandbox.ManualClock;
import io.domainlink.wix.sandbox.SandboxConfig;
import io.domainlink.wix.sandbox.Scenario;
import io.domainlink.wix.sandbox.WixSandbox;

/**
 * Issue 10 acceptance on the local stack's wiring ({@link PipelineServices}: the three services with their production
 * configuration, the Wix sandbox with the demo scenario, the real registry, topics from {@link Topics}): the demo set
 * (every flow, a premium plan, an invalid request, a Wix rejection) runs to its outcomes, then
 * <ul>
 *   <li>the request published with a known {@code traceparent} has that trace id on its accepted, configured,
 *       progress and outcome records, each stage with its own span; every other request got a trace created by the
 *       ingestor and keeps it to its outcome;</li>
 *   <li>each service's {@code /metrics} shows the events in and out, failures by reason, Wix calls by endpoint and
 *       status, and the dead-letter series.</li>
 * </ul>
 */
@ExtendWith({KafkaClusterExtension.class, SchemaRegistryExtension.class})
class ObservabilityIT {

    static KafkaCluster kafka;
    static SchemaRegistryProcess registry;

    static final String ACCOUNT = "9795dd3f-f50c-4092-a5c4-1c8e88517e1c";
    static final String CALLER_TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String CALLER_SPAN_ID = "00f067aa0ba902b7";
    static final Duration TIMEOUT = Duration.ofSeconds(90);

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void oneRequestCanBeFollowedByItsTraceAndEveryServiceReportsItsCountersAfterTheDemoSet(@TempDir Path data) throws Exception {
        String run = Long.toString(System.nanoTime() % 1_000_000, 36);
        Map<String, ConnectionRequested> demo = demoSet(run);
        Scenario scenario = Scenario.parse(java.nio.file.Files.readString(Path.of("demo", "sandbox-scenario.json")));
        ManualClock wixClock = new ManualClock(Instant.now());
        kafka.createTopics(Topics.all().stream().map(t -> t.newTopic(t.defaultPartitions(), (short) 1, Map.of())).toList());

        Deque<AutoCloseable> started = new ArrayDeque<>();
        Map<String, Integer> opsPorts = new LinkedHashMap<>();
        try (WixSandbox sandbox = WixSandbox.start(SandboxConfig.defaults().withScenario(scenario).withClock(wixClock));
             SchemaRegistryClient client = new SchemaRegistryClient(RegistryConfig.of(registry.confluentUrl()))) {
            Map<String, String> common = new HashMap<>();
            common.put(ServiceConfig.envName(ServiceConfig.BOOTSTRAP_SERVERS), kafka.bootstrapServers());
            common.put(ServiceConfig.envName(ServiceConfig.SCHEMA_REGISTRY_URL), registry.confluentUrl());
            common.put(ServiceConfig.envName(ServiceConfig.INSTANCE_ID), "observability-it");
            common.put(ServiceConfig.envName(ServiceConfig.REPLICATION_FACTOR), "1");
            common.put(ServiceConfig.envName(ServiceConfig.HTTP_PORT), "0");
            PipelineServices.startAll(new PipelineServices.Wiring(common, data.resolve("state"), sandbox.baseUrl(),
                    Scenario.DEFAULT_API_KEY, PipelineServices.LOCAL_WATCH_SCHEDULE), new PipelineServices.Listener() {
                        @Override
                        public void started(String name, AutoCloseable service) {
                            started.push(service);
                            opsPorts.put(name, service instanceof RequestIngestorApp i ? i.opsPort()
                                    : service instanceof DomainConnectorApp c ? c.opsPort() : ((PropagationWatcherApp) service).opsPort());
                        }

                        @Override
                        public void ready(String name, long startNanos) {
                        }
                    });

            // the demo set; the NAMESERVERS request as a traced upstream would publish it
            try (KafkaProducer<String, ConnectionRequested> producer = new KafkaProducer<>(kafka.producerProperties(),
                    new StringSerializer(), Topics.REQUESTS.valueSerializer(client, true))) {
                for (ConnectionRequested r : demo.values()) {
                    ProducerRecord<String, ConnectionRequested> record = new ProducerRecord<>(Topics.REQUESTS.name(), r.getDomain(), r);
                    if (r == demo.get("nameservers")) {
                        record.headers().add(TraceContext.HEADER,
                                ("00-" + CALLER_TRACE_ID + "-" + CALLER_SPAN_ID + "-01").getBytes(StandardCharsets.UTF_8));
                    }
                    producer.send(record);
                }
                producer.flush();
            }
            // the owners of the POINTING and SUBDOMAIN domains set their records once told to
            for (String kind : List.of("pointing", "subdomain")) {
                String domain = DomainNames.normalize(demo.get(kind).getDomain());
                await(kind + " configured").atMost(TIMEOUT).until(() -> !read(client, Topics.CONFIGURED, domain).isEmpty());
                sandbox.ownerSetRecords(domain);
            }
            // every connectable domain is propagating and the watcher has said so; then Wix finishes
            for (String kind : List.of("nameservers", "pointing", "subdomain", "premium-plan")) {
                String domain = DomainNames.normalize(demo.get(kind).getDomain());
                await(kind + " IN_PROGRESS").atMost(TIMEOUT).until(() -> read(client, Topics.PROGRESS, domain).stream()
                        .anyMatch(r -> ((PropagationProgress) r.value()).getStatus() == PropagationStatus.IN_PROGRESS));
            }
            wixClock.advance(Duration.ofMillis(scenario.propagation.delayMs + 1_000));
            for (ConnectionRequested r : demo.values()) {
                await(r.getRequestId() + " outcome").atMost(TIMEOUT).until(() -> !read(client, Topics.OUTCOMES, DomainNames.normalize(r.getDomain())).isEmpty());
            }

            // -- the traced request: one trace id from the request to its outcome, a span per stage
            String ns = DomainNames.normalize(demo.get("nameservers").getDomain());
            Map<String, TraceContext> hops = new LinkedHashMap<>();
            for (TopicSpec<?> topic : List.of(Topics.ACCEPTED, Topics.CONFIGURED, Topics.OWNER_ACTIONS, Topics.PROGRESS, Topics.OUTCOMES)) {
                List<Decoded> records = read(client, topic, ns);
                assertThat(records).as("records of %s on %s", ns, topic.name()).isNotEmpty();
                for (Decoded r : records) {
                    assertThat(r.trace()).as("traceparent on %s", topic.name()).isNotNull();
                    assertThat(r.trace().traceId()).as("trace id on %s", topic.name()).isEqualTo(CALLER_TRACE_ID);
                    hops.put(topic.name(), r.trace());
                }
            }
            assertThat(hops.get(Topics.ACCEPTED.name()).spanId()).as("the ingestor's span").isNotEqualTo(CALLER_SPAN_ID);
            assertThat(hops.get(Topics.CONFIGURED.name()).spanId()).as("the connector's span")
                    .isNotEqualTo(hops.get(Topics.ACCEPTED.name()).spanId());
            assertThat(hops.get(Topics.OUTCOMES.name()).spanId()).as("the watcher's span")
                    .isNotEqualTo(hops.get(Topics.CONFIGURED.name()).spanId())
                    .isEqualTo(hops.get(Topics.PROGRESS.name()).spanId());

            // -- every other request: a trace created by the ingestor, the same from accepted to the outcome
            for (ConnectionRequested r : demo.values()) {
                String domain = DomainNames.normalize(r.getDomain());
                List<String> traceIds = new ArrayList<>();
                for (TopicSpec<?> topic : List.of(Topics.ACCEPTED, Topics.CONFIGURED, Topics.PROGRESS, Topics.OUTCOMES)) {
                    read(client, topic, domain).forEach(d -> traceIds.add(d.trace() == null ? "none" : d.trace().traceId()));
                }
                assertThat(traceIds).as("trace ids of %s", r.getRequestId()).isNotEmpty().doesNotContain("none").containsOnly(traceIds.get(0));
                if (r != demo.get("nameservers")) {
                    assertThat(traceIds.get(0)).isNotEqualTo(CALLER_TRACE_ID);
                }
            }

            // -- metrics, as Prometheus would scrape them
            String ingestor = scrape(opsPorts.get("request-ingestor"));
            assertThat(ingestor)
                    .contains("domainlink_events_in_total{service=\"request-ingestor\",topic=\"domains.requests\"} 6.0")
                    .contains("domainlink_events_out_total{service=\"request-ingestor\",topic=\"domains.accepted\"} 5.0")
                    .contains("domainlink_events_out_total{service=\"request-ingestor\",topic=\"domains.outcomes\"} 1.0")
                    .contains("domainlink_failures_total{reason=\"INVALID_REQUEST\",service=\"request-ingestor\"} 1.0")
                    .contains("domainlink_dead_letters_total{service=\"request-ingestor\"} 0.0");
            String connector = scrape(opsPorts.get("domain-connector"));
            assertThat(connector)
                    .contains("domainlink_events_in_total{service=\"domain-connector\",topic=\"domains.accepted\"} 5.0")
                    .contains("domainlink_events_out_total{service=\"domain-connector\",topic=\"domains.configured\"} 4.0")
                    .contains("domainlink_events_out_total{service=\"domain-connector\",topic=\"domains.outcomes\"} 1.0")
                    .contains("domainlink_failures_total{reason=\"WIX_REJECTED\",service=\"domain-connector\"} 1.0")
                    .contains("domainlink_dead_letters_total{service=\"domain-connector\"} 0.0")
                    .containsPattern("(?m)^domainlink_wix_calls_seconds_count\\{endpoint=\"createConnectedDomain\",service=\"domain-connector\",status=\"200\"} 4$")
                    .containsPattern("(?m)^domainlink_wix_calls_seconds_count\\{endpoint=\"createConnectedDomain\",service=\"domain-connector\",status=\"403\"} 1$")
                    .contains("domainlink_wix_calls_seconds_bucket{endpoint=\"createConnectedDomain\",service=\"domain-connector\",status=\"200\",le=")
                    .contains("domainlink_wix_retries_total{endpoint=\"createConnectedDomain\",service=\"domain-connector\"}")
                    .contains("domainlink_wix_ratelimiter_wait_seconds_count{service=\"domain-connector\"}");
            String watcher = scrape(opsPorts.get("propagation-watcher"));
            assertThat(watcher)
                    .contains("domainlink_events_in_total{service=\"propagation-watcher\",topic=\"domains.configured\"} 4.0")
                    .contains("domainlink_events_out_total{service=\"propagation-watcher\",topic=\"domains.outcomes\"} 4.0")
                    .containsPattern("(?m)^domainlink_events_out_total\\{service=\"propagation-watcher\",topic=\"domains.progress\"} ([89]|[1-9][0-9])\\.0$")
                    .contains("domainlink_failures_total{reason=\"PROPAGATION_TIMEOUT\",service=\"propagation-watcher\"} 0.0")
                    .contains("domainlink_dead_letters_total{service=\"propagation-watcher\"} 0.0")
                    .containsPattern("(?m)^domainlink_wix_calls_seconds_count\\{endpoint=\"getConnectedDomain\",service=\"propagation-watcher\",status=\"200\"} [1-9]")
                    .contains("domainlink_watcher_watches_pending{service=\"propagation-watcher\"} 0.0")
                    .containsPattern("(?m)^domainlink_watcher_due_delay_seconds_count\\{service=\"propagation-watcher\"} [1-9]");
        } finally {
            while (!started.isEmpty()) {
                started.pop().close();
            }
        }
    }

    /** The demo set of {@code deploy/demo/requests.json}, built here so the test reads no launcher code. */
    static Map<String, ConnectionRequested> demoSet(String run) {
        Map<String, ConnectionRequested> m = new LinkedHashMap<>();
        m.put("nameservers", request(run, "nameservers", "nora-flowers-" + run + ".com", ConnectionType.NAMESERVERS,
                "b788d9e5-c9b8-4e80-8f91-c9b6d3bb58ab", null));
        m.put("pointing", request(run, "pointing", "Bikes-And-Trails-" + run + ".com.", ConnectionType.POINTING,
                "e365b3fc-8416-4310-a1c2-a4074de10dd0", null));
        m.put("subdomain", request(run, "subdomain", "shop.corner-bakery-" + run + ".com", null,
                "6ee709ba-7402-42b1-b714-fcfd4d1ffb92", null));
        m.put("premium-plan", request(run, "premium-plan", "yoga-studio-" + run + ".com", ConnectionType.NAMESERVERS,
                "763fab9e-8eb7-4e29-9371-7b1e681a3b88", PremiumPlan.newBuilder().setCatalogProductId("00ba7923-2655-402a-852d-2b2100568bcf")
                        .setCountryCode("US").setBillingCycle(BillingCycle.newBuilder().setType(CycleType.RECURRING)
                                .setUnit(CycleUnit.MONTH).setCount(1).build()).build()));
        m.put("invalid", request(run, "invalid", "blog.corner-bakery-" + run + ".com", ConnectionType.NAMESERVERS,
                "e5adfc95-c279-4fc9-bad3-5ed2724cd12e", null));
        m.put("wix-rejects", request(run, "wix-rejects", "rejected-by-wix-" + run + ".com", ConnectionType.POINTING,
                "f9b15524-c241-4e00-a6b7-de3745af8c52", null));
        return m;
    }

    static ConnectionRequested request(String run, String kind, String domain, ConnectionType type, String site, PremiumPlan plan) {
        return ConnectionRequested.newBuilder().setRequestId("obs-" + run + "-" + kind).setDomain(domain).setConnectionType(type)
                .setAccountId(ACCOUNT).setSiteId(site).setPremiumPlan(plan)
                .setCorrelation(Map.of("ticket", "OBS-" + run + "-" + kind)).setRequestedAt(Instant.now()).build();
    }

    record Decoded(SpecificRecord value, TraceContext trace) {
    }

    /** Every committed record of {@code topic} for {@code domain}, from the beginning, with its trace. */
    static List<Decoded> read(SchemaRegistryClient client, TopicSpec<?> topic, String domain) {
        Map<String, Object> props = new HashMap<>(kafka.byteConsumerProperties("observability-reader"));
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<Decoded> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    if (domain.equals(r.key())) {
                        out.add(new Decoded((SpecificRecord) topic.valueDeserializer(client).deserialize(r.topic(), r.value()),
                                TraceContext.from(r.headers()).orElse(null)));
                    }
                }
            }
        }
        return out;
    }

    String scrape(int port) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }
}
