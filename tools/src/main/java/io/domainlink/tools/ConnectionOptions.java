package io.domainlink.tools;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import io.domainlink.common.config.ServiceConfig;
import io.domainlink.common.kafka.KafkaDefaults;
import io.domainlink.common.registry.SchemaRegistryClient;
import picocli.CommandLine.Option;

/**
 * Where the cluster and the registry are, shared by every command (a picocli mixin). Defaults come from the same
 * environment variables the services read ({@code BOOTSTRAP_SERVERS}, {@code SCHEMA_REGISTRY_URL},
 * {@code SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO}, {@code SCHEMA_REGISTRY_BEARER_TOKEN}), then the local stack's ports.
 * Kafka security settings (SASL, TLS) come from a properties file, as with Kafka's own {@code --command-config}.
 */
public final class ConnectionOptions {

    @Option(names = {"--bootstrap-servers", "--bootstrap-server"}, paramLabel = "HOST:PORT[,...]",
            defaultValue = "${env:BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
            description = "Kafka bootstrap servers (default: $BOOTSTRAP_SERVERS, else ${DEFAULT-VALUE})")
    String bootstrapServers;

    @Option(names = "--registry-url", paramLabel = "URL",
            defaultValue = "${env:SCHEMA_REGISTRY_URL:-http://127.0.0.1:8082/apis/ccompat/v7}",
            description = "Confluent-compatible schema registry URL (default: $SCHEMA_REGISTRY_URL, else ${DEFAULT-VALUE})")
    String registryUrl;

    @Option(names = "--registry-basic-auth", paramLabel = "USER:PASSWORD", defaultValue = "${env:SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO}",
            description = "HTTP basic auth for the registry (default: $SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO)")
    String registryBasicAuth;

    @Option(names = "--registry-bearer-token", paramLabel = "TOKEN", defaultValue = "${env:SCHEMA_REGISTRY_BEARER_TOKEN}",
            description = "bearer token for the registry (default: $SCHEMA_REGISTRY_BEARER_TOKEN)")
    String registryBearerToken;

    @Option(names = "--command-config", paramLabel = "FILE",
            description = "Kafka client properties file (security.protocol, sasl.*, ssl.*), applied to every client")
    Path commandConfig;

    /** The same typed configuration a service would load, so {@link KafkaDefaults} applies its reliability baseline. */
    public ServiceConfig config(String instance) {
        Map<String, String> env = new HashMap<>();
        env.put(ServiceConfig.envName(ServiceConfig.BOOTSTRAP_SERVERS), bootstrapServers);
        env.put(ServiceConfig.envName(ServiceConfig.SCHEMA_REGISTRY_URL), registryUrl);
        env.put(ServiceConfig.envName(ServiceConfig.INSTANCE_ID), instance);
        if (registryBasicAuth != null && !registryBasicAuth.isBlank()) {
            env.put(ServiceConfig.envName(ServiceConfig.SCHEMA_REGISTRY_USER_INFO), registryBasicAuth);
        }
        if (registryBearerToken != null && !registryBearerToken.isBlank()) {
            env.put(ServiceConfig.envName(ServiceConfig.SCHEMA_REGISTRY_BEARER_TOKEN), registryBearerToken);
        }
        commandConfigProperties().forEach((k, v) ->
                env.put(ServiceConfig.KAFKA_ENV_PREFIX + k.toUpperCase(Locale.ROOT).replace('.', '_'), v));
        return ServiceConfig.load(ServiceConfig.common(), env);
    }

    public SchemaRegistryClient registry() {
        return KafkaDefaults.registry(config("domainlink-cli"));
    }

    /** A read_committed consumer without a group (assign + seek): nothing committed, nothing left behind. */
    public KafkaConsumer<byte[], byte[]> consumer(String clientId) {
        Map<String, Object> props = KafkaDefaults.consumer(config(clientId), clientId, "unused");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    public Map<String, Object> producerProperties(String clientId) {
        return KafkaDefaults.producer(config(clientId), clientId);
    }

    public Admin admin(String clientId) {
        Map<String, Object> props = new HashMap<>(config(clientId).kafkaPassthrough());
        props.put("bootstrap.servers", bootstrapServers);
        props.put("client.id", clientId);
        return Admin.create(props);
    }

    private Map<String, String> commandConfigProperties() {
        Map<String, String> out = new HashMap<>();
        if (commandConfig == null) {
            return out;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(commandConfig)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException("--command-config " + commandConfig + ": cannot read (" + e.getMessage() + ")", e);
        }
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
        return out;
    }
}
