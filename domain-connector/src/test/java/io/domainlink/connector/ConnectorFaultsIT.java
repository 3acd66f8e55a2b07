package io.domainlink.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.domainlink.events.ConnectionAccepted;
import io.domainlink.events.FailureReason;
import io.domainlink.events.Flow;
import io.domainlink.testsupport.KafkaCluster;
import io.domainlink.testsupport.KafkaClusterExtension;
import io.domainlink.testsupport.SchemaRegistryExtension;
import io.domainlink.testsupport.SchemaRegistryProcess;
import io.domainlink.wix.sandbox.CallRecord;
import io.domainlink.wix.sandbox.Effect;
import io.domainlink.wix.sandbox.Endpoint;
import io.domainlink.wix.sandbox.Faults;
import io.domainlink.wix.sandbox.SandboxConfig;
import io.domainlink.wix.sandbox.Scenario;
import io.domainlink.wix.sandbox.WixSandbox;

/** S3: Wix misbehaves (429 + Retry-After, 5xx, slow answers, dropped connections, an enforced rate limit). */
@ExtendWith({KafkaClusterExtension.class, SchemaRegistryExtension.class})
class ConnectorFaultsIT {

    static final Duration WAIT = Duration.ofSeconds(90);
    static final int MAX_ATTEMPTS = 6;
    static final int RATE = 200;

    static KafkaCluster kafka;
    static SchemaRegistryProcess registry;
    static WixSandbox sandbox;
    static Harness h;
    DomainConnectorApp app;

    @BeforeAll
    static void start() {
        sandbox = WixSandbox.start(SandboxConfig.defaults().withThreads(32).withScenario(new Scenario().allSitesPremium(true)));
        h = new Harness(kafka, registry.confluentUrl(), sandbox);
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @AfterEach
    void closeApp() {
        if (app != null) {
            app.close();
        }
        sandbox.setScenario(new Scenario().allSitesPremium(true));
    }

    static String account(int i) {
        return String.format("%08d-aaaa-3333-4444-555555555555", i);
    }

    @Test
    void underInjectedFaultsEveryRequestEndsInExactlyOneEventWithinTheBudgetAndTheRateLimit() throws Exception {
        sandbox.setScenario(new Scenario().allSitesPremium(true).rateLimitPerMinute(RATE).faults(new Faults().seed(7)
                .latency(20, 80).dropConnectionRate(0.05).serverErrorRate(0.1).tooManyRequestsRate(0.1, 1)));
        app = h.start("faults-1", Map.of(
                ConnectorConfig.WIX_RETRY_MAX_ATTEMPTS, Integer.toString(MAX_ATTEMPTS),
                ConnectorConfig.WIX_RETRY_INITIAL_BACKOFF, "100",
                ConnectorConfig.WIX_RETRY_MAX_BACKOFF, "1000",
                ConnectorConfig.WIX_READ_TIMEOUT, "2000",
                ConnectorConfig.WIX_RATE_LIMIT, Integer.toString(RATE)), AfterWixCall.NONE, ConnectorLoop.BeforeCommit.NONE);
        List<ConnectionAccepted> requests = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            String acct = account(i % 3);
            requests.add(switch (i % 3) {
                case 0 -> Requests.accepted("fault-" + i + ".test", Flow.NAMESERVERS, io.domainlink.events.ConnectionType.NAMESERVERS, acct, Requests.SITE);
                case 1 -> Requests.accepted("fault-" + i + ".test", Flow.POINTING, io.domainlink.events.ConnectionType.POINTING, acct, Requests.SITE);
                default -> Requests.accepted("www.fault-" + i + ".test", Flow.SUBDOMAIN, null, acct, Requests.SITE);
            });
        }
        h.publish(requests.toArray(ConnectionAccepted[]::new));

        Harness.await(WAIT, "every request ended", () -> {
            Map<String, Long> counts = h.terminalCounts();
            return requests.stream().allMatch(r -> counts.containsKey(r.getContext().getRequestId()));
        });
        h.awaitNoLag(WAIT);

        Map<String, Long> counts = h.terminalCounts();
        List<CallRecord> calls = sandbox.calls();
        for (ConnectionAccepted r : requests) {
            String id = r.getContext().getRequestId();
            String domain = r.getContext().getDomain();
            assertThat(counts.get(id)).as("events of " + domain).isEqualTo(1L);
            if (h.configured(id).isEmpty()) {
                assertThat(h.failed(id)).singleElement().satisfies(f -> assertThat(f.getReason()).isEqualTo(FailureReason.RETRIES_EXHAUSTED));
            } else {
                assertThat(sandbox.count(Effect.DOMAIN_CREATED, domain)).as("created once " + domain).isEqualTo(1);
            }
            // each endpoint is called once per request, so the budget is max.attempts calls per endpoint and domain
            Map<Endpoint, Long> perEndpoint = calls.stream().filter(c -> domain.equals(c.domain()))
                    .collect(Collectors.groupingBy(CallRecord::endpoint, Collectors.counting()));
            assertThat(perEndpoint.values()).as("calls per endpoint for " + domain).allMatch(n -> n <= MAX_ATTEMPTS);
        }
        assertThat(calls).as("faults were injected").anyMatch(c -> "TOO_MANY_REQUESTS".equals(c.fault()))
                .anyMatch(c -> "SERVER_ERROR".equals(c.fault())).anyMatch(c -> "DROP".equals(c.fault()));
        assertThat(calls).as("the sandbox's enforced rate limit was never hit").noneMatch(c -> "RATE_LIMIT".equals(c.fault()));
        assertRetryAfterHonoured(calls);
        assertSteadyPace(calls);
    }

