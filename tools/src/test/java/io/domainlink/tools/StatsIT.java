package io.domainlink.tools;

import static io.domainlink.tools.Events.connected;
import static io.domainlink.tools.Events.context;
import static io.domainlink.tools.Events.failed;
import static io.domainlink.tools.Events.progress;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.domainlink.common.Topics;
import io.domainlink.events.FailureReason;
import io.domainlink.events.Flow;
import io.domainlink.events.PropagationStatus;
import io.domainlink.events.RequestContext;
import io.domainlink.events.Stage;
import io.domainlink.testsupport.KafkaCluster;
import io.domainlink.testsupport.KafkaClusterExtension;
import io.domainlink.testsupport.SchemaRegistryExtension;
import io.domainlink.testsupport.SchemaRegistryProcess;

/** {@code stats} on the real broker and registry: the counts and percentiles of a window of recorded outcomes. */
@ExtendWith({KafkaClusterExtension.class, SchemaRegistryExtension.class})
class StatsIT {

    static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");

    static KafkaCluster kafka;
    static SchemaRegistryProcess registryProcess;
    static PipelineTopics topics;

    @BeforeAll
    static void record() {
        topics = new PipelineTopics(kafka, registryProcess);
        // before the window: must not count
        RequestContext old = context("old", "old.example.com", Flow.POINTING, 1);
        topics.record(Topics.OUTCOMES, "old.example.com", connected(old, T0.minusSeconds(4000), T0.minusSeconds(1), 9), T0.minusSeconds(1));
        int n = 0;
        for (int seconds : new int[] {10, 20, 30, 40}) {
            String domain = "p" + n + ".example.com";
            RequestContext c = context("p" + n++, domain, Flow.POINTING, 1);
            Instant done = T0.plusSeconds(60L * n + seconds);
            topics.record(Topics.PROGRESS, domain, progress(c, null, PropagationStatus.IN_PROGRESS, 1, done.minusSeconds(5)), done.minusSeconds(5));
            topics.record(Topics.PROGRESS, domain, progress(c, PropagationStatus.IN_PROGRESS, PropagationStatus.COMPLETED, 2, done), done);
            topics.record(Topics.OUTCOMES, domain, connected(c, T0.plusSeconds(60L * n), done, 2), done);
        }
        RequestContext timeout = context("p-timeout", "slow.example.com", Flow.POINTING, 1);
        topics.record(Topics.PROGRESS, "slow.example.com", progress(timeout, null, PropagationStatus.IN_PROGRESS, 1, T0.plusSeconds(600)), T0.plusSeconds(600));
        topics.record(Topics.OUTCOMES, "slow.example.com", failed(timeout, FailureReason.PROPAGATION_TIMEOUT, Stage.WATCHER, T0.plusSeconds(900)), T0.plusSeconds(900));
        RequestContext ns = context("n1", "n1.example.com", Flow.NAMESERVERS, 1);
        topics.record(Topics.OUTCOMES, "n1.example.com", connected(ns, T0.plusSeconds(100), T0.plusSeconds(105), 1), T0.plusSeconds(105));
        for (int i = 0; i < 2; i++) {
            RequestContext r = context("n-rej-" + i, "rej" + i + ".example.com", Flow.NAMESERVERS, 1);
            topics.record(Topics.OUTCOMES, "rej" + i + ".example.com", failed(r, FailureReason.WIX_REJECTED, Stage.CONNECTOR, T0.plusSeconds(200)), T0.plusSeconds(200));
        }
        // still propagating at the end of the window
        RequestContext pending = context("p-pending", "pending.example.com", Flow.POINTING, 1);
        topics.record(Topics.PROGRESS, "pending.example.com", progress(pending, null, PropagationStatus.IN_PROGRESS, 1, T0.plusSeconds(700)), T0.plusSeconds(700));
        // after the window: must not count
        topics.record(Topics.OUTCOMES, "late.example.com", failed(context("late", "late.example.com", Flow.NAMESERVERS, 1),
                FailureReason.WIX_REJECTED, Stage.CONNECTOR, T0.plusSeconds(3600)), T0.plusSeconds(3600));
    }

    @AfterAll
    static void close() {
        topics.close();
    }

    @Test
    void countsByFlowAndReasonAndTimeToConnectPercentilesOverTheWindow() {
        PipelineTopics.Run run = topics.cli("stats", "--since", T0.toString(), "--until", T0.plusSeconds(3600).toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> lines = run.lines();
        assertThat(lines.get(0)).isEqualTo("Window 2026-11-25T08:00:00Z .. 2026-11-25T09:00:00Z: 8 outcomes, 10 progress events");
        assertThat(cells(lines, "FLOW ")).containsExactly("FLOW", "REQUESTS", "CONNECTED", "FAILED", "CONNECTED%", "P50", "P90", "P99", "MAX", "AVG", "CHECKS");
        assertThat(cells(lines, "NAMESERVERS ")).containsExactly("NAMESERVERS", "3", "1", "2", "33.3%", "5.0s", "5.0s", "5.0s", "5.0s", "1.0");
        assertThat(cells(lines, "POINTING ")).containsExactly("POINTING", "5", "4", "1", "80.0%", "20.0s", "40.0s", "40.0s", "40.0s", "2.0");
        assertThat(cells(lines, "ALL ")).containsExactly("ALL", "8", "5", "3", "62.5%", "20.0s", "40.0s", "40.0s", "40.0s", "1.8");

        int reasons = lines.indexOf("Failed, by reason:");
        List<String> reasonRows = lines.subList(reasons + 2, reasons + 4).stream().map(l -> String.join(" ", l.trim().split("\\s+"))).toList();
        assertThat(reasonRows).containsExactly("NAMESERVERS WIX_REJECTED 2 66.7%", "POINTING PROPAGATION_TIMEOUT 1 20.0%");

        int propagation = lines.indexOf("Propagation (domains.progress):");
        assertThat(String.join(" ", lines.get(propagation + 2).trim().split("\\s+")))
                .as("6 POINTING requests watched: 6 IN_PROGRESS and 4 COMPLETED changes; the pending one is still watched")
                .isEqualTo("POINTING 6 6 4 0 1");
    }

    @Test
    void anEmptyWindowPrintsZeros() {
        PipelineTopics.Run run = topics.cli("stats", "--since", "2020-01-01", "--until", "2020-01-02");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(cells(run.lines(), "ALL ")).containsExactly("ALL", "0", "0", "0", "-", "-", "-", "-", "-", "-");
        assertThat(run.out()).contains("Failed, by reason:\n  (none)");
    }

    private static List<String> cells(List<String> lines, String prefix) {
        return Arrays.asList(lines.stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow(() ->
                new AssertionError("no line starting with '" + prefix + "' in\n" + String.join("\n", lines))).trim().split("\\s+"));
    }
}
