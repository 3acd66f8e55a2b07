package io.domainlink.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.domainlink.common.TopicSpec;
import io.domainlink.common.Topics;
import io.domainlink.testsupport.KafkaCluster;
import io.domainlink.testsupport.KafkaClusterExtension;
import io.domainlink.testsupport.KafkaClusterSpec;
import picocli.CommandLine;

/**
 * The topics command on a real 3-broker KRaft cluster, as an operator would run it against production (replication 3,
 * min.insync.replicas 2): create, idempotent re-run, drift detection, fix, and what it refuses to change. The tests
 * build on each other in order, like a cluster's life.
 */
@ExtendWith(KafkaClusterExtension.class)
@KafkaClusterSpec(brokers = 3, controllers = 1)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TopicsCommandIT {

    static KafkaCluster kafka;

    static final String[] PRODUCTION = {"--replication-factor", "3", "--min-insync-replicas", "2"};

    record Run(int exitCode, String output) {
    }

    private Run topics(String... extra) {
        List<String> args = new ArrayList<>(List.of("--bootstrap-servers", kafka.bootstrapServers(), "--timeout", "30"));
        args.addAll(List.of(PRODUCTION));
        args.addAll(List.of(extra));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = new CommandLine(new TopicsCommand(new PrintStream(bytes, true, StandardCharsets.UTF_8)))
                .execute(args.toArray(String[]::new));
        String out = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(out);
        return new Run(code, out);
    }

    private static String row(String output, String topic) {
        return output.lines().filter(l -> l.startsWith(topic + " ")).findFirst().orElseThrow(() -> new AssertionError("no row for " + topic + " in\n" + output));
    }

    private static Config config(String topic) throws Exception {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return kafka.admin().describeConfigs(List.of(r)).all().get(30, TimeUnit.SECONDS).get(r);
    }

    private static TopicDescription description(String topic) throws Exception {
        return kafka.admin().describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
    }

    private static void setConfig(String topic, String key, String value) throws Exception {
        kafka.admin().incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic),
                List.of(new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
        everyBrokerSees(() -> value.equals(config(topic).get(key).value()));
    }

    /** A change reaches the three brokers' metadata one after another; reads go to any of them. */
    private static void everyBrokerSees(Callable<Boolean> change) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (int i = 0; i < 6; i++) {
                if (!change.call()) {
                    return false;
                }
            }
            return true;
        });
    }

    @Test
    @Order(1)
    void createsEveryDeclaredTopicWithItsPartitionsRetentionCleanupPolicyAndReplication() throws Exception {
        Run run = topics();

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("8 topics: 8 created, 0 ok, 0 fixed, 0 missing, 0 differ -> all as declared");
        for (TopicSpec<?> spec : Topics.all()) {
            TopicDescription d = description(spec.name());
            assertThat(d.partitions()).hasSize(spec.defaultPartitions());
            assertThat(d.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
            Config c = config(spec.name());
            assertThat(c.get(TopicConfig.RETENTION_MS_CONFIG).value()).isEqualTo(Long.toString(spec.retention().toMillis()));
            assertThat(c.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo(spec.cleanupPolicy());
            assertThat(c.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value()).isEqualTo("2");
            assertThat(row(run.output(), spec.name())).contains(" created ");
        }
        assertThat(row(run.output(), Topics.DEAD_LETTER.name())).contains("2592000000").contains("delete");
    }

    @Test
    @Order(2)
    void aSecondRunFindsEverythingAsDeclaredAndChangesNothing() {
        Run run = topics();

        assertThat(run.exitCode()).isZero();
        assertThat(run.output()).contains("8 topics: 0 created, 8 ok, 0 fixed, 0 missing, 0 differ -> all as declared");
    }

    @Test
    @Order(3)
    void driftedConfigsFailVerificationAndAreLeftAloneWithoutFix() throws Exception {
        setConfig(Topics.PROGRESS.name(), TopicConfig.RETENTION_MS_CONFIG, "86400000");
        setConfig(Topics.OUTCOMES.name(), TopicConfig.CLEANUP_POLICY_CONFIG, "compact");

        Run verify = topics("--verify-only");
        Run plain = topics();

        for (Run run : List.of(verify, plain)) {
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.output()).contains("6 ok, 0 fixed, 0 missing, 2 differ -> VERIFICATION FAILED");
            assertThat(row(run.output(), Topics.PROGRESS.name())).contains("drift", "retention.ms 86400000 (want 31536000000)", "--fix");
            assertThat(row(run.output(), Topics.OUTCOMES.name())).contains("drift", "cleanup.policy compact (want delete)");
        }
        assertThat(config(Topics.PROGRESS.name()).get(TopicConfig.RETENTION_MS_CONFIG).value()).isEqualTo("86400000");
        assertThat(config(Topics.OUTCOMES.name()).get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact");
    }

    @Test
    @Order(4)
    void fixSetsDriftedConfigsBackAndTheNextVerificationPasses() throws Exception {
        Run fix = topics("--fix");

        assertThat(fix.exitCode()).isZero();
        assertThat(fix.output()).contains("8 topics: 0 created, 6 ok, 2 fixed, 0 missing, 0 differ -> all as declared");
        assertThat(row(fix.output(), Topics.PROGRESS.name())).contains("fixed", "set retention.ms=31536000000 (was 86400000)");
        everyBrokerSees(() -> "31536000000".equals(config(Topics.PROGRESS.name()).get(TopicConfig.RETENTION_MS_CONFIG).value())
                && "delete".equals(config(Topics.OUTCOMES.name()).get(TopicConfig.CLEANUP_POLICY_CONFIG).value()));
        assertThat(topics("--verify-only").exitCode()).isZero();
    }

    @Test
    @Order(5)
    void partitionCountDriftIsReportedButNeverChangedEvenWithFix() throws Exception {
        kafka.admin().createPartitions(Map.of(Topics.RECHECKS.name(), NewPartitions.increaseTo(8))).all().get(30, TimeUnit.SECONDS);
        everyBrokerSees(() -> description(Topics.RECHECKS.name()).partitions().size() == 8);

        Run fix = topics("--fix");

        assertThat(fix.exitCode()).isEqualTo(1);
        assertThat(row(fix.output(), Topics.RECHECKS.name())).contains("drift", "partitions 8 (want 6)", "operator action");
        assertThat(description(Topics.RECHECKS.name()).partitions()).hasSize(8);
        // --partitions is what the check compares against: with 8 asked for, rechecks is right and the others are short
        Run asked = topics("--verify-only", "--partitions", "8");
        assertThat(row(asked.output(), Topics.RECHECKS.name())).endsWith(" ok");
        assertThat(row(asked.output(), Topics.REQUESTS.name())).contains("partitions 6 (want 8)");
    }

    @Test
    @Order(6)
    void verifyOnlyReportsAMissingTopicWithoutCreatingIt() throws Exception {
        kafka.admin().deleteTopics(List.of(Topics.DEAD_LETTER.name())).all().get(30, TimeUnit.SECONDS);
        everyBrokerSees(() -> !kafka.admin().listTopics().names().get(30, TimeUnit.SECONDS).contains(Topics.DEAD_LETTER.name()));

        Run verify = topics("--verify-only");

        assertThat(verify.exitCode()).isEqualTo(1);
        assertThat(row(verify.output(), Topics.DEAD_LETTER.name())).contains("missing", "not created (--verify-only)");
        assertThat(kafka.admin().listTopics().names().get(30, TimeUnit.SECONDS)).doesNotContain(Topics.DEAD_LETTER.name());
    }

    @Test
    @Order(7)
    void theShadedJarTakesItsClusterFromACommandConfigFileAndCreatesWhatIsMissing(@TempDir Path dir) throws Exception {
        Path commandConfig = dir.resolve("admin.properties");
        Files.writeString(commandConfig, "bootstrap.servers=" + kafka.bootstrapServers() + "\nsecurity.protocol=PLAINTEXT\n");
        Path jar = Path.of("target", "topics.jar");
        assertThat(jar).as("built by mvn package (maven-shade-plugin execution topics-jar)").exists();

        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
                "--command-config", commandConfig.toString(), "--replication-factor", "3", "--min-insync-replicas", "2")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        System.out.print(out);

        assertThat(row(out, Topics.DEAD_LETTER.name())).contains("created");
        assertThat(row(out, Topics.RECHECKS.name())).contains("partitions 8 (want 6)");
        assertThat(p.exitValue()).as(out).isEqualTo(1);
        assertThat(description(Topics.DEAD_LETTER.name()).partitions()).hasSize(Topics.DEAD_LETTER.defaultPartitions());
    }
}
