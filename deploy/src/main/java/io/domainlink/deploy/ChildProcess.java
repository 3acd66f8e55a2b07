package io.domainlink.deploy;

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
 * A child JVM of the local stack (the Kafka broker, the schema registry) whose console goes to a log file, and which
 * never outlives the stack.
 *
 * <p>The JVM runs in the background of a tiny {@code /bin/sh} that waits for end-of-file on its stdin (a pipe from
 * this process) and then sends the JVM SIGTERM and waits for it: {@link #stop} closes the pipe, and if the stack's
 * JVM dies in any way (even {@code kill -9}) the pipe closes too. Being a background job of a non-interactive shell,
 * the child ignores the SIGINT a terminal sends on Ctrl-C, so the stack stops it itself, in order.
 */
final class ChildProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChildProcess.class);

    private final String name;
    private final Process process;
    private final Path logFile;
    private final List<ProcessHandle> started;

    private ChildProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.started = new ArrayList<>(findDescendants(process));
    }

    /** The JVM under the watchdog shell, remembered so that it is stopped even if the shell is gone by then. */
    private static List<ProcessHandle> findDescendants(Process p) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        List<ProcessHandle> found = p.descendants().toList();
        while (found.stream().noneMatch(h -> h.info().command().map(c -> c.endsWith("java")).orElse(false))
                && p.isAlive() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            found = p.descendants().toList();
        }
        return found;
    }

    /** The {@code java} executable of the running JVM. */
    static String javaExecutable() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Starts {@code command} under the watchdog, its output appended to {@code logFile}. */
    static ChildProcess start(String name, List<String> command, Map<String, String> environment, Path logFile) {
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            ProcessBuilder pb = new ProcessBuilder(withWatchdog(command))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            pb.environment().putAll(environment);
            Process p = pb.start();
            LOG.info("child started name={} pid={} log={}", name, p.pid(), logFile);
            return new ChildProcess(name, p, logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + ": " + e.getMessage(), e);
        }
    }

    /** Runs a short command to completion (e.g. formatting the broker's storage); fails with its output if it fails. */
    static void runToCompletion(String name, List<String> command, Path logFile, Duration timeout) {
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
            p.getOutputStream().close();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new IllegalStateException(name + " did not finish within " + timeout + "\n" + tail(logFile, 30));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(name + " failed with exit code " + p.exitValue() + "\n" + tail(logFile, 30));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + name, e);
        }
    }

    private static List<String> withWatchdog(List<String> command) {
        if (!Files.isExecutable(Paths.get("/bin/sh"))) {
            return command;
        }
        StringBuilder quoted = new StringBuilder();
        for (String arg : command) {
            quoted.append('\'').append(arg.replace("'", "'\\''")).append("' ");
        }
        // trap '' INT HUP: the terminal's Ctrl-C reaches the whole process group; the shell, cat and the JVM ignore it
        // (ignored signals stay ignored across exec), so only the stack decides when and in which order children stop
        return List.of("/bin/sh", "-c", "trap '' INT HUP; " + quoted + "</dev/null & pid=$!; cat >/dev/null; kill $pid 2>/dev/null; wait $pid");
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The pid of the JVM (not of the watchdog shell around it). */
    long pid() {
        return started.stream().filter(h -> h.info().command().map(c -> c.endsWith("java")).orElse(false))
                .mapToLong(ProcessHandle::pid).findFirst().orElse(process.pid());
    }

    /** Every process of the child: the watchdog shell, its {@code cat} and the JVM. */
    List<ProcessHandle> processes() {
        List<ProcessHandle> all = new ArrayList<>(started);
        all.add(process.toHandle());
        return all;
    }

    Path logFile() {
        return logFile;
    }

    /** Fails with the end of the log when the child has exited, e.g. while waiting for it to become ready. */
    void requireAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with code " + process.exitValue() + " (log " + logFile + ")\n"
                    + tail(logFile, 40));
        }
    }

    /** Last lines of the log, for error messages. */
    String logTail(int lines) {
        return tail(logFile, lines);
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return "--- last lines of " + file + " ---\n" + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | RuntimeException e) {
            return "(no log at " + file + ")";
        }
    }

    /**
     * SIGTERM (through the watchdog) and wait up to {@code grace}; then SIGKILL whatever is left. Returns when nothing
     * of the child is running any more.
     */
    void stop(Duration grace) {
        List<ProcessHandle> all = new ArrayList<>(started);
        process.descendants().filter(h -> !all.contains(h)).forEach(all::add);
        all.add(process.toHandle());
        endPipe();
        started.forEach(ProcessHandle::destroy);  // SIGTERM directly too, in case the watchdog shell is gone
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                LOG.warn("child did not stop in time, killing name={} pid={}", name, h.pid());
                h.destroyForcibly();
            }
        }
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.error("child still running name={} pid={}", name, h.pid());
            }
        }
    }

    /**
     * Closes this end of the watchdog's pipe: its {@code cat} sees EOF and the shell sends the JVM SIGTERM. The kernel
     * does the same when the stack's JVM dies, however it dies.
     */
    void endPipe() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(20));
    }

    @Override
    public String toString() {
        return name + "[pid " + process.pid() + "]";
    }
}
