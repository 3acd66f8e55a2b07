package io.domainlink.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/** What an operator sees when the topics command cannot do its job at all (the cluster cases are in TopicsCommandIT). */
class TopicsCommandTest {

    private static int run(ByteArrayOutputStream err, String... args) {
        CommandLine cl = new CommandLine(new TopicsCommand(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        PrintStream saved = System.err;
        PrintStream capture = new PrintStream(err, true, StandardCharsets.UTF_8);
        System.setErr(capture);
        cl.setErr(new java.io.PrintWriter(capture, true));
        try {
            return cl.execute(args);
        } finally {
            System.setErr(saved);
        }
    }

    @Test
    void anUnreachableClusterExitsWithTwoAndSaysWhichCluster() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = run(err, "--bootstrap-servers", "127.0.0.1:1", "--timeout", "1", "--verify-only");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("the cluster at 127.0.0.1:1 could not be asked");
    }

    @Test
    void withoutAnyBootstrapServersItNamesTheThreeWaysToGiveThem() {
        TopicsCommand command = new TopicsCommand();
        command.bootstrapServers = null; // neither --bootstrap-servers nor BOOTSTRAP_SERVERS
        command.timeoutSeconds = 60;

        assertThatThrownBy(command::adminConfig)
                .hasMessageContaining("--bootstrap-servers").hasMessageContaining("BOOTSTRAP_SERVERS").hasMessageContaining("--command-config");
    }

    @Test
    void verifyOnlyAndFixCannotBeCombined() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = run(err, "--bootstrap-servers", "127.0.0.1:1", "--verify-only", "--fix");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("mutually exclusive");
    }
}
