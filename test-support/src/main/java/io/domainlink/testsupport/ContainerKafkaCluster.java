package io.domainlink.testsupport;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.testcontainers.kafka.KafkaContainer;

/** A {@link KafkaCluster} view of a running Testcontainers {@link KafkaContainer} (one node, id 1). */
public final class ContainerKafkaCluster implements KafkaCluster {

    private final KafkaContainer container;
    private Admin admin;

    public ContainerKafkaCluster(KafkaContainer container) {
        if (!container.isRunning()) {
            throw new IllegalStateException("container not started: " + container.getDockerImageName());
        }
        this.container = container;
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
        }
        return admin;
    }

    @Override
    public Set<Integer> brokerIds() {
        return Set.of(1);
    }

    /** Closes the admin client; the container itself is stopped by Testcontainers. */
    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
    }
}
