package io.domainlink.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** Runs only where Docker exists; here (no Docker) it must show as Skipped, not as an error. */
class KafkaContainerRoundTripIT extends KafkaContainerTestBase {

    @Test
    void producesAndConsumesThroughTheContainer() throws Exception {
        KafkaCluster kafka = kafka();
        kafka.createTopics(1, 1, "container-roundtrip");
        Records.produce(kafka.producerProperties(), "container-roundtrip", "v", 10);
        assertThat(Records.consume(kafka.consumerProperties("g-container"), "container-roundtrip", 10, Duration.ofSeconds(30))).hasSize(10);
    }
}
