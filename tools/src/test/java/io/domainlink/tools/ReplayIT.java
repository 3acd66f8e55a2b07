package io.domainlink.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.domainlink.common.Topics;
import io.domainlink.events.ConnectionType;
import io.domainlink.events.FailureReason;
import io.domainlink.events.Flow;
import io.domainlink.events.Stage;
import io.domainlink.testsupport.KafkaCluster;
import io.domainlink.testsupport.KafkaClusterExtension;
import io.domainlink.testsupport.SchemaRegistryExtension;
import io.domainlink.testsupport.SchemaRegistryProcess;

/** {@code replay} on the real broker: plan, reset to a time, and refusal while the group has members. */
@ExtendWith({KafkaClusterExtension.class, SchemaRegistryExtension.class})
class ReplayIT {

    static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
    static final String GROUP = "ingestor-replay-it";

    static KafkaCluster kafka;
    static SchemaRegistryProcess registryProcess;
    static PipelineTopics topics;

    /** 20 requests, one a minute, each with an outcome a second later; the group has processed all of them. */
    @BeforeAll
    static void record() throws Exception {
        topics = new PipelineTopics(kafka, registryProcess);
        for (int i = 0; i < 20; i++) {
            String domain = "r" + i + ".example.com";
            Instant t = T0.plusSeconds(60L * i);
            topics.record(Topics.REQUESTS, domain, Events.requested("r" + i, domain, ConnectionType.POINTING, t), t);
            topics.record(Topics.OUTCOMES, domain, Events.failed(Events.context("r" + i, domain, Flow.POINTING, 1),
                    FailureReason.WIX_REJECTED, Stage.CONNECTOR, t.plusSeconds(1)), t.plusSeconds(1));
        }
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        for (var t : List.of(Topics.REQUESTS, Topics.OUTCOMES)) {
            for (int p = 0; p < t.defaultPartitions(); p++) {
                TopicPartition tp = new TopicPartition(t.name(), p);
                long end = kafka.admin().listOffsets(Map.of(tp, org.apache.kafka.clients.admin.OffsetSpec.latest())).partitionResult(tp).get().offset();
                done.put(tp, new OffsetAndMetadata(end));
            }
        }
        kafka.admin().alterConsumerGroupOffsets(GROUP, done).all().get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void close() {
        topics.close();
    }

    @Test
    void planThenResetToATimeSoExactlyTheRecordsFromThenAreReadAgain() throws Exception {
        Instant cutoff = T0.plusSeconds(60L * 15);   // requests 15..19 and their outcomes
        Map<TopicPartition, OffsetAndMetadata> before = committed();

        PipelineTopics.Run plan = topics.cli("replay", "request-ingestor", "--group", GROUP, "--to", cutoff.toString());
        assertThat(plan.exitCode()).as(plan.err()).isZero();
        assertThat(plan.out()).contains("Plan (dry run, --execute to apply) for group " + GROUP)
                .contains("[domains.requests, domains.outcomes]")
                .contains("Nothing changed (dry run): 10 records would be read again.")
                .contains("dedup.retention.ms");
        assertThat(committed()).isEqualTo(before);

        PipelineTopics.Run run = topics.cli("replay", "request-ingestor", "--group", GROUP, "--to", cutoff.toString(), "--execute");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Reset done: 10 records will be read again when request-ingestor starts.");
        Map<TopicPartition, OffsetAndMetadata> after = committed();
        long again = 0;
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : after.entrySet()) {
            again += before.get(e.getKey()).offset() - e.getValue().offset();
            assertThat(run.out()).containsPattern(e.getKey().topic() + "\\s+" + e.getKey().partition() + "\\s+"
                    + before.get(e.getKey()).offset() + "\\s+" + e.getValue().offset());
        }
        assertThat(again).isEqualTo(10);
        // what a consumer of the group now reads first: exactly the records from the cut-off on
        Map<String, Object> props = kafka.byteConsumerProperties(GROUP);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props)) {
            c.subscribe(List.of(Topics.REQUESTS.name(), Topics.OUTCOMES.name()));
            List<Long> timestamps = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (timestamps.size() < 10 && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(r -> timestamps.add(r.timestamp()));
            }
            assertThat(timestamps).hasSize(10).allSatisfy(ts -> assertThat(ts).isGreaterThanOrEqualTo(cutoff.toEpochMilli()));
        }
    }

    @Test
    void refusesWhileTheGroupHasMembers() throws Exception {
        String active = "ingestor-replay-it-active";
        Map<String, Object> props = kafka.byteConsumerProperties(active);
        try (KafkaConsumer<byte[], byte[]> member = new KafkaConsumer<>(props)) {
            member.subscribe(List.of(Topics.REQUESTS.name()));
            await().atMost(30, TimeUnit.SECONDS).until(() -> {
                member.poll(Duration.ofMillis(100));
                return !member.assignment().isEmpty();
            });
            member.commitSync();
            Map<TopicPartition, OffsetAndMetadata> before = kafka.admin().listConsumerGroupOffsets(active).partitionsToOffsetAndMetadata().get();

            PipelineTopics.Run run = topics.cli("replay", "request-ingestor", "--group", active, "--to", T0.toString(), "--execute");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("refused: consumer group " + active + " is active").contains("1 member(s)")
                    .contains("stop every instance of request-ingestor first");
            assertThat(kafka.admin().listConsumerGroupOffsets(active).partitionsToOffsetAndMetadata().get()).isEqualTo(before);
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed() throws Exception {
        return kafka.admin().listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
    }
}
