package io.domainlink.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/** rf=3, min.insync.replicas=2: acks=all writes survive one broker down, stop as well as kill, and recover. */
@ExtendWith(KafkaClusterExtension.class)
@KafkaClusterSpec(brokers = 3, controllers = 1, config = {"min.insync.replicas=2"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThreeBrokerFaultIT {

    static EmbeddedKafkaCluster kafka;

    @Test
    @Order(1)
    void hasThreeBrokersAndASeparateController() {
        assertThat(kafka.brokerIds()).containsExactly(0, 1, 2);
        assertThat(kafka.controllerIds()).hasSize(1).doesNotContainAnyElementsOf(kafka.brokerIds());
        assertThat(kafka.spec().brokerConfig())
                .containsEntry("min.insync.replicas", "2")
                .containsEntry("offsets.topic.replication.factor", "3")
                .containsEntry("transaction.state.log.min.isr", "2");
    }

    @Test
    @Order(2)
    void acksAllWritesContinueWithOneBrokerStoppedAndRecoverAfterRestart() throws Exception {
        String topic = "fault-stop";
        kafka.createTopics(3, 3, topic);
        Records.produce(kafka.producerProperties(), topic, "before-", 50);

        int victim = leaderOfPartition0(topic);
        kafka.stopBroker(victim);
        assertThat(kafka.isBrokerRunning(victim)).isFalse();
        assertThat(kafka.runningBrokerIds()).hasSize(2);
        Records.produce(kafka.producerProperties(), topic, "during-", 50);

        kafka.startBroker(victim);
        kafka.awaitInSync(Duration.ofSeconds(60), topic);
        assertThat(kafka.isBrokerRunning(victim)).isTrue();
        Records.produce(kafka.producerProperties(), topic, "after-", 50);

        assertThat(Records.consume(kafka.consumerProperties("g-stop"), topic, 150, Duration.ofSeconds(60)))
                .containsExactlyInAnyOrderElementsOf(expected(50, "before-", "during-", "after-"));
    }

    @Test
    @Order(3)
    void acksAllWritesContinueWithOneBrokerKilledAndRecoverAfterRestart() throws Exception {
        String topic = "fault-kill";
        kafka.createTopics(3, 3, topic);
        Records.produce(kafka.producerProperties(), topic, "before-", 50);

        int victim = leaderOfPartition0(topic);
        long t0 = System.nanoTime();
        kafka.killBroker(victim);
        Records.produce(kafka.producerProperties(), topic, "during-", 50);
        System.out.println("[test-support] 50 acks=all writes after a kill took " + Duration.ofNanos(System.nanoTime() - t0).toMillis() + " ms");

        kafka.startBroker(victim);
        kafka.awaitInSync(Duration.ofSeconds(60), topic);
        Records.produce(kafka.producerProperties(), topic, "after-", 50);

        assertThat(Records.consume(kafka.consumerProperties("g-kill"), topic, 150, Duration.ofSeconds(60)))
                .containsExactlyInAnyOrderElementsOf(expected(50, "before-", "during-", "after-"));
    }

    @Test
    @Order(4)
    void refusesAcksAllWritesBelowMinInsyncReplicasAndRecovers() throws Exception {
        String topic = "fault-min-isr";
        kafka.createTopics(1, 3, topic);
        kafka.stopBroker(1);
        kafka.stopBroker(2);

        Map<String, Object> impatient = new HashMap<>(kafka.producerProperties());
        impatient.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 4000);
        impatient.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        impatient.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        impatient.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 4000);
        assertThatThrownBy(() -> Records.produce(impatient, topic, "lonely-", 1)).isNotNull();

        kafka.startBroker(1);
        kafka.startBroker(2);
        kafka.awaitInSync(Duration.ofSeconds(60), topic);
        Records.produce(kafka.producerProperties(), topic, "ok-", 10);
        assertThat(Records.consume(kafka.consumerProperties("g-min-isr"), topic, 10, Duration.ofSeconds(30))).hasSize(10);
    }

    private static int leaderOfPartition0(String topic) throws Exception {
        return kafka.admin().describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().get(0).leader().id();
    }

    private static List<String> expected(int each, String... prefixes) {
        return java.util.Arrays.stream(prefixes).flatMap(p -> IntStream.range(0, each).mapToObj(i -> p + i)).toList();
    }
}
