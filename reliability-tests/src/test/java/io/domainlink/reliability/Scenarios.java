package io.domainlink.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

import io.domainlink.common.registry.RegistryConfig;
import io.domainlink.common.registry.SchemaRegistryClient;
import io.domainlink.testsupport.KafkaCluster;
import io.domainlink.wix.sandbox.SandboxConfig;
import io.domainlink.wix.sandbox.Scenario;
import io.domainlink.wix.sandbox.WixSandbox;

/**
 * What every scenario class starts once: the Wix sandbox, the {@link Pipeline} (topics, service settings), an
 * {@link Upstream} publisher and the {@link Verifier}, on the class's Kafka cluster and the registry it is given.
 * Closed in reverse order.
 */
final class Scenarios implements AutoCloseable {

    /** Recovery window of the fast scenarios once their faults stopped. */
    static final Duration RECOVERY = Duration.ofSeconds(90);

    final KafkaCluster kafka;
    final WixSandbox sandbox;
    final SchemaRegistryClient registry;
    final Pipeline pipeline;
    final Upstream upstream;
    final Verifier verifier;
    final Path dir;

    private Scenarios(KafkaCluster kafka, String registryUrl, WixSandbox sandbox, String wixBaseUrl, Path dir, int replicationFactor) {
        this.kafka = kafka;
        this.sandbox = sandbox;
        this.dir = dir;
        this.registry = new SchemaRegistryClient(RegistryConfig.of(registryUrl));
        this.pipeline = new Pipeline(kafka, registryUrl, wixBaseUrl, dir, replicationFactor);
        this.upstream = new Upstream(kafka, registry);
        this.verifier = new Verifier(kafka, registry, sandbox);
    }

    /**
     * The sandbox every scenario starts from: every site premium (unless a request carries a plan, nothing is bought),
     * the owner "sets the records" 200 ms after a POINTING/SUBDOMAIN create, propagation completes 300 ms after the
     * records are in place; no faults, no enforced rate limit.
     */
    static Scenario sandboxScenario() {
        return new Scenario().allSitesPremium(true).propagationDelayMs(300).autoOwnerRecordsAfterMs(200L);
    }

    static Scenarios start(KafkaCluster kafka, String registryUrl, Path dir, Consumer<Scenario> sandboxChanges) {
        return start(kafka, registryUrl, dir, 1, sandboxChanges);
    }

    static Scenarios start(KafkaCluster kafka, String registryUrl, Path dir, int replicationFactor, Consumer<Scenario> sandboxChanges) {
        Scenario s = sandboxScenario();
        sandboxChanges.accept(s);
        WixSandbox sandbox = WixSandbox.start(SandboxConfig.defaults().withScenario(s));
        try {
            Files.createDirectories(dir);
            return new Scenarios(kafka, registryUrl, sandbox, sandbox.baseUrl(), dir, replicationFactor);
        } catch (Exception | Error e) {
            sandbox.close();
            throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        pipeline.close();
        verifier.close();
        upstream.close();
        registry.close();
        sandbox.close();
    }
}
