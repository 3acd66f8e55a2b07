package io.domainlink.tools;

import static io.domainlink.tools.Events.accepted;
import static io.domainlink.tools.Events.configured;
import static io.domainlink.tools.Events.connected;
import static io.domainlink.tools.Events.context;
import static io.domainlink.tools.Events.failed;
import static io.domainlink.tools.Events.ownerAction;
import static io.domainlink.tools.Events.progress;
import static io.domainlink.tools.Events.requested;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.domainlink.common.DeadLetters;
import io.domainlink.common.Topics;
import io.domainlink.common.serde.SerdeException;
import io.domainlink.events.ConnectionType;
import io.domainlink.events.FailureReason;
import io.domainlink.events.Flow;
import io.domainlink.events.PropagationStatus;
import io.domainlink.events.RequestContext;
import io.domainlink.events.Stage;
import io.domainlink.testsupport.KafkaCluster;
import io.domainlink.testsupport.KafkaClusterExtension;
import io.domainlink.testsupport.SchemaRegistryExtension;
import io.domainlink.testsupport.SchemaRegistryProcess;

/** {@code timeline} on the real broker and registry: one domain's two requests, recorded out of order, printed in order. */
@ExtendWith({KafkaClusterExtension.class, SchemaRegistryExtension.class})
class TimelineIT {

    static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    static final String DOMAIN = "shop.example.com";

    static KafkaCluster kafka;
    static SchemaRegistryProcess registryProcess;
    static PipelineTopics topics;

