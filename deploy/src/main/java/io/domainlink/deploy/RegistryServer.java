package io.domainlink.deploy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The project's Confluent-compatible schema registry (module {@code registry-server}: Apicurio 2.4.2) as a child
 * process on a fixed port. Unlike the in-memory registry of the tests, the local stack keeps the registry's H2
 * database in {@code <data-dir>/registry}: the records kept in the broker between runs carry schema ids, and those
 * ids must still mean the same schemas on the next run.
 */
final class RegistryServer implements AutoCloseable {

    /** System property naming the runner jar explicitly (same name test-support uses). */
    static final String JAR_PROPERTY = "domainlink.registry.jar";
    static final String REACTOR_JAR = "registry-server/target/registry-server-runner.jar";
    static final String CONFLUENT_PATH = "/apis/ccompat/v7";
    static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final ChildProcess process;
    private final int port;

    private RegistryServer(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    static RegistryServer start(Path dataDir, int port, Path jar) {
        Path db = dataDir.resolve("registry").toAbsolutePath();
        List<String> command = List.of(ChildProcess.javaExecutable(), "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port, "-jar", jar.toString());
        ChildProcess child = ChildProcess.start("schema registry", command,
                Map.of("REGISTRY_DATASOURCE_URL", "jdbc:h2:file:" + db.resolve("registry")), dataDir.resolve("logs/registry.log"));
        RegistryServer server = new RegistryServer(child, port);
        try {
            server.awaitReady();
        } catch (RuntimeException e) {
            child.close();
            throw e;
        }
        return server;
    }

    /**
     * The runner jar: {@code -D}{@value #JAR_PROPERTY}; else {@value #REACTOR_JAR} walking up from the working
     * directory; else the local Maven repository. Fails naming every place tried and how to build it.
     */
    static Path locateJar(String version) {
        String explicit = System.getProperty(JAR_PROPERTY);
        if (explicit != null && !explicit.isBlank()) {
            Path p = Paths.get(explicit).toAbsolutePath();
            if (Files.isRegularFile(p)) {
                return p;
            }
            throw new IllegalStateException("-D" + JAR_PROPERTY + "=" + explicit + " does not name a file");
        }
        List<Path> tried = new ArrayList<>();
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve(REACTOR_JAR);
            tried.add(p);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        String repo = System.getProperty("maven.repo.local", Paths.get(System.getProperty("user.home"), ".m2", "repository").toString());
        Path inRepo = Paths.get(repo, "io/domainlink/registry-server", version, "registry-server-" + version + "-runner.jar");
        tried.add(inRepo);
        if (Files.isRegularFile(inRepo)) {
            return inRepo;
        }
        StringBuilder msg = new StringBuilder("registry-server runner jar not found; build it with "
                + "'mvn -B -pl registry-server package' (deploy/local-stack.sh does). Tried:");
        tried.forEach(p -> msg.append("\n  ").append(p));
        throw new IllegalStateException(msg.toString());
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(confluentUrl() + "/subjects")).timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            process.requireAlive();
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the registry", e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("schema registry not ready within " + START_TIMEOUT + "\n" + process.logTail(40));
            }
            KafkaBroker.sleep(150);
        }
    }

    /** {@code http://127.0.0.1:<port>/apis/ccompat/v7}. */
    String confluentUrl() {
        return "http://127.0.0.1:" + port + CONFLUENT_PATH;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(15));
    }
}
