package io.domainlink.deploy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

import io.domainlink.common.config.ServiceConfig;
import io.domainlink.connector.ConnectorConfig;

/**
 * The checker behind {@link ManifestsTest} fails where a user would be hurt: a topic or variable renamed in code but
 * not in the manifests, a misspelled variable, a missing required one, a bad value, a key outside its secret.
 * Most cases run the checker on the committed files with the code (or the file) changed the way a careless edit would.
 */
class ManifestCheckerTest {

    private static String read(Path p) throws Exception {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    private static Map<String, String> kubernetes() throws Exception {
        Map<String, String> sources = new LinkedHashMap<>();
        for (Path f : PipelineManifests.kubernetesFiles()) {
            sources.put(f.toString(), read(f));
        }
        return sources;
    }

    @Test
    void aTopicRenamedInCodeButNotInTheManifestsFailsTheCheck() throws Exception {
        List<String> renamed = PipelineManifests.topicNames().stream()
                .map(t -> t.equals("domains.requests") ? "domains.connection-requests" : t).toList();
        ManifestChecker checker = new ManifestChecker(List.of(PipelineManifests.INGESTOR, PipelineManifests.CONNECTOR,
                PipelineManifests.WATCHER), renamed, Map.of());

        List<String> problems = checker.checkKubernetes(kubernetes()).problems();

        assertThat(problems).anyMatch(p -> p.contains("topic domains.requests is not declared in Topics"))
                .anyMatch(p -> p.contains("topic domains.connection-requests has 0 KafkaTopic resources"));
    }

    @Test
    void aVariableRenamedInCodeButNotInTheManifestsFailsBothComposeAndKubernetes() throws Exception {
        // the connector's wix.base.url renamed to wix.api.url in code; the committed manifests still say WIX_BASE_URL
        ConfigDef renamed = new ConfigDef();
        ConnectorConfig.definition().configKeys().values().forEach(k -> renamed.define(
                k.name.equals(ConnectorConfig.WIX_BASE_URL) ? "wix.api.url" : k.name, k.type, k.defaultValue, k.validator, k.importance, k.documentation));
        ManifestChecker.Service connector = new ManifestChecker.Service("domain-connector", renamed, env -> ServiceConfig.load(renamed, env));
        ManifestChecker checker = new ManifestChecker(List.of(connector), PipelineManifests.topicNames(), Map.of());

        assertThat(checker.checkCompose(PipelineManifests.COMPOSE).problems())
                .containsExactly("compose.yaml: service domain-connector: WIX_BASE_URL is not a configuration key of domain-connector"
                        + " (nor KAFKA_* or one of [CONFIG_FILE, JAVA_OPTS, LOG_FORMAT, LOG_LEVEL])");
        assertThat(checker.checkKubernetes(kubernetes()).problems())
                .anyMatch(p -> p.startsWith("kubernetes: Deployment domain-connector: WIX_BASE_URL is not a configuration key"));
    }

    @Test
    void aMisspelledVariableIsNamedWithTheKeyItProbablyMeant() throws Exception {
        String compose = read(PipelineManifests.COMPOSE).replace("  BOOTSTRAP_SERVERS: kafka:9092", "  BOOTSTRAP_SERVER: kafka:9092");

        List<String> problems = PipelineManifests.checker().checkCompose("compose.yaml", compose).problems();

        assertThat(problems).contains("compose.yaml: service request-ingestor: BOOTSTRAP_SERVER is not a configuration key of "
                + "request-ingestor (nor KAFKA_* or one of [CONFIG_FILE, JAVA_OPTS, LOG_FORMAT, LOG_LEVEL]); did you mean BOOTSTRAP_SERVERS?");
        // and because it is the only bootstrap setting, every service also lacks the required one
        assertThat(problems).filteredOn(p -> p.contains("required BOOTSTRAP_SERVERS (bootstrap.servers) is not set")).hasSize(3);
    }

    @Test
    void aMissingRequiredVariableAndAnInvalidValueAreBothReported() throws Exception {
        String configMap = read(PipelineManifests.K8S.resolve("pipeline-config.yaml"))
                .replace("  SCHEMA_REGISTRY_URL: http://schema-registry:8080/apis/ccompat/v7\n", "")
                .replace("  HTTP_PORT: \"8080\"", "  HTTP_PORT: \"eighty\"");
        Map<String, String> sources = kubernetes();
        sources.put(PipelineManifests.K8S.resolve("pipeline-config.yaml").toString(), configMap);

        List<String> problems = PipelineManifests.checker().checkKubernetes(sources).problems();

        assertThat(problems).anyMatch(p -> p.startsWith("kubernetes: Deployment request-ingestor: required SCHEMA_REGISTRY_URL"))
                .anyMatch(p -> p.startsWith("kubernetes: Deployment propagation-watcher:") && p.contains("HTTP_PORT (http.port)"))
                .anyMatch(p -> p.contains("livenessProbe must be httpGet /health/live on HTTP_PORT eighty"));
    }

    @Test
    void theWixKeyMustComeFromTheMountedSecret() throws Exception {
        String compose = read(PipelineManifests.COMPOSE).replace("  WIX_API_KEY_FILE: /run/secrets/wix_api_key", "  WIX_API_KEY_FILE: /run/secrets/wix_key");
        assertThat(PipelineManifests.checker().checkCompose("compose.yaml", compose).problems())
                .contains("compose.yaml: service domain-connector: WIX_API_KEY_FILE=/run/secrets/wix_key is not one of its secrets [/run/secrets/wix_api_key]");

        Map<String, String> sources = kubernetes();
        Path config = PipelineManifests.K8S.resolve("pipeline-config.yaml");
        sources.put(config.toString(), sources.get(config.toString())
                .replace("  WIX_API_KEY_FILE: /etc/domainlink/wix/api-key", "  WIX_API_KEY_FILE: /etc/domainlink/api-key\n  WIX_API_KEY: hunter2"));
        assertThat(PipelineManifests.checker().checkKubernetes(sources).problems())
                .contains("kubernetes: Deployment domain-connector: WIX_API_KEY is set in plain text; use WIX_API_KEY_FILE with a Secret volume",
                        "kubernetes: Deployment domain-connector: WIX_API_KEY_FILE=/etc/domainlink/api-key is not inside a mounted Secret volume")
                .anyMatch(p -> p.startsWith("kubernetes: Deployment domain-connector:") && p.contains("give exactly one (both are set)"));
    }

    @Test
    void aTopicsServiceCommandWithAnUnknownOptionIsReported() throws Exception {
        String compose = read(PipelineManifests.COMPOSE).replace("\"--replication-factor\", \"1\"", "\"--replication\", \"1\"");

        assertThat(PipelineManifests.checker().checkCompose("compose.yaml", compose).problems())
                .anyMatch(p -> p.startsWith("compose.yaml: service topics: command") && p.contains("--replication"));
    }

    @Test
    void aConfigMapADeploymentNeedsButNobodyDefinesIsReported() throws Exception {
        Map<String, String> sources = kubernetes();
        Path config = PipelineManifests.K8S.resolve("pipeline-config.yaml");
        sources.put(config.toString(), sources.get(config.toString()).replace("  name: domainlink-wix", "  name: domainlink-wix-api"));

        assertThat(PipelineManifests.checker().checkKubernetes(sources).problems())
                .contains("kubernetes: Deployment domain-connector: envFrom ConfigMap domainlink-wix is not in the manifests");
    }
}
