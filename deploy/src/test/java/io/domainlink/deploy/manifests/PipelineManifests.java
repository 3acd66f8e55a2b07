package io.domainlink.deploy.manifests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.domainlink.common.TopicSpec;
import io.domainlink.common.Topics;
import io.domainlink.common.config.ServiceConfig;
import io.domainlink.connector.ConnectorConfig;
import io.domainlink.deploy.TopicsCommand;
import io.domainlink.ingestor.IngestorConfig;
import io.domainlink.watcher.WatcherConfig;
import picocli.CommandLine;

/** The real catalog: the three services' own configuration definitions and loading, the declared topics, the files. */
final class PipelineManifests {

    static final Path COMPOSE = Path.of("compose.yaml");
    static final Path K8S = Path.of("k8s");

    static final ManifestChecker.Service INGESTOR = new ManifestChecker.Service("request-ingestor", IngestorConfig.definition(), IngestorConfig::load);
    static final ManifestChecker.Service CONNECTOR = new ManifestChecker.Service("domain-connector", ConnectorConfig.definition(), ConnectorConfig::load);
    static final ManifestChecker.Service WATCHER = new ManifestChecker.Service("propagation-watcher", WatcherConfig.definition(),
            env -> ServiceConfig.load(WatcherConfig.definition(), env));

    /** The compose file's one-shot topics service: its command must parse as the topics command's options. */
    static final Consumer<List<String>> TOPICS_COMMAND = args -> new CommandLine(new TopicsCommand()).parseArgs(args.toArray(String[]::new));

    private PipelineManifests() {
    }

    static List<String> topicNames() {
        return Topics.all().stream().map(TopicSpec::name).toList();
    }

    static ManifestChecker checker() {
        return new ManifestChecker(List.of(INGESTOR, CONNECTOR, WATCHER), topicNames(), Map.of("topics", TOPICS_COMMAND));
    }

    static List<Path> kubernetesFiles() throws IOException {
        try (Stream<Path> files = Files.list(K8S)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }
}
