package io.domainlink.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.domainlink.common.DeadLetters;
import io.domainlink.common.Topics;
import io.domainlink.events.ConnectionAccepted;
import io.domainlink.events.ConnectionConfigured;
import io.domainlink.events.FailureReason;
import io.domainlink.events.Flow;
import io.domainlink.events.OwnerAction;
import io.domainlink.events.Stage;
import io.domainlink.testsupport.KafkaCluster;
import io.domainlink.testsupport.KafkaClusterExtension;
import io.domainlink.testsupport.SchemaRegistryExtension;
import io.domainlink.testsupport.SchemaRegistryProcess;
import io.domainlink.wix.sandbox.DnsRecord;
import io.domainlink.wix.sandbox.Effect;
import io.domainlink.wix.sandbox.Endpoint;
import io.domainlink.wix.sandbox.Scenario;
import io.domainlink.wix.sandbox.SandboxConfig;
import io.domainlink.wix.sandbox.WixSandbox;

/** Each flow end to end on a real broker, the real registry and the Wix sandbox. */
@ExtendWith({KafkaClusterExtension.class, SchemaRegistryExtension.class})
class ConnectorFlowsIT {

    static final String FREE_SITE = "cccccccc-bbbb-cccc-dddd-eeeeeeeeeeee";
    static final String PLAN_SITE = "dddddddd-bbbb-cccc-dddd-eeeeeeeeeeee";
    static final String REFUSED_SITE = "eeeeeeee-bbbb-cccc-dddd-eeeeeeeeeeee";
    static final Duration WAIT = Duration.ofSeconds(30);

    static KafkaCluster kafka;
    static SchemaRegistryProcess registry;
    static WixSandbox sandbox;
    static Harness h;
    static DomainConnectorApp app;

