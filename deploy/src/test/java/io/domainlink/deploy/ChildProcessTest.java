package io.domainlink.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildProcessTest {

    private static ChildProcess sleeper(Path dir) {
        return ChildProcess.start("sleeper", List.of(ChildProcess.javaExecutable(), "-Xmx32m", "-cp",
                System.getProperty("java.class.path"), Sleeper.class.getName()), Map.of(), dir.resolve("logs/sleeper.log"));
    }

    @Test
    void ctrlCOnTheTerminalDoesNotStopAChildOnlyTheStackDoesAndThenNothingIsLeft(@TempDir Path dir) throws Exception {
        ChildProcess child = sleeper(dir);
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(dir.resolve("logs/sleeper.log")).contains("sleeper up"));
        List<ProcessHandle> all = child.processes();
        assertThat(all).hasSizeGreaterThanOrEqualTo(3);   // watchdog shell, cat, JVM

        // what a terminal does on Ctrl-C: SIGINT to every process of the foreground group
        for (ProcessHandle h : all) {
            new ProcessBuilder("kill", "-INT", Long.toString(h.pid())).start().waitFor();
        }
        Thread.sleep(500);
        assertThat(all).as("still running after SIGINT").allMatch(ProcessHandle::isAlive);

        child.stop(Duration.ofSeconds(10));
        assertThat(all).as("gone after stop").noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void aChildStopsByItselfOnceThePipeFromTheStackEnds(@TempDir Path dir) throws Exception {
        ChildProcess child = sleeper(dir);
        long jvm = child.pid();
        assertThat(ProcessHandle.of(jvm)).hasValueSatisfying(h -> assertThat(h.info().command()).hasValueSatisfying(c -> assertThat(c).endsWith("java")));

        // what the kernel does to the pipe when the stack's JVM dies for any reason, e.g. kill -9: no signal to the child
        child.endPipe();

        await().atMost(Duration.ofSeconds(20)).until(() -> ProcessHandle.of(jvm).map(h -> !h.isAlive()).orElse(true));
        child.stop(Duration.ofSeconds(5));
    }
}
