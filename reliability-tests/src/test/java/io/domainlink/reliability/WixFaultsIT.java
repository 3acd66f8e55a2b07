package io.domainlink.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.MemberDescription;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.domainlink.common.DomainNames;
import io.domainlink.common.Topics;
import io.domainlink.connector.ConnectorConfig;
import io.domainlink.events.ConnectionRequested;
import io.domainlink.events.DomainFailed;
import io.domainlink.testsupport.Await;
import io.domainlink.testsupport.KafkaCluster;
import io.domainlink.testsupport.KafkaClusterExtension;
import io.domainlink.testsupport.SchemaRegistryExtension;
import io.domainlink.testsupport.SchemaRegistryProcess;
import io.domainlink.wix.sandbox.CallRecord;
import io.domainlink.wix.sandbox.Endpoint;
import io.domainlink.wix.sandbox.FaultOverride;
import io.domainlink.wix.sandbox.Faults;

/**
 * S3: Wix answers 429 with Retry-After, 5xx, slowly, or drops the connection, at rates the test sets, for both Wix
 * services at once; one domain gets nothing but 503. Every request still ends once, the doomed one with exactly one
 * RETRIES_EXHAUSTED after exactly the attempts the retry policy allows with capped backoff, Retry-After is honoured,
 * the other domains keep flowing, and no instance is thrown out of its group (no rebalance storm).
 */
@ExtendWith({KafkaClusterExtension.class, SchemaRegistryExtension.class})
class WixFaultsIT extends ScenarioFixture {

    static final double DROP = 0.05;
    static final double SERVER_ERROR = 0.10;
    static final double TOO_MANY = 0.10;
    static final int RETRY_AFTER_S = 1;
    static final int MAX_ATTEMPTS = 6;
    static final long MAX_BACKOFF_MS = 1_500;

    static KafkaCluster kafka;
    static SchemaRegistryProcess registry;

    @BeforeAll
    static void start(@TempDir Path dir) {
        s = Scenarios.start(kafka, registry.confluentUrl(), dir, sc -> { });
        s.pipeline.set(Service.CONNECTOR, ConnectorConfig.WIX_RETRY_MAX_ATTEMPTS, Integer.toString(MAX_ATTEMPTS))
                .set(Service.CONNECTOR, ConnectorConfig.WIX_RETRY_MAX_BACKOFF, Long.toString(MAX_BACKOFF_MS))
                .set(Service.CONNECTOR, ConnectorConfig.WIX_READ_TIMEOUT, "3000");
        s.pipeline.startAll();
    }

