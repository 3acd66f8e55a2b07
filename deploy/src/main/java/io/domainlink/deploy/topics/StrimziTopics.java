package io.domainlink.deploy.topics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Generates {@code deploy/k8s/kafka-topics.yaml}: one Strimzi {@code KafkaTopic} per topic of {@code Topics.all()}
 * with the declared partitions and configs, production replication (3) and {@code min.insync.replicas=2}. The file is
 * committed; {@code KafkaTopicsManifestTest} fails when it differs from what this produces, so a topic added, renamed or
 * re-configured in code cannot be forgotten here. Regenerate (from the repository root, after a build):
 *
 * <pre>java -cp "deploy/target/classes:$(cat deploy/target/local-stack.classpath)" io.domainlink.deploy.topics.StrimziTopics</pre>
 */
public final class StrimziTopics {

    public static final Path DEFAULT_FILE = Path.of("deploy", "k8s", "kafka-topics.yaml");
    /** The {@code strimzi.io/cluster} label: the name of the Strimzi {@code Kafka} resource the topics belong to. */
    public static final String CLUSTER = "domainlink";
    public static final String API_VERSION = "kafka.strimzi.io/v1beta2";

    static final String HEADER = """
            # GENERATED from pipeline-common's Topics.all() by io.domainlink.deploy.topics.StrimziTopics: do not edit by hand.
            # Regenerate from the repository root (after mvn -B -pl deploy -am package -DskipTests):
            #   java -cp "deploy/target/classes:$(cat deploy/target/local-stack.classpath)" io.domainlink.deploy.topics.StrimziTopics
            # KafkaTopicsManifestTest fails while this file differs from what that command writes.
            # The strimzi.io/cluster label names the Strimzi Kafka resource (change it with: kubectl label --overwrite, or kustomize).
            """;

    private StrimziTopics() {
    }

    /** The whole file. */
    public static String render() {
        List<DesiredTopic> topics = DesiredTopic.fromTopics(null, DesiredTopic.PRODUCTION_REPLICAS,
                DesiredTopic.PRODUCTION_MIN_INSYNC_REPLICAS);
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setExplicitStart(true);
        options.setLineBreak(DumperOptions.LineBreak.UNIX);
        return HEADER + new Yaml(options).dumpAll(topics.stream().map(StrimziTopics::resource).iterator());
    }

    static Map<String, Object> resource(DesiredTopic t) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", t.name());
        metadata.put("labels", Map.of("strimzi.io/cluster", CLUSTER));
        Map<String, Object> config = new LinkedHashMap<>();
        t.sortedConfigs().forEach((k, v) -> config.put(k, number(v)));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("topicName", t.name());
        spec.put("partitions", t.partitions());
        spec.put("replicas", (int) t.replicationFactor());
        spec.put("config", config);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("apiVersion", API_VERSION);
        r.put("kind", "KafkaTopic");
        r.put("metadata", metadata);
        r.put("spec", spec);
        return r;
    }

    private static Object number(String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return v;
        }
    }

    /** Writes the file: {@code args[0]} or {@link #DEFAULT_FILE} (relative to the working directory: run it from the repository root). */
    public static void main(String[] args) throws IOException {
        Path file = args.length > 0 ? Path.of(args[0]) : DEFAULT_FILE;
        Files.writeString(file, render(), StandardCharsets.UTF_8);
        System.out.println("wrote " + file.toAbsolutePath());
    }
}
