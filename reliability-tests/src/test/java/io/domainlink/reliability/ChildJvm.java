package io.domainlink.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JVM started by a scenario (a service instance, or the registry) that the scenario can really kill ({@code SIGKILL}),
 * pause ({@code SIGSTOP}, the zombie of S10) and resume ({@code SIGCONT}), or stop cleanly ({@code SIGTERM}, which runs
 * the service's own shutdown hook).
 *
 * <p>The JVM runs in the background of a tiny {@code /bin/sh} watchdog that holds a pipe from this test JVM: when the
 * test JVM ends in any way (even {@code kill -9}) the pipe closes and the watchdog kills the child, so no process is left
 * behind (the same trick as test-support's registry process).
 */
final class ChildJvm implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChildJvm.class);

    private final String name;
    private final Process shell;
    private final ProcessHandle jvm;
    private final Path logFile;

    private ChildJvm(String name, Process shell, ProcessHandle jvm, Path logFile) {
        this.name = name;
        this.shell = shell;
        this.jvm = jvm;
        this.logFile = logFile;
    }

    /** {@code java <jvmArgs> <args>} with the given environment added to this JVM's; output appended to {@code logFile}. */
    static ChildJvm start(String name, List<String> jvmArgsAndMain, Map<String, String> env, Path logFile) {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgsAndMain);
        StringBuilder quoted = new StringBuilder();
        for (String arg : command) {
            quoted.append('\'').append(arg.replace("'", "'\\''")).append("' ");
        }
        String script = quoted + "</dev/null >>'" + logFile.toString().replace("'", "'\\''")
                + "' 2>&1 & pid=$!; echo $pid; cat >/dev/null; kill -9 $pid 2>/dev/null; wait $pid";
        try {
            Files.createDirectories(logFile.getParent());
            ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", script).redirectErrorStream(true);
            pb.environment().putAll(env);
            Process shell = pb.start();
            String pidLine = readLine(shell);
            ProcessHandle jvm = ProcessHandle.of(Long.parseLong(pidLine.trim()))
                    .orElseThrow(() -> new IllegalStateException(name + " exited at once; see " + logFile));
            log.info("started child={} pid={} log={}", name, jvm.pid(), logFile);
            return new ChildJvm(name, shell, jvm, logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    private static String readLine(Process p) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = p.getInputStream().read()) != -1 && c != '\n') {
            sb.append((char) c);
        }
        return sb.toString();
    }

    /** The classpath this test JVM runs with (failsafe's), for a child that runs a service's {@code main}. */
    static String testClasspath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    String name() {
        return name;
    }

    long pid() {
        return jvm.pid();
    }

    boolean isAlive() {
        return jvm.isAlive();
    }

    Path logFile() {
        return logFile;
    }

    /** {@code kill -9}: no shutdown hook, no commit, no abort, no leave-group. Waits until the process is gone. */
    void kill() {
        jvm.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
        closePipe();
        log.info("killed child={} pid={}", name, jvm.pid());
    }

    /** {@code kill -STOP}: the JVM stops dead (no heartbeats, no I/O) until {@link #resume()}. */
    void pause() {
        signal("STOP");
    }

    /** {@code kill -CONT}. */
    void resume() {
        signal("CONT");
    }

    private void signal(String signal) {
        try {
            Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(jvm.pid())).redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + jvm.pid() + " failed: "
                        + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            log.info("signalled child={} pid={} signal={}", name, jvm.pid(), signal);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM (the service's shutdown hook runs), SIGKILL if it is not gone within {@code timeout}. */
    void stop(Duration timeout) {
        if (jvm.isAlive()) {
            resumeQuietly();
            jvm.destroy();
            if (!awaitExit(timeout)) {
                log.warn("child={} pid={} ignored SIGTERM for {}; killing it", name, jvm.pid(), timeout);
                jvm.destroyForcibly();
                awaitExit(Duration.ofSeconds(30));
            }
        }
        closePipe();
    }

    private void resumeQuietly() {
        try {
            signal("CONT");
        } catch (RuntimeException e) {
            // already gone
        }
    }

    boolean awaitExit(Duration timeout) {
        try {
            jvm.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (Exception e) {
            return !jvm.isAlive();
        }
    }

    private void closePipe() {
        try {
            shell.getOutputStream().close();
            shell.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            // already closed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last lines of the child's log, for a failure message. */
    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(20));
    }
}
