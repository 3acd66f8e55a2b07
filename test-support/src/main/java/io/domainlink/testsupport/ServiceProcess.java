package io.domainlink.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The service's runnable jar ({@code target/<service>.jar}, built by the package phase) started as an operator would:
 * {@code java -jar} with exactly the given environment and nothing else on the classpath. Output goes to files so a
 * failing test can show it.
 */
public final class ServiceProcess implements AutoCloseable {

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ServiceProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public static Path jar(String service) {
        Path jar = Path.of("target", service + ".jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the package phase (mvn -pl " + service + " verify)");
        }
        return jar;
    }

    public static ServiceProcess start(String service, Map<String, String> env, Path logDir) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(List.of(java.toString(), "-Xmx384m", "-jar", jar(service).toString()));
        pb.environment().clear();
        pb.environment().putAll(env);
        Path out = logDir.resolve(service + ".out");
        Path err = logDir.resolve(service + ".err");
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        return new ServiceProcess(pb.start(), out, err);
    }

    /** Waits for the process to end; its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running after " + timeout + "\nstdout:\n" + stdout() + "\nstderr:\n" + stderr());
        }
        return process.exitValue();
    }

    public boolean alive() {
        return process.isAlive();
    }

    public String stdout() {
        return read(stdout);
    }

    public String stderr() {
        return read(stderr);
    }

    /** GET on the ops endpoint: status code, or -1 when nothing answers yet. */
    public HttpResponse<String> get(int port, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Polls until {@code path} answers 200, or fails with the process output. */
    public void awaitOk(int port, String path, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = get(port, path);
            if (r != null && r.statusCode() == 200) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("the service exited with " + process.exitValue() + "\nstdout:\n" + stdout() + "\nstderr:\n" + stderr());
            }
            Thread.sleep(250);
        }
        throw new AssertionError(path + " not 200 within " + timeout + "\nstdout:\n" + stdout() + "\nstderr:\n" + stderr());
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    /** SIGTERM (the shutdown hook runs), then kill after 30 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
