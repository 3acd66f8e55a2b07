package io.domainlink.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.domainlink.common.Topics;
import io.domainlink.events.AssignmentType;
import io.domainlink.events.ConnectionRequested;
import io.domainlink.events.ConnectionType;
import io.domainlink.events.CycleType;
import io.domainlink.events.RecheckRequested;
import io.domainlink.testsupport.KafkaCluster;
import io.domainlink.testsupport.KafkaClusterExtension;
import io.domainlink.testsupport.SchemaRegistryExtension;
import io.domainlink.testsupport.SchemaRegistryProcess;

/** {@code submit} on the real broker and registry: requests from flags and from a file, a recheck; read back decoded. */
@ExtendWith({KafkaClusterExtension.class, SchemaRegistryExtension.class})
class SubmitIT {

    static KafkaCluster kafka;
    static SchemaRegistryProcess registryProcess;
    static PipelineTopics topics;

    @TempDir
    Path dir;

    @BeforeAll
    static void create() {
        topics = new PipelineTopics(kafka, registryProcess);
    }

    @AfterAll
    static void close() {
        topics.close();
    }

    @Test
    void publishesARequestFromFlagsKeyedByTheNormalizedDomain() {
        PipelineTopics.Run run = topics.cli("submit", "--domain", "Flags.Example.COM.", "--connection-type", "nameservers",
                "--account-id", Events.ACCOUNT, "--site-id", Events.SITE, "--request-id", "flag-1", "--assignment", "REDIRECT",
                "--plan-product", "00ba7923-2655-402a-852d-2b2100568bcf", "--plan-cycle", "ONE_TIME", "--correlation", "ticket=T-9",
                "--correlation", "team=ops");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("submitted requestId=flag-1 domain=Flags.Example.COM. to domains.requests-");
        ConsumerRecord<byte[], byte[]> r = only(Topics.REQUESTS.name(), "flag-1");
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("flags.example.com");
        ConnectionRequested request = (ConnectionRequested) Topics.REQUESTS.valueDeserializer(topics.registry).deserialize(r.topic(), r.value());
        assertThat(request.getDomain()).isEqualTo("Flags.Example.COM.");
        assertThat(request.getConnectionType()).isEqualTo(ConnectionType.NAMESERVERS);
        assertThat(request.getAssignment()).isEqualTo(AssignmentType.REDIRECT);
        assertThat(request.getPremiumPlan().getBillingCycle().getType()).isEqualTo(CycleType.ONE_TIME);
        assertThat(request.getCorrelation()).containsEntry("ticket", "T-9").containsEntry("team", "ops");
    }

    @Test
    void publishesEveryRequestOfAFileAndRefusesAFileWithMistakesWithoutPublishing() throws Exception {
        Path file = dir.resolve("requests.json");
        Files.writeString(file, """
                [{"requestId": "file-1", "domain": "a.example.com", "connectionType": "POINTING", "accountId": "%s", "siteId": "%s"},
                 {"requestId": "file-2", "domain": "shop.a.example.com", "accountId": "%s", "siteId": "%s"}]"""
                .formatted(Events.ACCOUNT, Events.SITE, Events.ACCOUNT, Events.SITE));
        PipelineTopics.Run run = topics.cli("submit", "--file", file.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.lines()).hasSize(2);
        only(Topics.REQUESTS.name(), "file-1");
        only(Topics.REQUESTS.name(), "file-2");

        Files.writeString(file, "{\"requestId\": \"file-3\", \"domian\": \"b.example.com\"}");
        PipelineTopics.Run bad = topics.cli("submit", "--file", file.toString());
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).contains("unknown field 'domian'").contains("accountId is required");
        assertThat(topics.read(Topics.REQUESTS.name())).noneSatisfy(r -> assertThat(new String(r.value(), StandardCharsets.ISO_8859_1)).contains("file-3"));
    }

    @Test
    void publishesARecheckForTheNormalizedDomain() {
        PipelineTopics.Run run = topics.cli("submit", "--recheck", "--domain", "Owner-Fixed.example.com", "--request-id", "req-7");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("submitted recheck domain=owner-fixed.example.com requestId=req-7 to domains.rechecks-");
        List<ConsumerRecord<byte[], byte[]>> rechecks = topics.read(Topics.RECHECKS.name());
        assertThat(rechecks).hasSize(1);
        RecheckRequested recheck = Topics.RECHECKS.valueDeserializer(topics.registry).deserialize(Topics.RECHECKS.name(), rechecks.get(0).value());
        assertThat(recheck.getDomain()).isEqualTo("owner-fixed.example.com");
        assertThat(recheck.getRequestId()).isEqualTo("req-7");
        assertThat(new String(rechecks.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("owner-fixed.example.com");
    }

    private static ConsumerRecord<byte[], byte[]> only(String topic, String requestId) {
        var decoder = Topics.REQUESTS.valueDeserializer(topics.registry);
        List<ConsumerRecord<byte[], byte[]>> found = topics.read(topic).stream()
                .filter(r -> decoder.deserialize(topic, r.value()).getRequestId().equals(requestId)).toList();
        assertThat(found).hasSize(1);
        return found.get(0);
    }
}
