package io.domainlink.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The project's Confluent-compatible schema registry (module {@code registry-server}: Apicurio 2.4.2, in-memory)
 * run as a child JVM: {@code java -Xmx384m -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=<free> -jar
 * registry-server-runner.jar}.
 *
 * <p>Use {@link #shared()}: one process per test JVM, started on first use (~3–5 s) and reused by every test class,
 * destroyed by a shutdown hook. Outage tests call {@link #stop()} and {@link #start()}; the port stays the same, the
 * content does not (in-memory storage). Where the test JVM could die without running its hooks, the child is started
 * under {@code /bin/sh} with a watchdog that kills it as soon as the parent's stdin pipe closes.
 *
 * <p>The jar is located by {@link #locateJar()}.
 */
public final class SchemaRegistryProcess implements AutoCloseable {

    /** System property naming the runner jar explicitly. */
    public static final String JAR_PROPERTY = "domainlink.registry.jar";
    /** Path of the jar inside the reactor, relative to the root. */
    public static final String REACTOR_JAR = "registry-server/target/registry-server-runner.jar";
    /** Heap of the child JVM. */
    public static final String MAX_HEAP = "-Xmx384m";
    public static final String CONFLUENT_PATH = "/apis/ccompat/v7";
    public static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryProcess.class);
    private static SchemaRegistryProcess shared;

    private final Path jar;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private int port;
    private Process process;
    private Path logFile;
    private Duration lastStartupTime = Duration.ZERO;
    private final Thread shutdownHook;

    private SchemaRegistryProcess(Path jar) {
        this.jar = jar;
        this.shutdownHook = new Thread(this::destroyQuietly, "schema-registry-process-reaper");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** The process shared by the whole test JVM; started (again) if it is not running. */
    public static synchronized SchemaRegistryProcess shared() {
        if (shared == null) {
            shared = new SchemaRegistryProcess(locateJar());
        }
        shared.start();
        return shared;
    }

    /** A private, not yet started process (the caller closes it), e.g. for a test that must not disturb the shared one. */
    public static SchemaRegistryProcess create() {
        return new SchemaRegistryProcess(locateJar());
    }

    // ---- locating the jar -----------------------------------------------------------------------------------

    /**
     * The runner jar: the {@value #JAR_PROPERTY} system property if set; else {@value #REACTOR_JAR} found walking
     * up from the working directory; else the local Maven repository
     * ({@code ~/.m2/repository/io/domainlink/registry-server/<version>/registry-server-<version>-runner.jar},
     * honouring {@code maven.repo.local}). Fails naming every path tried.
     */
    public static Path locateJar() {
        return locateJar(System.getProperty(JAR_PROPERTY), Paths.get("").toAbsolutePath(), localRepository(), projectVersion());
    }

    static Path locateJar(String explicit, Path workingDir, Path localRepo, String version) {
        List<Path> tried = new ArrayList<>();
        if (explicit != null && !explicit.isBlank()) {
            Path p = Paths.get(explicit).toAbsolutePath();
            if (Files.isRegularFile(p)) {
                return p;
            }
            throw new IllegalStateException("-D" + JAR_PROPERTY + "=" + explicit + " does not name a file (" + p + ")");
        }
        for (Path dir = workingDir.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve(REACTOR_JAR);
            tried.add(p);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        Path inRepo = localRepo.resolve("io/domainlink/registry-server/" + version + "/registry-server-" + version + "-runner.jar");
        tried.add(inRepo);
        if (Files.isRegularFile(inRepo)) {
            return inRepo;
        }
        StringBuilder msg = new StringBuilder("registry-server runner jar not found. Build it with "
                + "'mvn -B -pl registry-server install' or pass -D" + JAR_PROPERTY + "=<path>. Tried:");
        tried.forEach(p -> msg.append("\n  ").append(p));
        throw new IllegalStateException(msg.toString());
    }

    private static Path localRepository() {
        String repo = System.getProperty("maven.repo.local");
        if (repo != null && !repo.isBlank()) {
            return Paths.get(repo);
        }
        return Paths.get(System.getProperty("user.home"), ".m2", "repository");
    }

    /** This jar's own version (filtered into test-support.properties); registry-server has the same version. */
    static String projectVersion() {
        try (var in = SchemaRegistryProcess.class.getResourceAsStream("test-support.properties")) {
            java.util.Properties p = new java.util.Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("test-support.properties missing from the test-support jar", e);
        }
    }

    // ---- lifecycle ------------------------------------------------------------------------------------------

    /** Starts the registry if not running and waits until {@code GET /apis/ccompat/v7/subjects} answers 200. */
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        if (port == 0) {
            port = freePort();   // kept across stop()/start() so clients' URLs stay valid
        }
        long t0 = System.nanoTime();
        try {
            logFile = newLogFile();
            List<String> java = List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                    MAX_HEAP, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
                    "-jar", jar.toString());
            ProcessBuilder pb = new ProcessBuilder(withWatchdog(java))
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile());
            process = pb.start();
            awaitReady(t0);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the schema registry from " + jar, e);
        }
        lastStartupTime = Duration.ofNanos(System.nanoTime() - t0);
        String msg = "[test-support] schema registry started in " + Wait.seconds(lastStartupTime.toNanos()) + " at "
                + confluentUrl() + " (log " + logFile + ")";
        System.out.println(msg);
        LOG.info(msg);
    }

    /**
     * With /bin/sh the JVM runs in the background of a tiny shell that waits for EOF on its stdin (our pipe) and then
     * kills it: closing the pipe (stop) or the test JVM dying for any reason (even SIGKILL) ends the registry.
     */
    private static List<String> withWatchdog(List<String> command) {
        if (!Files.isExecutable(Paths.get("/bin/sh"))) {
            return command;
        }
        StringBuilder quoted = new StringBuilder();
        for (String arg : command) {
            quoted.append('\'').append(arg.replace("'", "'\\''")).append("' ");
        }
        String script = quoted + "</dev/null & pid=$!; cat >/dev/null; kill $pid 2>/dev/null; wait $pid";
        return List.of("/bin/sh", "-c", script);
    }

    private void awaitReady(long t0) {
        long deadline = t0 + START_TIMEOUT.toNanos();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(confluentUrl() + "/subjects"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("schema registry exited with " + process.exitValue() + " before it was ready\n" + logTail());
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                destroyQuietly();
                throw new IllegalStateException("interrupted while starting the schema registry", e);
            }
            if (System.nanoTime() > deadline) {
                destroyQuietly();
                throw new IllegalStateException("schema registry not ready within " + START_TIMEOUT + "\n" + logTail());
            }
            Wait.sleep(Duration.ofMillis(100));
        }
    }

    /** Stops the registry (SIGTERM, then SIGKILL after 10 s) and waits until it is gone. All content is lost. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        long t0 = System.nanoTime();
        destroyQuietly();
        String msg = "[test-support] schema registry stopped in " + Wait.seconds(System.nanoTime() - t0);
        System.out.println(msg);
        LOG.info(msg);
    }

    private synchronized void destroyQuietly() {
        Process p = process;
        if (p == null) {
            return;
        }
        process = null;
        List<ProcessHandle> all = new ArrayList<>();
        p.descendants().forEach(all::add);
        all.add(p.toHandle());
        try {
            p.getOutputStream().close();   // the watchdog sees EOF and sends SIGTERM to the JVM
        } catch (IOException ignored) {
            // already closed
        }
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
        all.forEach(h -> {
            try {
                h.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // reported by isAlive below
            }
        });
        all.stream().filter(ProcessHandle::isAlive).forEach(h -> LOG.warn("schema registry process {} still alive", h.pid()));
    }

    /** Stops the process and removes the shutdown hook (for {@link #create()}d instances; a no-op on {@link #shared()}). */
    @Override
    public void close() {
        synchronized (SchemaRegistryProcess.class) {
            if (this == shared) {
                return;   // shared: ended by the shutdown hook when the test JVM exits
            }
        }
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // JVM already shutting down
        }
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    // ---- addresses ------------------------------------------------------------------------------------------

    /** {@code http://127.0.0.1:<port>}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Confluent Schema Registry base URL: {@code http://127.0.0.1:<port>/apis/ccompat/v7}. */
    public String confluentUrl() {
        return baseUrl() + CONFLUENT_PATH;
    }

    /** Native Apicurio v2 API (for Apicurio serdes): {@code http://127.0.0.1:<port>/apis/registry/v2}. */
    public String apicurioUrl() {
        return baseUrl() + "/apis/registry/v2";
    }

    public int port() {
        return port;
    }

    public Path jar() {
        return jar;
    }

    /** Console output of the current/last run. */
    public Path logFile() {
        return logFile;
    }

    /** Time from launch to the first 200 of the last {@link #start()}. */
    public Duration lastStartupTime() {
        return lastStartupTime;
    }

    /** {@code target/schema-registry-<port>-<n>.log} when run from a Maven module, else a temp file. */
    private Path newLogFile() throws IOException {
        Path target = Paths.get("target").toAbsolutePath();
        if (Files.isDirectory(target)) {
            return Files.createTempFile(target, "schema-registry-" + port + "-", ".log");
        }
        return Files.createTempFile("schema-registry-" + port + "-", ".log");
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return "--- last lines of " + logFile + " ---\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "(no log: " + e + ")";
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "SchemaRegistryProcess[" + confluentUrl() + ", running=" + isRunning() + "]";
    }
}
