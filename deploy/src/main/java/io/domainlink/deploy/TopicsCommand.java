package io.domainlink.deploy;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.domainlink.deploy.topics.DesiredTopic;
import io.domainlink.deploy.topics.TopicProvisioner;
import io.domainlink.deploy.topics.TopicProvisioner.Mode;
import io.domainlink.deploy.topics.TopicProvisioner.Result;
import io.domainlink.deploy.topics.TopicProvisioner.Status;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code topics}: creates or verifies every topic of {@code Topics.all()} on any cluster, idempotently, and prints one
 * table row per topic. Exit code 0 when every topic is as declared (after creating / fixing), 1 when a topic is
 * missing (verify-only) or differs, 2 when the cluster could not be asked (or the options are wrong).
 *
 * <p>Runs as {@code deploy/local-stack.sh topics ...}, as {@code java -jar deploy/target/topics.jar ...} (the compose
 * file's one-shot {@code topics} service) and as {@code java -cp ... io.domainlink.deploy.TopicsCommand ...}.
 */
@Command(name = "topics", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Creates missing pipeline topics and verifies existing ones (partitions, replication, retention.ms, "
                + "cleanup.policy, min.insync.replicas) against the single declaration in pipeline-common's Topics.",
                "Exit code: 0 all topics as declared, 1 a topic is missing or differs, 2 the cluster could not be asked or the options are wrong."})
public final class TopicsCommand implements Callable<Integer> {

    static final int EXIT_OK = 0;
    static final int EXIT_DIFFERS = 1;
    static final int EXIT_ERROR = 2;

    private static final Logger LOG = LoggerFactory.getLogger(TopicsCommand.class);

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]", defaultValue = "${env:BOOTSTRAP_SERVERS}",
            description = "Kafka bootstrap servers (default: $BOOTSTRAP_SERVERS, else bootstrap.servers of --command-config)")
    String bootstrapServers;

    @Option(names = "--command-config", paramLabel = "FILE",
            description = "Admin client properties (security.protocol, sasl.*, ssl.*, ...), like Kafka's own tools take")
    Path commandConfig;

    @Option(names = "--partitions", paramLabel = "N",
            description = "partitions of every topic instead of each topic's declared count (one count for all keeps "
                    + "request-ingestor's inputs co-partitioned; set INGESTOR_PARTITIONS to the same number)")
    Integer partitions;

    @Option(names = "--replication-factor", paramLabel = "N", defaultValue = "-1",
            description = "replication factor of created topics, and verified on existing ones; -1: broker default, not verified "
                    + "(default: ${DEFAULT-VALUE}; production: 3)")
    short replicationFactor;

    @Option(names = "--min-insync-replicas", paramLabel = "N",
            description = "min.insync.replicas of every topic, verified like the other configs (default: broker default, not verified; production: 2)")
    Integer minInsyncReplicas;

    static final class Action {
        @Option(names = "--verify-only", description = "create nothing, change nothing: only report (exit 1 if a topic is missing or differs)")
        boolean verifyOnly;

        @Option(names = "--fix", description = "also set drifted configs back to the declared values (partition counts and "
                + "replication are never changed: see deploy/README.md)")
        boolean fix;
    }

    @ArgGroup(exclusive = true)
    Action action = new Action();

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "how long each cluster request may take (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    private final PrintStream out;

    public TopicsCommand() {
        this(System.out);
    }

    TopicsCommand(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new TopicsCommand()).execute(args));
    }

    @Override
    public Integer call() {
        Map<String, Object> adminConfig;
        try {
            adminConfig = adminConfig();
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("topics: " + e.getMessage());
            return EXIT_ERROR;
        }
        Mode mode = action.verifyOnly ? Mode.VERIFY_ONLY : action.fix ? Mode.FIX : Mode.CREATE_AND_VERIFY;
        List<DesiredTopic> desired = DesiredTopic.fromTopics(partitions, replicationFactor, minInsyncReplicas);
        List<Result> results;
        try (Admin admin = Admin.create(adminConfig)) {
            results = new TopicProvisioner(admin, Duration.ofSeconds(timeoutSeconds)).run(desired, mode);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.err.println("topics: interrupted");
            return EXIT_ERROR;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            LOG.debug("topics failed bootstrap.servers={}", adminConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG), cause);
            System.err.println("topics: the cluster at " + adminConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)
                    + " could not be asked: " + cause);
            return EXIT_ERROR;
        }
        out.print(table(results, mode));
        out.flush();
        return results.stream().anyMatch(r -> r.status().failure()) ? EXIT_DIFFERS : EXIT_OK;
    }

    Map<String, Object> adminConfig() throws IOException {
        Map<String, Object> config = new HashMap<>();
        if (commandConfig != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(commandConfig)) {
                p.load(r);
            }
            p.stringPropertyNames().forEach(k -> config.put(k, p.getProperty(k)));
        }
        if (bootstrapServers != null && !bootstrapServers.isBlank()) {
            config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        }
        if (!config.containsKey(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new IllegalArgumentException("no bootstrap servers: give --bootstrap-servers, set BOOTSTRAP_SERVERS, "
                    + "or put bootstrap.servers into --command-config");
        }
        config.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "domainlink-topics");
        config.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutSeconds * 1000);
        config.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutSeconds * 1000, 30_000));
        return config;
    }

    /** One row per topic (what the cluster holds now), then a summary line. */
    static String table(List<Result> results, Mode mode) {
        StringBuilder sb = new StringBuilder();
        String format = "%-24s %10s %3s %13s %-14s %-8s %s%n";
        sb.append(String.format(Locale.ROOT, format, "TOPIC", "PARTITIONS", "RF", "RETENTION.MS", "CLEANUP.POLICY", "STATUS", "DETAIL").stripTrailing()).append('\n');
        for (Result r : results) {
            String partitions = r.state().map(s -> Integer.toString(s.partitions())).orElse("-");
            String rf = r.state().map(s -> Integer.toString(s.replicationFactor())).orElse("-");
            String retention = r.state().map(s -> s.configs().getOrDefault(TopicConfig.RETENTION_MS_CONFIG, "?")).orElse("-");
            String cleanup = r.state().map(s -> s.configs().getOrDefault(TopicConfig.CLEANUP_POLICY_CONFIG, "?")).orElse("-");
            sb.append(String.format(Locale.ROOT, format, r.desired().name(), partitions, rf, retention, cleanup,
                    r.status().name().toLowerCase(Locale.ROOT), detail(r, mode)).stripTrailing()).append('\n');
        }
        Map<Status, Long> counts = results.stream().collect(Collectors.groupingBy(Result::status, Collectors.counting()));
        long failed = results.stream().filter(r -> r.status().failure()).count();
        sb.append(String.format(Locale.ROOT, "%d topics: %d created, %d ok, %d fixed, %d missing, %d differ -> %s%n", results.size(),
                counts.getOrDefault(Status.CREATED, 0L), counts.getOrDefault(Status.OK, 0L), counts.getOrDefault(Status.FIXED, 0L),
                counts.getOrDefault(Status.MISSING, 0L), counts.getOrDefault(Status.DRIFT, 0L),
                failed == 0 ? "all as declared" : "VERIFICATION FAILED"));
        return sb.toString();
    }

    private static String detail(Result r, Mode mode) {
        return switch (r.status()) {
            case CREATED -> "partitions " + r.desired().partitions() + ", " + configs(r.desired());
            case OK -> "";
            case FIXED -> "set " + r.differences().stream().map(d -> d.what() + "=" + d.wanted() + " (was " + d.actual() + ")")
                    .collect(Collectors.joining(", "));
            case MISSING -> "not created (--verify-only)";
            case DRIFT -> r.differences().stream().map(Object::toString).collect(Collectors.joining("; "))
                    + (r.differences().stream().anyMatch(d -> d.fixable()) && mode != Mode.FIX ? "; --fix sets the configs" : "")
                    + (r.differences().stream().anyMatch(d -> !d.fixable()) ? "; partitions/replication: operator action, see deploy/README.md" : "");
        };
    }

    private static String configs(DesiredTopic d) {
        return d.sortedConfigs().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }
}
