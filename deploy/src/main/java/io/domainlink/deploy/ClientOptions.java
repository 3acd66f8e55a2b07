package io.domainlink.deploy;

import java.util.Map;

import io.domainlink.common.config.ServiceConfig;
import picocli.CommandLine.Option;

/** Where a running stack is, for the {@code submit} and {@code tail-outcomes} commands. */
final class ClientOptions {

    @Option(names = "--bootstrap-server", defaultValue = "127.0.0.1:9092", description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE})")
    String bootstrapServers;

    @Option(names = "--registry-url", defaultValue = "http://127.0.0.1:8082/apis/ccompat/v7",
            description = "Confluent-compatible schema registry URL (default: ${DEFAULT-VALUE})")
    String registryUrl;

    ServiceConfig config(String instance) {
        return ServiceConfig.load(ServiceConfig.common(), Map.of(
                ServiceConfig.envName(ServiceConfig.BOOTSTRAP_SERVERS), bootstrapServers,
                ServiceConfig.envName(ServiceConfig.SCHEMA_REGISTRY_URL), registryUrl,
                ServiceConfig.envName(ServiceConfig.INSTANCE_ID), instance));
    }
}
