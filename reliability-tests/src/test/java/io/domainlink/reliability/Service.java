package io.domainlink.reliability;

import io.domainlink.connector.DomainConnectorApp;
import io.domainlink.ingestor.RequestIngestorApp;
import io.domainlink.watcher.PropagationWatcherApp;

/** The three services: how each is named in Kafka (consumer group), which {@code main} runs it, what it reads. */
enum Service {

    /** Kafka Streams; the group is its {@code application.id} ({@code IngestorConfig.DEFAULT_APPLICATION_ID}). */
    INGESTOR("request-ingestor", RequestIngestorApp.class.getName()),
    /** Consumer + transactional producer; the group is {@code consumer.group.id} ({@code ConnectorConfig}'s default). */
    CONNECTOR("domain-connector", DomainConnectorApp.class.getName()),
    /** Kafka Streams; the group is its {@code application.id} ({@code WatcherConfig}'s default). */
    WATCHER("propagation-watcher", PropagationWatcherApp.class.getName());

    /** Consumer group id (= Streams application id), also the client id prefix {@code <group>-<instance>}. */
    final String group;
    final String mainClass;

    Service(String group, String mainClass) {
        this.group = group;
        this.mainClass = mainClass;
    }

    String clientIdPrefix(String instanceId) {
        return group + "-" + instanceId;
    }
}
