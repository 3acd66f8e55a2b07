package io.domainlink.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/**
 * The run command itself ({@link LocalStack}, what {@code deploy/local-stack.sh} executes) with its real broker child
 * process, twice on the same data folder: both runs end with every demo domain in its expected outcome, the second
 * reuses the first one's broker data, and neither leaves a process behind.
 */
class LocalStackIT {

    private static final Pattern PID = Pattern.compile("pid (\\d+)");

    @Test
    void runsTheDemoToItsExpectedOutcomesTwiceOnTheSameDataAndLeavesNoProcessBehind(@TempDir Path data) throws Exception {
        String first = run(data);
        assertThat(first).contains("new data in").contains("6 requests: 4 connected, 2 failed, 0 pending; all as expected");
        assertThat(Files.isRegularFile(data.resolve("kafka/meta.properties"))).isTrue();

        String second = run(data);
        assertThat(second).contains("existing data in").contains("8 declared, 0 created")
                .contains("nora-flowers-2.com").contains("6 requests: 4 connected, 2 failed, 0 pending; all as expected");
    }

    private static String run(Path data) {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        int[] ports = {Ports.freePort(), Ports.freePort(), Ports.freePort(), Ports.freePort()};
        int code = new CommandLine(new LocalStack(new PrintStream(console, true, StandardCharsets.UTF_8))).execute(
                "--data-dir", data.toString(), "--kafka-port", "" + ports[0], "--controller-port", "" + ports[1],
                "--registry-port", "" + ports[2], "--sandbox-port", "" + ports[3], "--timeout", "90", "--broker-heap", "384m");
        String out = console.toString(StandardCharsets.UTF_8);
        System.out.println(out);
        assertThat(code).as("exit code; output:%n%s", out).isZero();
        assertThat(out).contains("Local stack stopped.");
        List<Long> children = PID.matcher(out).results().map(m -> Long.parseLong(m.group(1))).toList();
        assertThat(children).as("broker and registry pids").hasSize(2);
        for (long pid : children) {
            assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("process %d after the run", pid).isEmpty();
        }
        return out;
    }
}