    @Test
    void s3_underWixFaultsEveryRequestEndsOnceTheDoomedOneWithRetriesExhaustedAndRetryAfterIsHonoured() throws Exception {
        Map<String, String> membersBefore = members();
        String tag = Requests.runTag();
        ConnectionRequested doomed = Requests.pointing("s3-doomed-" + tag, "s3-doomed-" + tag + ".com", 0);
        String doomedDomain = DomainNames.normalize(doomed.getDomain());
        FaultOverride alwaysDown = new FaultOverride().forPattern(doomedDomain);
        alwaysDown.serverErrorRate = 1.0;
        alwaysDown.serverErrorStatuses = List.of(503);
        Faults faults = new Faults().seed(3).latency(20, 80).dropConnectionRate(DROP).serverErrorRate(SERVER_ERROR)
                .tooManyRequestsRate(TOO_MANY, RETRY_AFTER_S).override(alwaysDown);
        s.sandbox.setFaults(faults);

        List<ConnectionRequested> requests = new ArrayList<>(Requests.mixed("s3", 60, 4));
        Expected expected = new Expected().requests(requests).allConnected().request(doomed)
                .outcome(doomed.getRequestId(), "RETRIES_EXHAUSTED").maxAttempts(MAX_ATTEMPTS);
        requests.add(30, doomed);   // in the middle of the others
        s.upstream.requests(requests);
        Await.until(Duration.ofSeconds(120), "every request ended while Wix misbehaves", () -> s.verifier.refresh()
                .values(Topics.OUTCOMES).size() >= requests.size());
        s.sandbox.setFaults(Faults.none());   // the faults stop; the verifier's recovery window starts

        Verifier.Report report = s.verifier.awaitInvariants("S3 Wix 429/5xx/slow/dropped", expected, Scenarios.RECOVERY);
        List<CallRecord> calls = s.sandbox.calls();
        System.out.printf("[S3] Wix calls=%d dropped=%d 5xx=%d 429=%d (rates %.2f/%.2f/%.2f, latency 20-100 ms)%n", calls.size(),
                calls.stream().filter(c -> "DROP".equals(c.fault())).count(),
                calls.stream().filter(c -> "SERVER_ERROR".equals(c.fault())).count(),
                calls.stream().filter(c -> "TOO_MANY_REQUESTS".equals(c.fault())).count(), DROP, SERVER_ERROR, TOO_MANY);
        assertThat(report.holds()).as("%s", report).isTrue();

        // the doomed domain: exactly the allowed attempts of its first call, each backoff capped, one RETRIES_EXHAUSTED
        List<CallRecord> doomedCalls = calls.stream().filter(c -> doomedDomain.equals(c.domain())).toList();
        assertThat(doomedCalls).as("attempts at the doomed domain").hasSize(MAX_ATTEMPTS)
                .allSatisfy(c -> assertThat(c.endpoint()).isEqualTo(Endpoint.CREATE_CONNECTED_DOMAIN));
        for (int i = 1; i < doomedCalls.size(); i++) {
            long gap = millisBetween(doomedCalls.get(i - 1), doomedCalls.get(i));
            assertThat(gap).as("backoff before attempt %d", i + 1).isLessThanOrEqualTo(MAX_BACKOFF_MS + 100 + 500);
        }
        DomainFailed failed = (DomainFailed) s.verifier.values(Topics.OUTCOMES).stream()
                .filter(o -> Verifier.context(o).getRequestId().equals(doomed.getRequestId())).findFirst().orElseThrow();
        assertThat(failed.getWixHttpStatus()).isBetween(500, 599);

        // Retry-After honoured: after a 429 the same domain and endpoint is not called again within Retry-After
        Map<String, List<CallRecord>> byDomainAndEndpoint = calls.stream().filter(c -> c.domain() != null)
                .collect(Collectors.groupingBy(c -> c.domain() + " " + c.endpoint()));
        int checked = 0;
        for (List<CallRecord> list : byDomainAndEndpoint.values()) {
            list.sort(Comparator.comparingLong(CallRecord::seq));
            for (int i = 0; i + 1 < list.size(); i++) {
                if ("TOO_MANY_REQUESTS".equals(list.get(i).fault())) {
                    checked++;
                    assertThat(millisBetween(list.get(i), list.get(i + 1))).as("wait after a 429 of %s", list.get(i))
                            .isGreaterThanOrEqualTo(RETRY_AFTER_S * 1000L - 50);
                }
            }
        }
        assertThat(checked).as("429s followed by a retry").isGreaterThan(5);

        // no rebalance storm: the same members are in the connector's and the watcher's groups as before the faults
        assertThat(members()).isEqualTo(membersBefore);
    }

    private static long millisBetween(CallRecord a, CallRecord b) {
        return Duration.between(Instant.parse(a.time()), Instant.parse(b.time())).toMillis();
    }

    /** group → member ids of the connector's and the watcher's groups. */
    private static Map<String, String> members() throws Exception {
        Map<String, String> out = new java.util.TreeMap<>();
        for (Service svc : Set.of(Service.CONNECTOR, Service.WATCHER)) {
            out.put(svc.group, kafka.admin().describeConsumerGroups(List.of(svc.group)).all().get(30, TimeUnit.SECONDS)
                    .get(svc.group).members().stream().map(MemberDescription::consumerId).sorted().collect(Collectors.joining(",")));
        }
        return out;
    }
}
