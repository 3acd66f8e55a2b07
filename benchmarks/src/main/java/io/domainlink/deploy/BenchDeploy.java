package io.domainlink.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The benchmarks' door into the local stack's wiring (package-private in {@code deploy}): the same broker child
 * process, registry child process, topic creation and service start-up that {@code deploy/local-stack.sh} uses, so
 * the benchmark measures the pipeline as the run command starts it. Lives in the benchmarks module, in deploy's
 * package, so deploy keeps its classes package-private.
 */
public final class BenchDeploy {

    private BenchDeploy() {
    }

    /** A started child process (broker or registry) with its address and pid. */
    public record Child(String address, long pid, AutoCloseable handle) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            handle.close();
        }
    }

    /** Formats {@code <dataDir>/kafka} when new and starts the KRaft broker child; ready when it answers. */
    public static Child startBroker(Path dataDir, int port, int controllerPort, String classpath, String heap) {
        KafkaBroker broker = KafkaBroker.start(dataDir, port, controllerPort, classpath, heap);
        return new Child(broker.bootstrapServers(), broker.pid(), broker);
    }

    /** Starts the Apicurio registry child (H2 in {@code <dataDir>/registry}); address = its Confluent API URL. */
    public static Child startRegistry(Path dataDir, int port) {
        RegistryServer registry = RegistryServer.start(dataDir, port, RegistryServer.locateJar(LocalStack.version()));
        return new Child(registry.confluentUrl(), registry.pid(), registry);
    }

    /** Creates every topic of {@code Topics.all()} that is missing; returns how many were created. */
    public static int createTopics(String bootstrapServers) {
        return Stack.createTopics(bootstrapServers);
    }

    /**
     * Starts request-ingestor, domain-connector and propagation-watcher in this JVM, in order, each waited for until
     * it runs, with {@code common} for all (environment-variable names) and {@code watcherOverrides} on top for the
     * watcher. Returns them in start order; close them in reverse.
     */
    public static List<AutoCloseable> startServices(Map<String, String> common, Path stateDir, String wixBaseUrl,
                                                    String wixApiKey, Map<String, String> watcherOverrides) {
        List<AutoCloseable> started = new ArrayList<>();
        try {
            PipelineServices.startAll(new PipelineServices.Wiring(common, stateDir, wixBaseUrl, wixApiKey, watcherOverrides),
                    new PipelineServices.Listener() {
                        @Override
                        public void started(String name, AutoCloseable service) {
                            started.add(service);
                        }

                        @Override
                        public void ready(String name, long startNanos) {
                        }
                    });
            return started;
        } catch (RuntimeException e) {
            for (int i = started.size() - 1; i >= 0; i--) {
                try {
                    started.get(i).close();
                } catch (Exception ignored) {
                    // best effort while failing
                }
            }
            throw e;
        }
    }
}
