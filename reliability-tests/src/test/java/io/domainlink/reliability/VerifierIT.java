package io.domainlink.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.domainlink.common.DomainNames;
import io.domainlink.common.Topics;
import io.domainlink.events.ConnectionAccepted;
import io.domainlink.events.ConnectionConfigured;
import io.domainlink.events.ConnectionRequested;
import io.domainlink.events.DomainConnected;
import io.domainlink.events.Flow;
import io.domainlink.events.PropagationProgress;
import io.domainlink.events.PropagationStatus;
import io.domainlink.events.RequestContext;
import io.domainlink.testsupport.KafkaCluster;
import io.domainlink.testsupport.KafkaClusterExtension;
import io.domainlink.testsupport.SchemaRegistryExtension;
import io.domainlink.testsupport.SchemaRegistryProcess;
import io.domainlink.wix.sandbox.Scenario;

/**
 * The verifier itself, without services: outputs are written by hand, first a correct history (everything holds),
 * then one violation of each invariant, each of which the verifier must report with its figure. A verifier that
 * always says HOLDS would pass every scenario; this is what shows it does not.
 */
@ExtendWith({KafkaClusterExtension.class, SchemaRegistryExtension.class})
class VerifierIT extends ScenarioFixture {

    static KafkaCluster kafka;
    static SchemaRegistryProcess registry;

    @BeforeAll
    static void start(@TempDir Path dir) {
        s = Scenarios.start(kafka, registry.confluentUrl(), dir, sc -> { });
    }