    @BeforeAll
    static void record() {
        topics = new PipelineTopics(kafka, registryProcess);
        RequestContext r1 = context("r1", DOMAIN, Flow.POINTING, 1);
        RequestContext r2 = context("r2", DOMAIN, Flow.POINTING, 2);
        RequestContext other = context("o1", "other.example.com", Flow.POINTING, 1);
        // topic by topic (as a consumer of several topics may see them), not in time order
        topics.record(Topics.OUTCOMES, DOMAIN, connected(r2, T0.plusSeconds(10), T0.plusSeconds(20), 3), T0.plusSeconds(20));
        topics.record(Topics.OUTCOMES, DOMAIN, failed(r1, FailureReason.WIX_REJECTED, Stage.CONNECTOR, T0.plusSeconds(3)), T0.plusSeconds(3));
        topics.record(Topics.OUTCOMES, "other.example.com", failed(other, FailureReason.WIX_REJECTED, Stage.CONNECTOR, T0.plusSeconds(4)), T0.plusSeconds(4));
        topics.record(Topics.PROGRESS, DOMAIN, progress(r2, PropagationStatus.IN_PROGRESS, PropagationStatus.COMPLETED, 3, T0.plusSeconds(20)), T0.plusSeconds(20));
        topics.record(Topics.PROGRESS, DOMAIN, progress(r2, null, PropagationStatus.IN_PROGRESS, 1, T0.plusSeconds(15)), T0.plusSeconds(15));
        topics.record(Topics.OWNER_ACTIONS, DOMAIN, ownerAction(r2, T0.plusSeconds(13)), T0.plusSeconds(13));
        topics.record(Topics.CONFIGURED, DOMAIN, configured(r2, T0.plusSeconds(10), T0.plusSeconds(13)), T0.plusSeconds(13));
        topics.record(Topics.ACCEPTED, DOMAIN, accepted(r2, T0.plusSeconds(10), T0.plusSeconds(11)), T0.plusSeconds(11));
        topics.record(Topics.ACCEPTED, DOMAIN, accepted(r1, T0, T0.plusSeconds(1)), T0.plusSeconds(1));
        topics.record(Topics.ACCEPTED, "other.example.com", accepted(other, T0, T0.plusSeconds(2)), T0.plusSeconds(2));
        // upstream spelled the domain its own way and keyed by it
        topics.record(Topics.REQUESTS, "Shop.Example.com.", requested("r2", "Shop.Example.com.", ConnectionType.POINTING, T0.plusSeconds(10)), T0.plusSeconds(10));
        topics.record(Topics.REQUESTS, DOMAIN, requested("r1", DOMAIN, ConnectionType.POINTING, T0), T0);
        ProducerRecord<byte[], byte[]> dead = DeadLetters.record("propagation-watcher", Topics.RECHECKS.name(), 0, 7, T0.toEpochMilli(),
                DOMAIN.getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3}, null,
                new SerdeException(SerdeException.Kind.UNKNOWN_MAGIC_BYTE, "first byte is 0x01"));
        topics.raw(dead.topic(), null, dead.key(), dead.value(), dead.headers());
    }

    @AfterAll
    static void close() {
        topics.close();
    }

    @Test
    void printsEveryEventOfBothRequestsInTheOrderTheyHappenedAndNothingOfOtherDomains() {
        PipelineTopics.Run run = topics.cli("timeline", "SHOP.example.com.", "--all-partitions");

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> lines = run.lines();
        assertThat(lines.get(0)).startsWith("TIME").contains("STAGE", "EVENT", "REQUEST", "GEN", "FACTS");
        List<String> events = lines.subList(1, lines.size()).stream().map(l -> l.split("\\s+")[2] + " " + l.split("\\s+")[3]).toList();
        assertThat(events).containsExactly(
                "ConnectionRequested r1", "ConnectionAccepted r1", "DomainFailed r1",
                "ConnectionRequested r2", "ConnectionAccepted r2", "ConnectionConfigured r2", "OwnerActionRequired r2",
                "PropagationProgress r2", "PropagationProgress r2", "DomainConnected r2", "DeadLetter -");
        assertThat(run.out()).doesNotContain("o1").doesNotContain("other.example.com")
                .contains("FAILED WIX_REJECTED at CONNECTOR")
                .contains("IN_PROGRESS -> COMPLETED (check 3)")
                .contains("CONNECTED after 10.0s (3 checks)")
                .contains("dead-lettered from domains.rechecks-0@7 by propagation-watcher: UNKNOWN_MAGIC_BYTE");
        assertThat(lines.get(1)).startsWith("2026-11-26T10:00:00Z").contains("requests");
    }

    @Test
    void readsOnlyTheKeysPartitionByDefaultSoARequestKeyedByAnotherSpellingNeedsAllPartitions() throws Exception {
        PipelineTopics.Run run = topics.cli("timeline", DOMAIN, "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> rows = run.lines().stream().map(l -> {
            try {
                return json.readTree(l);
            } catch (Exception e) {
                throw new IllegalStateException(l, e);
            }
        }).toList();
        List<String> topicsRead = rows.stream().map(r -> r.get("topic").asText()).distinct().toList();
        assertThat(topicsRead).contains(Topics.ACCEPTED.name(), Topics.OUTCOMES.name(), Topics.DEAD_LETTER.name());
        int partition = TopicReader.partitionFor(DOMAIN.getBytes(StandardCharsets.UTF_8), Topics.ACCEPTED.defaultPartitions());
        assertThat(rows).allSatisfy(r -> assertThat(r.get("partition").asInt()).isEqualTo(partition));
        assertThat(rows.get(0).at("/event/event").asText()).isEqualTo("ConnectionRequested");
        assertThat(rows.get(0).at("/event/requestId").asText()).isEqualTo("r1");
        assertThat(rows.stream().filter(r -> r.at("/event/event").asText().equals("DomainConnected")).findFirst().orElseThrow()
                .at("/event/context/correlation/ticket").asText()).isEqualTo("T-r2");
        boolean keyedElsewhere = TopicReader.partitionFor("shop.example.com.".getBytes(StandardCharsets.UTF_8), 6) != partition
                && TopicReader.partitionFor("Shop.Example.com.".getBytes(StandardCharsets.UTF_8), 6) != partition;
        if (keyedElsewhere) {
            assertThat(rows).noneSatisfy(r -> assertThat(r.at("/event/requestId").asText()).isEqualTo("r2"));
        }
    }

    @Test
    void saysSoWhenADomainHasNoEvents() {
        PipelineTopics.Run run = topics.cli("timeline", "never-seen.example.org");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("No events for never-seen.example.org");
    }
}
