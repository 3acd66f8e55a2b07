package io.domainlink.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/** The harness's command line and workload, without starting anything. */
class BenchmarkCliTest {

    @Test
    void unknownItemIsRefusedWithTheNamesThatExist() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cl = new CommandLine(new BenchmarkMain(new PrintStream(new ByteArrayOutputStream())));
        cl.setErr(new java.io.PrintWriter(err, true));

        int exit = cl.execute("--only", "everything");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("pipeline, rate-limited, watcher-scale, growth");
    }

    @Test
    void workloadKeysNameTheirRequestAndMixTheThreeFlows() {
        Workload w = new Workload("t1", 30, 3);

        assertThat(w.indexOf(w.domain(0))).isZero();
        assertThat(w.indexOf(w.domain(29))).isEqualTo(29);
        assertThat(w.domain(2)).startsWith("shop.");
        assertThat(w.indexOf("d5-other.com")).isEqualTo(-1);
        assertThat(w.indexOf("d30-t1.com")).as("outside the workload").isEqualTo(-1);
        assertThat(java.util.stream.IntStream.range(0, 30).mapToObj(w::flow).distinct()).hasSize(3);
    }
}
