package io.domainlink.testsupport;

import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Base class for Testcontainers ITs against a real {@code apache/kafka:4.1.0} container (infra recipe 3).
 * {@code disabledWithoutDocker = true}: without a Docker daemon (this machine, CI) every subclass is reported as
 * <em>skipped</em>, never as an error. Never rely on these tests for coverage; use {@link KafkaClusterExtension}.
 *
 * <pre>{@code
 * class RoundTripContainerIT extends KafkaContainerTestBase {
 *     @Test void roundTrip() { KafkaCluster kafka = kafka(); kafka.createTopics(1, 1, "t"); ... }
 * }
 * }</pre>
 */
@Testcontainers(disabledWithoutDocker = true)
public abstract class KafkaContainerTestBase {

    public static final DockerImageName IMAGE = DockerImageName.parse("apache/kafka:4.1.0");

    /** Started before and stopped after each subclass by the Testcontainers extension. */
    @Container
    protected static final KafkaContainer KAFKA = new KafkaContainer(IMAGE);

    private static ContainerKafkaCluster cluster;

    /** The container as a {@link KafkaCluster} (client helpers only; no fault operations). */
    protected static synchronized KafkaCluster kafka() {
        if (cluster == null || !cluster.bootstrapServers().equals(KAFKA.getBootstrapServers())) {
            if (cluster != null) {
                cluster.close();
            }
            cluster = new ContainerKafkaCluster(KAFKA);
        }
        return cluster;
    }
}
