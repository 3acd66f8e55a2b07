package io.domainlink.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.RecordMetadata;
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
import io.domainlink.events.RequestContext;
import io.domainlink.testsupport.Await;
import io.domainlink.testsupport.KafkaCluster;
import io.domainlink.testsupport.KafkaClusterExtension;
import io.domainlink.testsupport.SchemaRegistryExtension;
import io.domainlink.testsupport.SchemaRegistryProcess;
import io.domainlink.wix.sandbox.Scenario;

/**
 * S6 (the same request id published again, back to back and "hours" later; the same id with another payload) and S7
 * (a re-request while the first is in flight, a watcher restart mid-watch, stale / duplicate / superseding events
 * reaching the watcher out of order), end to end on one broker, the registry process and the sandbox. One
 * {@link Expected} gathers everything the class published; every test ends with the verifier over all of it.
 */
@ExtendWith({KafkaClusterExtension.class, SchemaRegistryExtension.class})
class DuplicatesAndOrderIT extends ScenarioFixture {

    static KafkaCluster kafka;
    static SchemaRegistryProcess registry;
    static Pipeline.Instance watcher;
    static final Expected expected = new Expected();

    @BeforeAll
    static void start(@TempDir Path dir) {
        s = Scenarios.start(kafka, registry.confluentUrl(), dir, sc -> sc
                .rule(new Scenario.Rule("*slow*").propagationDelayMs(5_000))
                .rule(new Scenario.Rule("*mid*").propagationDelayMs(4_000)));
        s.pipeline.start(Service.INGESTOR, "i1");
        s.pipeline.start(Service.CONNECTOR, "c1");
        watcher = s.pipeline.start(Service.WATCHER, "w1");
    }

    @Test
    void s6_aRequestIdPublishedTwoToFiveTimesConnectsOnceAndAnotherPayloadUnderItIsRejected() {
        List<ConnectionRequested> requests = Requests.mixed("s6", 20, 4);
        List<ConnectionRequested> publications = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            ConnectionRequested r = requests.get(i);
            for (int k = 0; k < 2 + i % 4; k++) {   // 2..5 times back to back, each with a fresh requestedAt
                publications.add(ConnectionRequested.newBuilder(r).setRequestedAt(Instant.now().plusMillis(k)).build());
            }
            if (i % 5 == 3) {                      // the same id with another payload (another site)
                publications.add(ConnectionRequested.newBuilder(r).setSiteId(Requests.site(999_999)).build());
            }
        }
        s.upstream.requests(publications);
        synchronized (expected) {
            expected.requests(requests);
            requests.forEach(r -> expected.outcome(r.getRequestId(), Expected.CONNECTED));
            expected.conflicts(expected.conflicts + 4);
        }
        Verifier.Report backToBack = s.verifier.awaitInvariants("S6 duplicates back to back", expected, Scenarios.RECOVERY);
        assertThat(backToBack.holds()).as("%s", backToBack).isTrue();

