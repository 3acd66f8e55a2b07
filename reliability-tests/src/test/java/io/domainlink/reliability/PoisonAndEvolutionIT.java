package io.domainlink.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.domainlink.common.DomainNames;
import io.domainlink.common.TopicSpec;
import io.domainlink.common.Topics;
import io.domainlink.events.AssignmentType;
import io.domainlink.events.ConnectionAccepted;
import io.domainlink.events.ConnectionConfigured;
import io.domainlink.events.ConnectionRequested;
import io.domainlink.events.ConnectionType;
import io.domainlink.events.Flow;
import io.domainlink.events.RecheckRequested;
import io.domainlink.events.RequestContext;
import io.domainlink.testsupport.Await;
import io.domainlink.testsupport.KafkaCluster;
import io.domainlink.testsupport.KafkaClusterExtension;
import io.domainlink.testsupport.SchemaRegistryExtension;
import io.domainlink.testsupport.SchemaRegistryProcess;

/**
 * S4 (the four kinds of poison record on every service's input topic) and S5 (records written with a newer schema — a
 * new optional field, a new enum symbol — read by the current services), end to end.
 */
@ExtendWith({KafkaClusterExtension.class, SchemaRegistryExtension.class})
class PoisonAndEvolutionIT extends ScenarioFixture {

    static final int PARTITIONS = Topics.REQUESTS.defaultPartitions();

    static KafkaCluster kafka;
    static SchemaRegistryProcess registry;
    static final Expected expected = new Expected();

    @BeforeAll
    static void start(@TempDir Path dir) {
        s = Scenarios.start(kafka, registry.confluentUrl(), dir, sc -> { });
        s.pipeline.startAll();
    }

    @Test
    void s4_everyKindOfPoisonOnEveryInputIsDeadLetteredOnceOrAnsweredAndTheRecordsBehindItAreProcessed() {
        String tag = Requests.runTag();
        List<ConnectionRequested> good = Requests.mixed("s4", 24, 3);
        // the partitions the good records will use on each topic: poison goes there, in front of them
        List<Integer> requestPartitions = good.stream().map(r -> Upstream.partitionOf(r.getDomain(), PARTITIONS)).distinct().toList();
        List<Integer> domainPartitions = good.stream().map(r -> Upstream.partitionOf(DomainNames.normalize(r.getDomain()), PARTITIONS))
                .distinct().toList();
        List<RecordMetadata> poisonAt = new ArrayList<>();
        int n = 0;
        for (TopicSpec<?> topic : List.of(Topics.REQUESTS, Topics.ACCEPTED, Topics.CONFIGURED, Topics.RECHECKS, Topics.OUTCOMES)) {
            List<Integer> partitions = topic == Topics.REQUESTS ? requestPartitions : domainPartitions;
            for (Poison kind : Poison.values()) {
                String key = "poison-" + kind.name().toLowerCase() + "-" + topic.name() + "-" + tag;
                byte[] value = kind.bytes(s.registry);
                RecordMetadata at = s.upstream.raw(topic.name(), partitions.get(n++ % partitions.size()), key, value);
                poisonAt.add(at);
                synchronized (expected) {
                    expected.poison(at, key, value, kind.errorKind);
                }
            }
        }
        // the fourth kind: valid Avro, invalid content, on each input
        ConnectionRequested badRequest = Requests.nameservers("s4-invalid-request-" + tag, "not a domain!" + tag, 0);
        ConnectionAccepted badAccepted = accepted("s4-invalid-accepted-" + tag, "s4-invalid-accepted-" + tag + ".com", "");
        synchronized (expected) {
            expected.request(badRequest).outcome(badRequest.getRequestId(), "INVALID_REQUEST")
                    .injected(badAccepted.getContext().getRequestId(), badAccepted.getContext().getDomain())
                    .outcome(badAccepted.getContext().getRequestId(), "INVALID_REQUEST")
                    .requests(good);
            good.forEach(r -> expected.outcome(r.getRequestId(), Expected.CONNECTED));
        }
        s.upstream.request(badRequest);
        s.upstream.event(Topics.ACCEPTED, badAccepted.getContext().getDomain(), badAccepted);
        s.upstream.event(Topics.RECHECKS, "nobody-" + tag + ".com", RecheckRequested.newBuilder()
                .setDomain("nobody-" + tag + ".com").setRequestedAt(Instant.now()).build());   // no watch: ignored
        s.upstream.requests(good);

        Verifier.Report report = s.verifier.awaitInvariants("S4 poison records", expected, Scenarios.RECOVERY);
        assertThat(report.holds()).as("%s", report).isTrue();

        // behind every poison record on requests / accepted / configured, a good record of the same partition was processed
        Set<String> ended = s.verifier.values(Topics.OUTCOMES).stream().map(o -> Verifier.context(o).getRequestId()).collect(Collectors.toSet());
        for (RecordMetadata p : poisonAt) {
            if (p.topic().equals(Topics.RECHECKS.name()) || p.topic().equals(Topics.OUTCOMES.name())) {
                continue;   // no request flows on these: a stuck task would show as lost requests of its co-partitioned input
            }
            TopicSpec<?> topic = Topics.all().stream().filter(t -> t.name().equals(p.topic())).findFirst().orElseThrow();
            assertThat(s.verifier.records(topic)).as("a good record behind %s-%d@%d was processed", p.topic(), p.partition(), p.offset())
                    .anySatisfy(r -> {
                        assertThat(r.partition()).isEqualTo(p.partition());
                        assertThat(r.offset()).isGreaterThan(p.offset());
                        assertThat(r.value()).isNotNull();
                        String id = r.value() instanceof ConnectionRequested cr ? cr.getRequestId() : Verifier.context(r.value()).getRequestId();
                        assertThat(ended).contains(id);
                    });
        }
    }

