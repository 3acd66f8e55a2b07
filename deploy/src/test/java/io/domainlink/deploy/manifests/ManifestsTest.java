package io.domainlink.deploy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The committed compose file and Kubernetes manifests agree with the code: every topic they name is declared, every
 * variable they set is a configuration key of its service, every required key is set and the values pass the
 * services' own validation. ({@link ManifestCheckerTest} shows each check failing on a broken manifest.)
 */
class ManifestsTest {

    @Test
    void composeFileSetsOnlyKnownVariablesAndEveryRequiredOneForEachService() throws Exception {
        ManifestChecker.Report report = PipelineManifests.checker().checkCompose(PipelineManifests.COMPOSE);

        assertThat(report.problems()).isEmpty();
        assertThat(report.services()).containsExactlyInAnyOrder("request-ingestor", "domain-connector", "propagation-watcher", "topics");
    }

    @Test
    void kubernetesManifestsSetOnlyKnownVariablesProbeTheHealthEndpointsAndDefineEveryTopic() throws Exception {
        ManifestChecker.Report report = PipelineManifests.checker().checkKubernetes(PipelineManifests.kubernetesFiles());

        assertThat(report.problems()).isEmpty();
        assertThat(report.services()).containsExactlyInAnyOrder("request-ingestor", "domain-connector", "propagation-watcher");
        assertThat(report.kafkaTopics()).containsExactlyInAnyOrderElementsOf(PipelineManifests.topicNames());
    }
}