        // "hours apart": every id again with requestedAt 3 h later, after its terminal event; two of them with another payload
        List<ConnectionRequested> later = new ArrayList<>();
        requests.forEach(r -> later.add(ConnectionRequested.newBuilder(r).setRequestedAt(r.getRequestedAt().plus(Duration.ofHours(3))).build()));
        later.add(ConnectionRequested.newBuilder(requests.get(0)).setCorrelation(Map.of("ticket", "changed")).build());
        later.add(ConnectionRequested.newBuilder(requests.get(1)).setDomain("other-" + requests.get(1).getDomain()).build());
        s.upstream.requests(later);
        synchronized (expected) {
            expected.conflicts(expected.conflicts + 2);
        }
        Verifier.Report hoursApart = s.verifier.awaitInvariants("S6 duplicates hours apart", expected, Scenarios.RECOVERY);
        assertThat(hoursApart.holds()).as("%s", hoursApart).isTrue();
        for (ConnectionRequested r : requests) {
            assertThat(s.sandbox.calls().stream().filter(c -> c.effect() == io.domainlink.wix.sandbox.Effect.DOMAIN_CREATED
                    && c.domain().equals(DomainNames.normalize(r.getDomain())))).as("created once: %s", r.getDomain()).hasSize(1);
        }
    }

    @Test
    void s7_aReRequestWhileTheFirstIsInFlightIsRefusedThenAdmittedAsTheNextGenerationAfterTheOutcome() {
        String tag = Requests.runTag();
        ConnectionRequested first = Requests.pointing("s7-first-" + tag, "s7-slow-" + tag + ".com", 1);
        ConnectionRequested second = Requests.pointing("s7-second-" + tag, "s7-slow-" + tag + ".com", 1);
        synchronized (expected) {
            expected.request(first).request(second).outcome(first.getRequestId(), Expected.CONNECTED)
                    .outcome(second.getRequestId(), Expected.CONNECTED).inFlightRejections(expected.inFlightRejections + 1);
        }
        s.upstream.request(first);
        Await.until(Duration.ofSeconds(60), "first accepted", () -> accepted(first.getRequestId()) != null);
        s.upstream.request(second);   // first is still propagating (5 s): refused with DOMAIN_IN_FLIGHT
        Await.until(Duration.ofSeconds(60), "first connected", () -> terminalOf(first.getRequestId()) != null);
        Await.until(Duration.ofSeconds(60), "the ingestor read the outcome", () -> s.verifier.lag(Service.INGESTOR) == 0);
        s.upstream.request(ConnectionRequested.newBuilder(second).setRequestedAt(Instant.now()).build());

        Verifier.Report report = s.verifier.awaitInvariants("S7 re-request in flight", expected, Scenarios.RECOVERY);
        assertThat(report.holds()).as("%s", report).isTrue();
        assertThat(accepted(first.getRequestId()).getContext().getGeneration()).isEqualTo(1);
        assertThat(accepted(second.getRequestId()).getContext().getGeneration()).isEqualTo(2);
    }

    @Test
    void s7_watchesSurviveAWatcherRestartMidWatchOnAnEmptyStateDirectoryAndEachEndsOnce() {
        List<ConnectionRequested> requests = Requests.mixed("s7-mid", 12, 3);
        synchronized (expected) {
            expected.requests(requests);
            requests.forEach(r -> expected.outcome(r.getRequestId(), Expected.CONNECTED));
        }
        s.upstream.requests(requests);
        Await.until(Duration.ofSeconds(90), "all configured and watched", () -> requests.stream()
                .allMatch(r -> configured(r.getRequestId()) != null));
        synchronized (DuplicatesAndOrderIT.class) {
            watcher.close();
            s.pipeline.forget(watcher);
            watcher = s.pipeline.start(Service.WATCHER, "w2-" + Requests.runTag());   // another instance: restores from the changelog
        }
        Verifier.Report report = s.verifier.awaitInvariants("S7 watcher restart mid-watch", expected, Scenarios.RECOVERY);
        assertThat(report.holds()).as("%s", report).isTrue();
    }

    @Test
    void s7_staleDuplicateAndSupersedingConfiguredEventsInAnyOrderEndWithTheNewestGenerationConnected() {
        String tag = Requests.runTag();
        ConnectionRequested e0 = Requests.nameservers("s7-e0-" + tag, "s7-order-e-" + tag + ".com", 2);
        ConnectionRequested f0 = Requests.nameservers("s7-f0-" + tag, "s7-order-f-" + tag + ".com", 2);
        synchronized (expected) {
            expected.request(e0).request(f0).outcome(e0.getRequestId(), Expected.CONNECTED).outcome(f0.getRequestId(), Expected.CONNECTED);
        }
        s.upstream.requests(List.of(e0, f0));
        Await.until(Duration.ofSeconds(60), "both connected", () -> terminalOf(e0.getRequestId()) != null && terminalOf(f0.getRequestId()) != null);
        ConnectionConfigured e0c = configured(e0.getRequestId());
        ConnectionConfigured f0c = configured(f0.getRequestId());

        // domain e: generation 3 arrives before generation 2 (2 is stale and dropped); then a redelivery of generation 1
        String e = e0c.getContext().getDomain();
        String f = f0c.getContext().getDomain();
        synchronized (expected) {
            expected.injected("s7-e3-" + tag, e).outcome("s7-e3-" + tag, Expected.CONNECTED)
                    .injected("s7-e2-" + tag, e).mayEndWithoutTerminal("s7-e2-" + tag)
                    .injected("s7-f2-" + tag, f).outcome("s7-f2-" + tag, "SUPERSEDED")
                    .injected("s7-f3-" + tag, f).outcome("s7-f3-" + tag, Expected.CONNECTED);
        }
        s.upstream.event(Topics.CONFIGURED, e, copy(e0c, "s7-e3-" + tag, 3));
        s.upstream.event(Topics.CONFIGURED, e, copy(e0c, "s7-e2-" + tag, 2));
        RecordMetadata redelivered = s.upstream.event(Topics.CONFIGURED, e, e0c);
        // domain f: generation 2 then 3 back to back (2 is superseded); then a late redelivery of 2
        s.upstream.event(Topics.CONFIGURED, f, copy(f0c, "s7-f2-" + tag, 2));
        s.upstream.event(Topics.CONFIGURED, f, copy(f0c, "s7-f3-" + tag, 3));
        Await.until(Duration.ofSeconds(60), "f3 connected", () -> terminalOf("s7-f3-" + tag) != null);
        RecordMetadata late = s.upstream.event(Topics.CONFIGURED, f, copy(f0c, "s7-f2-" + tag, 2));
        synchronized (expected) {
            expected.injectedRecord(redelivered).injectedRecord(late);
        }

        Verifier.Report report = s.verifier.awaitInvariants("S7 out-of-order and superseding events", expected, Scenarios.RECOVERY);
        assertThat(report.holds()).as("%s", report).isTrue();
        // final state: the newest generation of each domain connected, whatever the order
        for (String domain : List.of(e, f)) {
            assertThat(s.verifier.values(Topics.OUTCOMES).stream().filter(o -> Verifier.context(o).getDomain().equals(domain))
                    .max(java.util.Comparator.comparingLong(o -> Verifier.context(o).getGeneration())).orElseThrow())
                    .as("newest outcome of %s", domain)
                    .satisfies(o -> assertThat(o).isInstanceOf(DomainConnected.class))
                    .satisfies(o -> assertThat(Verifier.context(o).getGeneration()).isEqualTo(3));
        }
    }

    private static ConnectionConfigured copy(ConnectionConfigured c, String requestId, long generation) {
        RequestContext ctx = RequestContext.newBuilder(c.getContext()).setRequestId(requestId).setGeneration(generation).build();
        return ConnectionConfigured.newBuilder(c).setContext(ctx).setOccurredAt(Instant.now()).build();
    }

    private static ConnectionAccepted accepted(String requestId) {
        return s.verifier.refresh().values(Topics.ACCEPTED).stream()
                .filter(a -> a.getContext().getRequestId().equals(requestId)).findFirst().orElse(null);
    }

    private static ConnectionConfigured configured(String requestId) {
        return s.verifier.refresh().values(Topics.CONFIGURED).stream()
                .filter(a -> a.getContext().getRequestId().equals(requestId)).findFirst().orElse(null);
    }

    private static Object terminalOf(String requestId) {
        return s.verifier.refresh().values(Topics.OUTCOMES).stream()
                .filter(o -> Verifier.context(o).getRequestId().equals(requestId)).findFirst().orElse(null);
    }
}