    /**
     * The fourth kind of poison on the watcher's input: a readable ConnectionConfigured whose content is unusable (here
     * an empty account id, with a request id and a domain that match its key) ends its request with
     * DomainFailed(INVALID_REQUEST), once (the watcher keeps that generation as finished, so a redelivery is a duplicate).
     */
    @Test
    void s4_anUnusableConfiguredEventOnTheWatchersInputEndsItsRequestWithInvalidRequest() {
        String tag = Requests.runTag();
        ConnectionConfigured badConfigured = ConnectionConfigured.newBuilder()
                .setContext(context("s4-invalid-configured-" + tag, "s4-invalid-configured-" + tag + ".com", ""))
                .setOccurredAt(Instant.now()).setRequestedAt(Instant.now()).build();
        synchronized (expected) {
            expected.injected(badConfigured.getContext().getRequestId(), badConfigured.getContext().getDomain())
                    .outcome(badConfigured.getContext().getRequestId(), "INVALID_REQUEST");
        }
        s.upstream.event(Topics.CONFIGURED, badConfigured.getContext().getDomain(), badConfigured);
        Verifier.Report report = s.verifier.awaitInvariants("S4 invalid content on the watcher's input", expected, Scenarios.RECOVERY);
        assertThat(report.holds()).as("%s", report).isTrue();
    }

