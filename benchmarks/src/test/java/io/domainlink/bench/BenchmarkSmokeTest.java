package io.domainlink.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/**
 * The harness runs end to end and prints its table: a real broker child process, the real registry, the sandbox and
 * the three services, 200 requests. A smoke test only: the figures of so small a run mean nothing and are not checked,
 * only that every request was connected and each row of items 1 and 2 is there. About a minute on 2 busy cores, more
 * than the module's default test budget: it runs with {@code mvn -B -pl benchmarks verify -Psmoke}.
 */
class BenchmarkSmokeTest {

    @Test
    void pipelineItemRunsAndPrintsTheTable() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

        int exit = new CommandLine(new BenchmarkMain(out)).execute("--only", "pipeline", "--quick", "--requests", "200",
                "--accounts", "4", "--data-dir", "target/smoke-data");

        String printed = buffer.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(printed).isZero();
        assertThat(printed)
                .contains("outcomes: 200 connected, failed {}, 0 duplicates, 0 missing")
                .containsPattern("\\| 1 +\\| pipeline end to end, 200 requests +\\| \\d+ connections/s +\\|")
                .containsPattern("\\| 2a +\\| pipeline / raw Kafka +\\| [\\d.]+% ")
                .containsPattern("\\| 2b +\\| pipeline / bare Wix work +\\| [\\d.]+% ")
                .doesNotContain("INCOMPLETE");
    }
}