    @BeforeAll
    static void start() throws Exception {
        sandbox = WixSandbox.start(SandboxConfig.defaults().withScenario(new Scenario().premiumSite(Requests.SITE)));
        h = new Harness(kafka, registry.confluentUrl(), sandbox);
        app = h.start("flows-1", Map.of(), AfterWixCall.NONE, ConnectorLoop.BeforeCommit.NONE);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (h != null) {
            h.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    static ConnectionConfigured awaitConfigured(ConnectionAccepted request) {
        String id = request.getContext().getRequestId();
        Harness.await(WAIT, "configured " + id, () -> !h.configured(id).isEmpty());
        List<ConnectionConfigured> all = h.configured(id);
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    @Test
    void nameserversRequestEndsWithWixsRecordsInTheZoneAndOneConfiguredAndOneOwnerAction() {
        ConnectionAccepted request = Requests.nameservers("ns-flow.test");
        h.publish(request);

        ConnectionConfigured configured = awaitConfigured(request);

        var domain = sandbox.domain("ns-flow.test").orElseThrow();
        assertThat(domain.connectionType()).isEqualTo("NAMESERVERS");
        assertThat(domain.siteId()).isEqualTo(Requests.SITE);
        assertThat(domain.zoneHasExpectedRecords()).isTrue();
        assertThat(domain.zone()).contains(new DnsRecord("CNAME", "www.ns-flow.test", 3600, List.of("pointing.wixdns.net")));
        assertThat(configured.getContext().getCorrelation()).containsEntry("ticket", "T-ns-flow.test");
        assertThat(configured.getRecordsSetByPipeline()).hasSize(2);
        var actions = h.ownerActions(request.getContext().getRequestId());
        assertThat(actions).singleElement().satisfies(a -> {
            assertThat(a.getAction()).isEqualTo(OwnerAction.SET_NAMESERVERS);
            assertThat(a.getRecords().get(0).getValues()).containsExactly("ns12.wixdns.net", "ns13.wixdns.net");
            assertThat(a.getRegistrar().getNameServers()).containsExactly("ns1.registrar.test", "ns2.registrar.test");
        });
        assertThat(h.failed(request.getContext().getRequestId())).isEmpty();
    }

    @Test
    void theConfiguredAndOwnerActionEventsContinueTheRequestsTraceWithTheConnectorsOwnSpan() {
        ConnectionAccepted request = Requests.pointing("traced-flow.test");
        h.publishTraced("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", request);
        awaitConfigured(request);
        for (io.domainlink.common.TopicSpec<?> topic : List.of(Topics.CONFIGURED, Topics.OWNER_ACTIONS)) {
            org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> out = h.readCommitted(topic).stream()
                    .filter(r -> new String(r.key(), java.nio.charset.StandardCharsets.UTF_8).equals("traced-flow.test"))
                    .findFirst().orElseThrow();
            io.domainlink.common.tracing.TraceContext trace = io.domainlink.common.tracing.TraceContext.from(out.headers()).orElseThrow();
            assertThat(trace.traceId()).as("trace id on %s", topic.name()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
            assertThat(trace.spanId()).as("the connector's span on %s", topic.name()).isNotEqualTo("b7ad6b7169203331");
        }
    }

    @Test
    void pointingRequestCreatesAPointingDomainAndAsksTheOwnerForARecordsAndCname() {
        ConnectionAccepted request = Requests.pointing("pointing-flow.test");
        h.publish(request);

        ConnectionConfigured configured = awaitConfigured(request);

        assertThat(sandbox.domain("pointing-flow.test").orElseThrow().connectionType()).isEqualTo("POINTING");
        assertThat(sandbox.count(Effect.ZONE_UPDATED, "pointing-flow.test")).isZero();
        assertThat(configured.getRecordsForOwner()).extracting(r -> r.getType().name()).containsExactly("A", "CNAME");
        assertThat(h.ownerActions(request.getContext().getRequestId())).singleElement()
                .satisfies(a -> assertThat(a.getAction()).isEqualTo(OwnerAction.SET_RECORDS));
    }

    @Test
    void subdomainRequestCreatesTheSubdomainAndAsksTheOwnerForTheCname() {
        ConnectionAccepted request = Requests.subdomain("blog.sub-flow.test");
        h.publish(request);

        ConnectionConfigured configured = awaitConfigured(request);

        assertThat(sandbox.domain("blog.sub-flow.test").orElseThrow().rootDomain()).isFalse();
        assertThat(configured.getRecordsForOwner()).singleElement()
                .satisfies(r -> assertThat(r.getValues()).containsExactly("pointing.wixdns.net"));
        assertThat(h.ownerActions(request.getContext().getRequestId())).hasSize(1);
    }

    @Test
    void requestWithAPlanBuysThePackageOnceAndConnectsTheFreeSite() {
        ConnectionAccepted request = Requests.withPlan(Requests.accepted("plan-flow.test", Flow.POINTING,
                io.domainlink.events.ConnectionType.POINTING, Requests.ACCOUNT, PLAN_SITE));
        h.publish(request);

        ConnectionConfigured configured = awaitConfigured(request);

        String key = ConnectionWorkflow.packageIdempotencyKey(request.getContext().getRequestId());
        assertThat(sandbox.calls(Endpoint.CREATE_PACKAGE)).filteredOn(c -> key.equals(c.idempotencyKey()))
                .filteredOn(c -> c.effect() == Effect.PACKAGE_CREATED).hasSize(1);
        assertThat(configured.getPackageId()).isNotBlank();
        assertThat(sandbox.domain("plan-flow.test").orElseThrow().siteId()).isEqualTo(PLAN_SITE);
    }

    @Test
    void requestForAFreeSiteWithoutAPlanEndsInOneDomainFailedAskingForAPlan() {
        ConnectionAccepted request = Requests.accepted("free-flow.test", Flow.POINTING, io.domainlink.events.ConnectionType.POINTING,
                Requests.ACCOUNT, FREE_SITE);
        h.publish(request);
        String id = request.getContext().getRequestId();

        Harness.await(WAIT, "failed " + id, () -> !h.failed(id).isEmpty());

        assertThat(h.failed(id)).singleElement().satisfies(f -> {
            assertThat(f.getReason()).isEqualTo(FailureReason.PREMIUM_PLAN_REQUIRED);
            assertThat(f.getStage()).isEqualTo(Stage.CONNECTOR);
            assertThat(f.getWixErrorCode()).isEqualTo("NON_PREMIUM_SITE");
        });
        assertThat(h.configured(id)).isEmpty();
        assertThat(sandbox.domain("free-flow.test")).isEmpty();
    }

    @Test
    void aPlanRequestRefusedAfterItsPackageWasBoughtNamesThePackageAndLeavesItLiveByDefault() {
        String domain = "refused-plan-flow.test";
        sandbox.updateScenario(s -> s.rule(new Scenario.Rule(domain).error(new Scenario.ScriptedError(
                Endpoint.CREATE_CONNECTED_DOMAIN, 403, "DOMAINS_DOMAIN_NOT_PERMITTED", "Domain isn't permitted for the account."))));
        ConnectionAccepted request = Requests.withPlan(Requests.accepted(domain, Flow.POINTING,
                io.domainlink.events.ConnectionType.POINTING, Requests.ACCOUNT, REFUSED_SITE));
        h.publish(request);
        String id = request.getContext().getRequestId();

        Harness.await(WAIT, "failed " + id, () -> !h.failed(id).isEmpty());

        String key = ConnectionWorkflow.packageIdempotencyKey(id);
        var pkg = sandbox.packages().stream().filter(p -> key.equals(p.idempotencyKey())).toList();
        assertThat(pkg).singleElement().satisfies(p -> {
            assertThat(p.canceled()).isFalse();
            assertThat(p.productInstanceStatuses()).containsExactly("PENDING");
        });
        assertThat(h.failed(id)).singleElement().satisfies(f -> {
            assertThat(f.getReason()).isEqualTo(FailureReason.DOMAIN_OWNED_ELSEWHERE);
            assertThat(f.getPackageId()).isEqualTo(pkg.get(0).id());
            assertThat(f.getPackageCanceled()).isNull();
            assertThat(f.getMessage()).contains("left as it is");
        });
        assertThat(sandbox.calls(Endpoint.CANCEL_PACKAGE)).isEmpty();
        assertThat(h.configured(id)).isEmpty();
    }

    @Test
    void poisonRecordsGoToTheDeadLetterTopicAndTheNextRecordIsStillProcessed() {
        byte[] noMagicByte = "{\"not\":\"avro\"}".getBytes();
        byte[] unknownSchemaId = {0, 0x7f, 0x7f, 0x7f, 0x7f, 1, 2, 3};
        ConnectionAccepted good = Requests.pointing("after-poison.test");
        h.publishRaw(noMagicByte, "after-poison.test");
        h.publishRaw(unknownSchemaId, "after-poison.test");
        h.publish(good);

        awaitConfigured(good);

        List<ConsumerRecord<byte[], byte[]>> dead = h.readCommitted(Topics.DEAD_LETTER);
        assertThat(dead).hasSize(2);
        assertThat(dead).extracting(r -> DeadLetters.header(r.headers(), DeadLetters.ERROR_KIND))
                .containsExactlyInAnyOrder("UNKNOWN_MAGIC_BYTE", "UNKNOWN_SCHEMA_ID");
        assertThat(dead).allSatisfy(r -> {
            assertThat(DeadLetters.header(r.headers(), DeadLetters.SOURCE_TOPIC)).isEqualTo(Topics.ACCEPTED.name());
            assertThat(DeadLetters.header(r.headers(), DeadLetters.STAGE)).isEqualTo(RecordHandler.STAGE);
            assertThat(new String(r.key())).isEqualTo("after-poison.test");
        });
        assertThat(dead.stream().map(ConsumerRecord::value)).anySatisfy(v -> assertThat(v).isEqualTo(noMagicByte));
        Harness.await(WAIT, "dead letters counted", () -> app.metrics().deadLetters() == 2);
    }

    @Test
    void manyDomainsAreInFlightAtOnceSoThroughputIsNotOneRequestPerPartition() {
        sandbox.setFaults(new io.domainlink.wix.sandbox.Faults().latency(400, 0));
        try {
            List<ConnectionAccepted> requests = new java.util.ArrayList<>();
            for (int i = 0; requests.size() < 8; i++) {
                String domain = "parallel-" + i + ".sub-flow.test";
                if (Harness.partitionOf(domain) != 0) {
                    continue; // all on one partition: one-at-a-time per partition would take 8 × 0.8 s
                }
                // one account each: the per-account rate limit is not what this measures
                String account = String.format("%08d-2222-3333-4444-555555555555", i);
                requests.add(Requests.accepted(domain, Flow.SUBDOMAIN, null, account, Requests.SITE));
            }
            h.publish(requests.toArray(ConnectionAccepted[]::new));

            Harness.await(WAIT, "all configured", () -> {
                Map<String, Long> counts = h.terminalCounts();
                return requests.stream().allMatch(r -> counts.getOrDefault(r.getContext().getRequestId(), 0L) == 1);
            });

            // the sandbox's call log: from the first call answered to the last one
            List<java.time.Instant> times = sandbox.calls().stream().filter(c -> c.domain() != null && c.domain().startsWith("parallel-"))
                    .map(c -> java.time.Instant.parse(c.time())).sorted().toList();
            assertThat(times).hasSize(16);
            Duration span = Duration.between(times.get(0), times.get(times.size() - 1));
            // 8 requests × 2 calls × 400 ms = 6.4 s if the partition were processed one record at a time
            assertThat(span).isLessThan(Duration.ofMillis(3_000));
        } finally {
            sandbox.setFaults(io.domainlink.wix.sandbox.Faults.none());
        }
    }
}