    @Test
    void s5_recordsWrittenWithANewerSchemaAreReadByTheCurrentServicesNewSymbolsAsTheDeclaredDefault() {
        String tag = Requests.runTag();
        // requests: a new optional field (set), and a new ConnectionType symbol (read as UNKNOWN: refused with a clear reason)
        Schema newerRequest = NewerSchema.of(ConnectionRequested.getClassSchema())
                .withOptionalStringField("channel").withEnumSymbol("ConnectionType", "DELEGATED").schema();
        ConnectionRequested plain = Requests.nameservers("s5-new-field-" + tag, "s5-new-field-" + tag + ".com", 0);
        ConnectionRequested delegated = Requests.nameservers("s5-new-symbol-" + tag, "s5-new-symbol-" + tag + ".com", 0);
        GenericRecord withField = NewerSchema.set(NewerSchema.upgrade(plain, newerRequest), "channel", "partner-portal");
        GenericRecord withSymbol = NewerSchema.setEnum(NewerSchema.upgrade(delegated, newerRequest), "connectionType", "DELEGATED");

        // accepted: as a newer ingestor would write it, a new field and new Flow / ConnectionType symbols. The connector
        // reads an unknown flow as UNKNOWN and falls back to the connection type; when that is unknown too, the request
        // is unusable: INVALID_REQUEST, no Wix call (domain-connector README)
        Schema newerAccepted = NewerSchema.of(ConnectionAccepted.getClassSchema()).withOptionalStringField("routingHint")
                .withEnumSymbol("Flow", "CNAME_FLATTENING").withEnumSymbol("ConnectionType", "DELEGATED").schema();
        ConnectionAccepted acceptedPlain = accepted("s5-accepted-field-" + tag, "s5-accepted-field-" + tag + ".com", Requests.account(1));
        ConnectionAccepted acceptedSymbol = accepted("s5-accepted-symbol-" + tag, "s5-accepted-symbol-" + tag + ".com", Requests.account(1));
        GenericRecord acceptedWithField = NewerSchema.setEnum(NewerSchema.set(NewerSchema.upgrade(acceptedPlain, newerAccepted),
                "routingHint", "eu"), "context.flow", "CNAME_FLATTENING");
        GenericRecord acceptedWithSymbol = NewerSchema.setEnum(NewerSchema.setEnum(NewerSchema.upgrade(acceptedSymbol, newerAccepted),
                "context.flow", "CNAME_FLATTENING"), "connectionType", "DELEGATED");

        // rechecks: a new field
        Schema newerRecheck = NewerSchema.of(RecheckRequested.getClassSchema()).withOptionalStringField("reason").schema();
        GenericRecord recheck = NewerSchema.set(NewerSchema.upgrade(RecheckRequested.newBuilder()
                .setDomain("s5-unknown-" + tag + ".com").setRequestedAt(Instant.now()).build(), newerRecheck), "reason", "owner says fixed");

        synchronized (expected) {
            expected.request(plain).outcome(plain.getRequestId(), Expected.CONNECTED)
                    .request(delegated).outcome(delegated.getRequestId(), "INVALID_REQUEST")
                    .injected(acceptedPlain.getContext().getRequestId(), acceptedPlain.getContext().getDomain())
                    .outcome(acceptedPlain.getContext().getRequestId(), Expected.CONNECTED)
                    .injected(acceptedSymbol.getContext().getRequestId(), acceptedSymbol.getContext().getDomain())
                    .outcome(acceptedSymbol.getContext().getRequestId(), "INVALID_REQUEST");
        }
        s.upstream.generic(Topics.REQUESTS, plain.getDomain(), newerRequest, withField);
        s.upstream.generic(Topics.REQUESTS, delegated.getDomain(), newerRequest, withSymbol);
        s.upstream.generic(Topics.ACCEPTED, acceptedPlain.getContext().getDomain(), newerAccepted, acceptedWithField);
        s.upstream.generic(Topics.ACCEPTED, acceptedSymbol.getContext().getDomain(), newerAccepted, acceptedWithSymbol);
        s.upstream.generic(Topics.RECHECKS, "s5-unknown-" + tag + ".com", newerRecheck, recheck);

        Await.until(Duration.ofSeconds(60), "the request with the new field configured", () -> s.verifier.refresh()
                .values(Topics.CONFIGURED).stream().anyMatch(c -> c.getContext().getRequestId().equals(plain.getRequestId())));
        // configured: a newer connector's event (new field, new PropagationStatus symbol as wixStatus), generation 2 of that domain
        ConnectionConfigured configured = s.verifier.values(Topics.CONFIGURED).stream()
                .filter(c -> c.getContext().getRequestId().equals(plain.getRequestId())).findFirst().orElseThrow();
        Schema newerConfigured = NewerSchema.of(ConnectionConfigured.getClassSchema())
                .withOptionalStringField("wixRegion").withEnumSymbol("PropagationStatus", "PARTIALLY_PROPAGATED").schema();
        String nextId = "s5-configured-" + tag;
        ConnectionConfigured next = ConnectionConfigured.newBuilder(configured).setContext(RequestContext.newBuilder(configured.getContext())
                .setRequestId(nextId).setGeneration(2).build()).setOccurredAt(Instant.now()).build();
        GenericRecord configuredNewer = NewerSchema.setEnum(NewerSchema.set(NewerSchema.upgrade(next, newerConfigured),
                "wixRegion", "eu-west"), "wixStatus", "PARTIALLY_PROPAGATED");
        synchronized (expected) {
            expected.injected(nextId, configured.getContext().getDomain()).outcome(nextId, Expected.CONNECTED);
        }
        Await.until(Duration.ofSeconds(60), "the first request connected", () -> s.verifier.refresh().values(Topics.OUTCOMES)
                .stream().anyMatch(o -> Verifier.context(o).getRequestId().equals(plain.getRequestId())));
        s.upstream.generic(Topics.CONFIGURED, configured.getContext().getDomain(), newerConfigured, configuredNewer);

        Verifier.Report report = s.verifier.awaitInvariants("S5 newer schemas", expected, Scenarios.RECOVERY);
        assertThat(report.holds()).as("%s", report).isTrue();
        assertThat(s.verifier.values(Topics.OUTCOMES)).filteredOn(o -> Verifier.context(o).getRequestId().equals(delegated.getRequestId()))
                .singleElement().satisfies(o -> assertThat(((io.domainlink.events.DomainFailed) o).getMessage()).contains("connectionType"));
    }

    static RequestContext context(String id, String domain, String account) {
        return RequestContext.newBuilder().setRequestId(id).setDomain(domain).setFlow(Flow.NAMESERVERS).setAccountId(account)
                .setSiteId(Requests.site(7)).setCorrelation(Map.of("ticket", "T-" + id)).setGeneration(1).build();
    }

    static ConnectionAccepted accepted(String id, String domain, String account) {
        return ConnectionAccepted.newBuilder().setContext(context(id, domain, account)).setOccurredAt(Instant.now())
                .setRequestedAt(Instant.now()).setConnectionType(ConnectionType.NAMESERVERS).setAssignment(AssignmentType.PRIMARY)
                .setSuppressNotifications(false).setPremiumPlan(null).build();
    }
}
