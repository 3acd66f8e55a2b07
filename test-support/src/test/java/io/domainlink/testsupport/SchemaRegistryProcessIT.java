package io.domainlink.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/** The shared registry process against the Confluent ccompat v7 API, with plain java.net.http. */
@ExtendWith(SchemaRegistryExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SchemaRegistryProcessIT {

    private static final String AVRO = "{\"type\":\"record\",\"name\":\"Ping\",\"namespace\":\"io.domainlink.test\","
            + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}";
    private static final String CT = "application/vnd.schemaregistry.v1+json";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static SchemaRegistryProcess registry;

    @Test
    @Order(1)
    void isSharedAndListensOnLoopback(SchemaRegistryProcess asParameter) {
        assertThat(registry).isSameAs(asParameter).isSameAs(SchemaRegistryProcess.shared());
        assertThat(registry.isRunning()).isTrue();
        assertThat(registry.confluentUrl()).isEqualTo("http://127.0.0.1:" + registry.port() + "/apis/ccompat/v7");
        System.out.println("[test-support] registry jar " + registry.jar() + ", startup " + registry.lastStartupTime().toMillis() + " ms");
    }

    @Test
    @Order(2)
    void registersAnAvroSchemaIdempotentlyAndFetchesItById() throws Exception {
        int id = register("t-value", AVRO);
        assertThat(register("t-value", AVRO)).as("re-register returns the same id").isEqualTo(id);

        HttpResponse<String> byId = get("/schemas/ids/" + id);
        assertThat(byId.statusCode()).isEqualTo(200);
        assertThat(byId.body()).contains("Ping").contains("io.domainlink.test");

        HttpResponse<String> latest = get("/subjects/t-value/versions/latest");
        assertThat(latest.statusCode()).isEqualTo(200);
        assertThat(latest.body()).contains("\"id\":" + id).contains("\"subject\":\"t-value\"");
        assertThat(get("/subjects").body()).contains("t-value");
    }

    @Test
    @Order(3)
    void stopsAndStartsOnTheSamePortWithEmptyStorage() throws Exception {
        int port = registry.port();
        registry.stop();
        assertThat(registry.isRunning()).isFalse();
        assertThatThrownBy(() -> get("/subjects")).isInstanceOf(IOException.class);   // outage: connection refused

        registry.start();
        assertThat(registry.port()).isEqualTo(port);
        System.out.println("[test-support] registry restart took " + registry.lastStartupTime().toMillis() + " ms");
        HttpResponse<String> subjects = get("/subjects");
        assertThat(subjects.statusCode()).isEqualTo(200);
        assertThat(subjects.body()).as("in-memory storage is empty after a restart").isEqualTo("[]");
        assertThat(register("t-value", AVRO)).isPositive();
    }

    private static int register(String subject, String schema) throws Exception {
        String body = "{\"schema\":\"" + schema.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(registry.confluentUrl() + "/subjects/" + subject + "/versions"))
                .header("Content-Type", CT).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Matcher m = Pattern.compile("\"id\"\\s*:\\s*(\\d+)").matcher(r.body());
        assertThat(m.find()).as(r.body()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(registry.confluentUrl() + path)).header("Accept", CT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