    /** After a 429 with Retry-After: 1, the same call for the same domain comes at least a second later. */
    private static void assertRetryAfterHonoured(List<CallRecord> calls) {
        for (int i = 0; i < calls.size(); i++) {
            CallRecord c = calls.get(i);
            if (!"TOO_MANY_REQUESTS".equals(c.fault()) || c.domain() == null) {
                continue;
            }
            calls.subList(i + 1, calls.size()).stream()
                    .filter(n -> n.endpoint() == c.endpoint() && c.domain().equals(n.domain())).findFirst()
                    .ifPresent(next -> assertThat(Duration.between(Instant.parse(c.time()), Instant.parse(next.time())))
                            .as("retry of " + c.endpoint() + " " + c.domain() + " after 429").isGreaterThanOrEqualTo(Duration.ofMillis(950)));
        }
    }

    /**
     * The client spends at most 95% of the limit, one permit every ~316 ms per account and never in bursts: any 3 s
     * holds at most 10 calls of one account (+1 for answer-time jitter), so no 60 s window can exceed 200.
     */
    private static void assertSteadyPace(List<CallRecord> calls) {
        Map<String, List<Instant>> byAccount = calls.stream().collect(Collectors.groupingBy(CallRecord::accountId,
                Collectors.mapping(c -> Instant.parse(c.time()), Collectors.toList())));
        byAccount.forEach((account, times) -> {
            List<Instant> sorted = times.stream().sorted().toList();
            for (int i = 0; i < sorted.size(); i++) {
                Instant end = sorted.get(i).plusSeconds(3);
                long inWindow = sorted.subList(i, sorted.size()).stream().filter(t -> t.isBefore(end)).count();
                assertThat(inWindow).as("calls of " + account + " within 3 s").isLessThanOrEqualTo(11);
            }
        });
    }

    @Test
    void twoDomainsProceedWhileAThirdIsStuckInRetriesWhichThenEndsInOneRetriesExhausted() throws Exception {
        String stuck = "stuck.test";
        int stuckPartition = Harness.partitionOf(stuck);
        String elsewhere = candidate(p -> p != stuckPartition);
        String samePartition = candidate(p -> p == stuckPartition);
        // 429 with Retry-After: 1 on every attempt: at least 5 s of retries, deterministically
        var error = new Scenario.ScriptedError(Endpoint.CREATE_CONNECTED_DOMAIN, 429, "RESOURCE_EXHAUSTED", "Too many requests");
        error.retryAfterSeconds = 1;
        sandbox.setScenario(new Scenario().allSitesPremium(true).rule(new Scenario.Rule(stuck).error(error)));
        app = h.start("stuck-1", Map.of(
                ConnectorConfig.WIX_RETRY_MAX_ATTEMPTS, Integer.toString(MAX_ATTEMPTS),
                ConnectorConfig.WIX_RETRY_INITIAL_BACKOFF, "100",
                ConnectorConfig.WIX_RETRY_MAX_BACKOFF, "500"), AfterWixCall.NONE, ConnectorLoop.BeforeCommit.NONE);
        ConnectionAccepted stuckRequest = Requests.pointing(stuck);
        ConnectionAccepted other = Requests.accepted(elsewhere, Flow.POINTING, io.domainlink.events.ConnectionType.POINTING, account(10), Requests.SITE);
        ConnectionAccepted behind = Requests.accepted(samePartition, Flow.POINTING, io.domainlink.events.ConnectionType.POINTING, account(11), Requests.SITE);
        h.publish(stuckRequest);
        h.publish(other, behind);

        // both others are done at Wix, and the one on another partition is published, while the stuck one still retries
        Harness.await(WAIT, "other configured", () -> !h.configured(other.getContext().getRequestId()).isEmpty());
        Harness.await(WAIT, "behind done at Wix", () -> sandbox.calls(Endpoint.GET_CONNECTED_DOMAIN_SETUP_INFO).stream()
                .anyMatch(c -> samePartition.equals(c.domain()) && c.status() == 200));
        assertThat(h.failed(stuckRequest.getContext().getRequestId())).as("stuck still retrying").isEmpty();
        assertThat(sandbox.calls(Endpoint.CREATE_CONNECTED_DOMAIN)).filteredOn(c -> stuck.equals(c.domain())).hasSizeLessThan(MAX_ATTEMPTS);

        String stuckId = stuckRequest.getContext().getRequestId();
        Harness.await(WAIT, "stuck failed", () -> !h.failed(stuckId).isEmpty());
        Harness.await(WAIT, "behind configured", () -> !h.configured(behind.getContext().getRequestId()).isEmpty());
        h.awaitNoLag(WAIT);
        assertThat(h.failed(stuckId)).singleElement().satisfies(f -> {
            assertThat(f.getReason()).isEqualTo(FailureReason.RETRIES_EXHAUSTED);
            assertThat(f.getWixHttpStatus()).isEqualTo(429);
            assertThat(f.getWixErrorCode()).isEqualTo("RESOURCE_EXHAUSTED");
        });
        assertThat(sandbox.calls(Endpoint.CREATE_CONNECTED_DOMAIN)).filteredOn(c -> stuck.equals(c.domain())).hasSize(MAX_ATTEMPTS);
        assertThat(h.configured(other.getContext().getRequestId())).hasSize(1);
        assertThat(h.configured(behind.getContext().getRequestId())).hasSize(1);
        assertThat(app.metrics().failures(FailureReason.RETRIES_EXHAUSTED)).isEqualTo(1);
    }

    private static String candidate(java.util.function.IntPredicate partition) {
        for (int i = 0; ; i++) {
            String d = "flowing-" + i + ".test";
            if (partition.test(Harness.partitionOf(d))) {
                return d;
            }
        }
    }
}
