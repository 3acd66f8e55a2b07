package io.domainlink.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration line every service logs at start-up holds no secret-typed Kafka setting and no URL password. */
class LoggedConfigSecrecyTest {

    /** Every key that Kafka's own definitions type as PASSWORD, with a unique secret value each. */
    static Map<String, String> everyPasswordKey() {
        Map<String, String> secrets = new TreeMap<>();
        Stream.of(ProducerConfig.configDef(), ConsumerConfig.configDef(), AdminClientConfig.configDef(), StreamsConfig.configDef())
                .flatMap(d -> d.configKeys().values().stream())
                .filter(k -> k.type == Type.PASSWORD)
                .forEach(k -> secrets.put(k.name, "secret-" + k.name.replace('.', '-') + "-7f3a"));
        return secrets;
    }

    @Test
    void hidesEveryPasswordTypedKafkaKeyUnknownKeysAndUrlUserInfoButShowsTheRest(@TempDir Path dir) throws Exception {
        Map<String, String> secrets = everyPasswordKey();
        assertThat(secrets).containsKeys("ssl.keystore.key", "ssl.key.password", "sasl.jaas.config", "ssl.truststore.password");

        Map<String, String> file = new TreeMap<>();
        secrets.forEach((k, v) -> file.put("kafka." + k, v));
        // behind a Kafka Streams client prefix, and a key Kafka does not define at all
        file.put("kafka.producer.ssl.key.password", "secret-prefixed-7f3a");
        file.put("kafka.main.consumer.sasl.jaas.config", "secret-prefixed-jaas-7f3a");
        file.put("kafka.vendor.api.token", "secret-unknown-7f3a");
        // shown, with the URL's user info hidden
        file.put("kafka.security.protocol", "SASL_SSL");
        file.put("kafka.producer.acks", "all");
        file.put("kafka.sasl.oauthbearer.token.endpoint.url", "https://client:secret-oauth-url-7f3a@idp.example/token");
        Path props = dir.resolve("service.properties");
        Files.writeString(props, file.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n")));

        ServiceConfig config = ServiceConfig.load(ServiceConfig.common(), Map.of(
                "CONFIG_FILE", props.toString(),
                "BOOTSTRAP_SERVERS", "b1:9092",
                "SCHEMA_REGISTRY_URL", "http://registry-user:secret-registry-7f3a@registry:8082/apis/ccompat/v7",
                "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", "u:secret-basic-7f3a"));
        String line = config.toString();

        assertThat(secrets.values()).allSatisfy(secret -> assertThat(line).doesNotContain(secret));
        assertThat(line).doesNotContain("7f3a");
        assertThat(line).contains("security.protocol=SASL_SSL").contains("producer.acks=all")
                .contains("ssl.keystore.key=[hidden]").contains("vendor.api.token=[hidden]")
                .contains("schema.registry.url=http://[hidden]@registry:8082/apis/ccompat/v7")
                .contains("sasl.oauthbearer.token.endpoint.url=https://[hidden]@idp.example/token");
        // the clients still get the real values
        assertThat(config.kafkaPassthrough()).containsEntry("ssl.keystore.key", secrets.get("ssl.keystore.key"));
        assertThat(config.getString(ServiceConfig.SCHEMA_REGISTRY_URL)).contains("secret-registry-7f3a");
    }

    @Test
    void hidesAUrlWithAnAtSignThatDoesNotParseAndKeepsOneWhoseAtSignIsInThePath() {
        assertThat(LoggedValues.withoutUserInfo("http://user:pass word@host/x")).isEqualTo("http://[hidden]@host/x");
        assertThat(LoggedValues.withoutUserInfo("http://user:pa/ss@host")).isEqualTo("[hidden]");
        assertThat(LoggedValues.withoutUserInfo("http://host:8080/a@b")).isEqualTo("http://host:8080/a@b");
        assertThat(LoggedValues.withoutUserInfo("SASL_SSL://u:p@b1:9092,SASL_SSL://b2:9092"))
                .isEqualTo("SASL_SSL://[hidden]@b1:9092,SASL_SSL://b2:9092");
        assertThat(LoggedValues.withoutUserInfo("plain@text")).isEqualTo("plain@text");
    }

    @Test
    void aServiceListValueHasItsUrlsUserInfoHidden() {
        ConfigDef def = ServiceConfig.common();
        ServiceConfig config = ServiceConfig.load(def, Map.of(
                "BOOTSTRAP_SERVERS", "SASL_SSL://admin:secret-bootstrap-7f3a@b1:9092,b2:9092",
                "SCHEMA_REGISTRY_URL", "http://registry:8082"));
        assertThat(config.toString()).doesNotContain("7f3a").contains("bootstrap.servers=[SASL_SSL://[hidden]@b1:9092, b2:9092]");
    }
}
