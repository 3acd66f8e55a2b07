package io.domainlink.reliability;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.domainlink.testsupport.Await;
import io.domainlink.testsupport.SchemaRegistryProcess;

/**
 * The project's registry (the {@code registry-server} runner jar) as a child JVM with its H2 database in a folder, as the
 * local stack runs it: unlike the tests' in-memory registry it comes back from {@link #stop()} / {@link #start()} with
 * the same schemas under the same ids — as a production registry would after an outage (S11).
 */
final class PersistentRegistry implements AutoCloseable {

    private final Path dir;
    private final int port;
    private ChildJvm jvm;
    private int starts;

    PersistentRegistry(Path dir) {
        this.dir = dir;
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        start();
    }

    String confluentUrl() {
        return "http://127.0.0.1:" + port + SchemaRegistryProcess.CONFLUENT_PATH;
    }

    void start() {
        long t0 = System.nanoTime();
        jvm = ChildJvm.start("schema-registry", List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                        "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port, "-jar", SchemaRegistryProcess.locateJar().toString()),
                Map.of("REGISTRY_DATASOURCE_URL", "jdbc:h2:file:" + dir.resolve("registry").toAbsolutePath()),
                dir.resolve("registry-" + (++starts) + ".log"));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(confluentUrl() + "/subjects")).timeout(Duration.ofSeconds(2)).build();
        Await.until(Duration.ofSeconds(120), "registry on port " + port, () -> {
            if (!jvm.isAlive()) {
                throw new AssertionError("registry exited:\n" + jvm.logTail(30));
            }
            return http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        });
        System.out.printf("[registry] persistent registry ready in %.1fs at %s%n", (System.nanoTime() - t0) / 1e9, confluentUrl());
    }

    /** SIGTERM and wait: the registry is down (connection refused) until {@link #start()}. */
    void stop() {
        jvm.stop(Duration.ofSeconds(30));
    }

    @Override
    public void close() {
        if (jvm != null) {
            jvm.stop(Duration.ofSeconds(30));
        }
    }
}