    @Test
    void aCorrectHistoryHoldsAndEachKindOfViolationIsReportedWithItsFigure() throws Exception {
        String tag = Requests.runTag();
        ConnectionRequested ok = Requests.pointing("v-ok-" + tag, "v-ok-" + tag + ".com", 1);
        s.upstream.request(ok);
        createAtWix(ok);
        history(ok, true);
        commitEverything();
        Expected expected = new Expected().request(ok).allConnected();
        Verifier.Report clean = s.verifier.refresh().evaluate(expected);
        Verifier.print("verifier self-check, correct history", clean);
        assertThat(clean.holds()).as("%s", clean).isTrue();
        assertThat(clean.terminal).isEqualTo(1);

        // I1: accepted, never ended; I2: connected twice; I3: progress going back; I4: created twice at Wix
        ConnectionRequested lost = Requests.pointing("v-lost-" + tag, "v-lost-" + tag + ".com", 1);
        ConnectionRequested twice = Requests.pointing("v-twice-" + tag, "v-twice-" + tag + ".com", 1);
        ConnectionRequested back = Requests.pointing("v-back-" + tag, "v-back-" + tag + ".com", 1);
        for (ConnectionRequested r : List.of(lost, twice, back)) {
            s.upstream.request(r);
            createAtWix(r);
            expected.request(r);
        }
        s.upstream.event(Topics.ACCEPTED, domain(lost), accepted(lost));
        history(twice, true);
        s.upstream.event(Topics.OUTCOMES, domain(twice), connected(twice));
        s.upstream.event(Topics.ACCEPTED, domain(back), accepted(back));
        s.upstream.event(Topics.CONFIGURED, domain(back), configured(back));
        s.upstream.event(Topics.PROGRESS, domain(back), progress(back, null, PropagationStatus.COMPLETED));
        s.upstream.event(Topics.PROGRESS, domain(back), progress(back, PropagationStatus.COMPLETED, PropagationStatus.IN_PROGRESS));
        s.upstream.event(Topics.OUTCOMES, domain(back), connected(back));
        deleteAtWix(twice);
        createAtWix(twice);
        // I6: a poison record nobody dead-lettered
        byte[] poison = Poison.NO_MAGIC_BYTE.bytes(s.registry);
        expected.poison(s.upstream.raw(Topics.ACCEPTED.name(), "v-poison-" + tag, poison), "v-poison-" + tag, poison, "UNKNOWN_MAGIC_BYTE");
        commitEverything();
        // I5: a record after the connector's committed offset, and a transaction left open
        s.upstream.event(Topics.ACCEPTED, "v-late-" + tag + ".com", accepted(Requests.pointing("v-late-" + tag, "v-late-" + tag + ".com", 1)));
        expected.injected("v-late-" + tag, "v-late-" + tag + ".com").mayEndWithoutTerminal("v-late-" + tag);
        Map<String, Object> props = kafka.byteProducerProperties();
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "verifier-self-check-" + tag);
        try (KafkaProducer<byte[], byte[]> open = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            open.initTransactions();
            open.beginTransaction();
            open.send(new ProducerRecord<>(Topics.PROGRESS.name(), new byte[] {1}, new byte[] {0})).get(30, TimeUnit.SECONDS);

            Verifier.Report broken = s.verifier.refresh().evaluate(expected);
            broken.lag = s.verifier.lag(Service.CONNECTOR);       // I5 is only computed once nothing is lost
            broken.openTransactions = s.verifier.openTransactions();
            Verifier.print("verifier self-check, one violation of each invariant", broken);
            assertThat(broken.holds()).isFalse();
            assertThat(broken.lost).as("I1 lost").isEqualTo(1);
            assertThat(broken.duplicates).as("I2 duplicates").isEqualTo(1);
            assertThat(broken.orderViolations).as("I3 order").isGreaterThanOrEqualTo(1);
            assertThat(broken.violations).anyMatch(v -> v.startsWith("I3") && v.contains("went back from COMPLETED to IN_PROGRESS"));
            assertThat(broken.effectDuplicates).as("I4 effects").isEqualTo(1);
            assertThat(broken.lag).as("I5 lag").isEqualTo(1);
            assertThat(broken.openTransactions).as("I5 open transactions").isEqualTo(1);
            assertThat(broken.poisonDeadLettered).as("I6 dead-lettered").isZero();
            assertThat(broken.poisonExpected).isEqualTo(1);
            open.abortTransaction();
        }
    }

    private static String domain(ConnectionRequested r) {
        return DomainNames.normalize(r.getDomain());
    }

    /** What the three services publish for a request that connects. */
    private static void history(ConnectionRequested r, boolean connect) {
        s.upstream.event(Topics.ACCEPTED, domain(r), accepted(r));
        s.upstream.event(Topics.CONFIGURED, domain(r), configured(r));
        s.upstream.event(Topics.PROGRESS, domain(r), progress(r, null, PropagationStatus.IN_PROGRESS));
        s.upstream.event(Topics.PROGRESS, domain(r), progress(r, PropagationStatus.IN_PROGRESS, PropagationStatus.COMPLETED));
        if (connect) {
            s.upstream.event(Topics.OUTCOMES, domain(r), connected(r));
        }
    }

    private static RequestContext ctx(ConnectionRequested r) {
        return RequestContext.newBuilder().setRequestId(r.getRequestId()).setDomain(domain(r)).setFlow(Flow.POINTING)
                .setAccountId(r.getAccountId()).setSiteId(r.getSiteId()).setCorrelation(r.getCorrelation()).setGeneration(1).build();
    }

    private static ConnectionAccepted accepted(ConnectionRequested r) {
        return ConnectionAccepted.newBuilder().setContext(ctx(r)).setOccurredAt(Instant.now()).setRequestedAt(r.getRequestedAt())
                .setConnectionType(r.getConnectionType()).build();
    }

    private static ConnectionConfigured configured(ConnectionRequested r) {
        return ConnectionConfigured.newBuilder().setContext(ctx(r)).setOccurredAt(Instant.now()).setRequestedAt(r.getRequestedAt()).build();
    }

    private static PropagationProgress progress(ConnectionRequested r, PropagationStatus before, PropagationStatus now) {
        return PropagationProgress.newBuilder().setContext(ctx(r)).setOccurredAt(Instant.now()).setPreviousStatus(before)
                .setStatus(now).build();
    }

    private static DomainConnected connected(ConnectionRequested r) {
        return DomainConnected.newBuilder().setContext(ctx(r)).setOccurredAt(Instant.now()).setRequestedAt(r.getRequestedAt())
                .setDurationMillis(1).build();
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static void createAtWix(ConnectionRequested r) throws Exception {
        call("POST", "/domains/v1/connected-domains", r,
                "{\"connectedDomain\":{\"domain\":\"" + domain(r) + "\",\"connectionType\":\"POINTING\"}}");
    }

    private static void deleteAtWix(ConnectionRequested r) throws Exception {
        call("DELETE", "/domains/v1/connected-domains/" + domain(r), r, null);
    }

    private static void call(String method, String path, ConnectionRequested r, String body) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(s.sandbox.baseUrl() + path))
                .header("Authorization", Scenario.DEFAULT_API_KEY).header("wix-account-id", r.getAccountId())
                .header("wix-site-id", r.getSiteId()).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> res = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as("%s %s: %s", method, path, res.body()).isEqualTo(200);
    }

    /** Every group has consumed everything written so far (as if the services had run). */
    private static void commitEverything() throws Exception {
        for (Service svc : Service.values()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            for (String topic : switch (svc) {
                case INGESTOR -> List.of(Topics.REQUESTS.name(), Topics.OUTCOMES.name());
                case CONNECTOR -> List.of(Topics.ACCEPTED.name());
                case WATCHER -> List.of(Topics.CONFIGURED.name(), Topics.RECHECKS.name());
            }) {
                Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> q = new HashMap<>();
                for (int p = 0; p < Topics.REQUESTS.defaultPartitions(); p++) {
                    q.put(new TopicPartition(topic, p), org.apache.kafka.clients.admin.OffsetSpec.latest());
                }
                kafka.admin().listOffsets(q).all().get(30, TimeUnit.SECONDS)
                        .forEach((tp, info) -> offsets.put(tp, new OffsetAndMetadata(info.offset())));
            }
            kafka.admin().alterConsumerGroupOffsets(svc.group, offsets).all().get(30, TimeUnit.SECONDS);
        }
    }
}
