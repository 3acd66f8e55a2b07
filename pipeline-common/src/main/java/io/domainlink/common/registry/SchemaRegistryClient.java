package io.domainlink.common.registry;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.domainlink.common.serde.SerdeException;
import io.domainlink.common.serde.SerdeException.Kind;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A small client for the Confluent Schema Registry REST API (works with Confluent, Apicurio's ccompat API,
 * Karapace and Redpanda). Ids and schemas are cached, so after the first record of a schema the hot path makes no
 * HTTP call; an unreachable registry is retried with backoff for {@link RegistryConfig#unavailableRetryBudget()}.
 */
public final class SchemaRegistryClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SchemaRegistryClient.class);
    private static final MediaType SR_JSON = MediaType.get("application/vnd.schemaregistry.v1+json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryConfig config;
    private final OkHttpClient http;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<String, Integer> idsBySubjectAndSchema = new ConcurrentHashMap<>();

    public SchemaRegistryClient(RegistryConfig config) {
        this.config = config;
        this.http = new OkHttpClient.Builder()
                .connectTimeout(config.timeout())
                .readTimeout(config.timeout())
                .writeTimeout(config.timeout())
                .callTimeout(config.timeout().multipliedBy(2))
                .build();
    }

    public RegistryConfig config() {
        return config;
    }

    /** Registers {@code schema} under {@code subject} (idempotent at the registry) and returns its global id. */
    public int register(String subject, Schema schema) {
        return idsBySubjectAndSchema.computeIfAbsent(subject + "\u0000" + schema, k -> {
            JsonNode body = call("POST", "/subjects/" + enc(subject) + "/versions", schemaBody(schema), subject);
            int id = body.path("id").asInt(-1);
            if (id < 0) {
                throw new SerdeException(Kind.REGISTRY_ERROR, "registry answered no id when registering " + subject);
            }
            schemasById.putIfAbsent(id, schema);
            log.info("schema registered subject={} id={}", subject, id);
            return id;
        });
    }

    /** The id under which {@code schema} is already registered in {@code subject}; fails if it is not. */
    public int lookup(String subject, Schema schema) {
        return idsBySubjectAndSchema.computeIfAbsent(subject + "\u0000" + schema, k -> {
            JsonNode body = call("POST", "/subjects/" + enc(subject), schemaBody(schema), subject);
            int id = body.path("id").asInt(-1);
            schemasById.putIfAbsent(id, schema);
            return id;
        });
    }

    /** The writer schema with this global id. */
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode body = call("GET", "/schemas/ids/" + id, null, "id " + id);
        String type = body.path("schemaType").asText("AVRO");
        if (!"AVRO".equalsIgnoreCase(type)) {
            throw new SerdeException(Kind.UNREADABLE_SCHEMA, "schema id " + id + " is " + type + ", not AVRO");
        }
        Schema schema;
        try {
            schema = new Schema.Parser().parse(body.path("schema").asText());
        } catch (SchemaParseException e) {
            throw new SerdeException(Kind.UNREADABLE_SCHEMA, "schema id " + id + " is not a valid Avro schema: " + e.getMessage(), e);
        }
        Schema raced = schemasById.putIfAbsent(id, schema);
        return raced != null ? raced : schema;
    }

    /** Whether {@code schema} may be registered as the next version of {@code subject} under its compatibility level. */
    public boolean isCompatible(String subject, Schema schema) {
        try {
            JsonNode body = call("POST", "/compatibility/subjects/" + enc(subject) + "/versions/latest", schemaBody(schema), subject);
            return body.path("is_compatible").asBoolean(false);
        } catch (SerdeException e) {
            if (e.getMessage().contains("404")) {
                return true; // no version yet: anything is compatible
            }
            throw e;
        }
    }

    /** Sets the compatibility level of a subject, e.g. {@code FULL_TRANSITIVE}. */
    public void setCompatibility(String subject, String level) {
        ObjectNode body = JSON.createObjectNode().put("compatibility", level);
        call("PUT", "/config/" + enc(subject), body.toString(), subject);
    }

    private String schemaBody(Schema schema) {
        return JSON.createObjectNode().put("schema", schema.toString()).toString();
    }

    private JsonNode call(String method, String path, String body, String what) {
        long deadline = System.nanoTime() + config.unavailableRetryBudget().toNanos();
        long backoffMs = 100;
        while (true) {
            try {
                return callOnce(method, path, body, what);
            } catch (SerdeException e) {
                if (e.kind() != Kind.REGISTRY_UNAVAILABLE || System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMs) > deadline) {
                    throw e;
                }
                log.warn("schema registry unavailable, retrying in {} ms: {}", backoffMs, e.getMessage());
                sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 5_000);
            }
        }
    }

    private JsonNode callOnce(String method, String path, String body, String what) {
        Request.Builder request = new Request.Builder()
                .url(config.url() + path)
                .header("Accept", "application/vnd.schemaregistry.v1+json, application/json");
        config.basicAuth().ifPresent(ui -> request.header("Authorization",
                "Basic " + Base64.getEncoder().encodeToString(ui.getBytes(StandardCharsets.UTF_8))));
        config.bearer().ifPresent(t -> request.header("Authorization", "Bearer " + t));
        request.method(method, body == null ? null : RequestBody.create(body, SR_JSON));
        try (Response response = http.newCall(request.build()).execute()) {
            String text = response.body().string();
            int code = response.code();
            if (code >= 200 && code < 300) {
                return text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
            }
            String detail = method + " " + path + " -> HTTP " + code + " " + errorMessage(text);
            if (code >= 500 || code == 429) {
                throw new SerdeException(Kind.REGISTRY_UNAVAILABLE, detail);
            }
            if (code == 404 && path.startsWith("/schemas/ids/")) {
                throw new SerdeException(Kind.UNKNOWN_SCHEMA_ID, "the registry does not know schema " + what + " (" + detail + ")");
            }
            if (code == 409 || code == 422 || code == 404) {
                throw new SerdeException(Kind.SCHEMA_REJECTED, "registry refused " + what + ": " + detail);
            }
            throw new SerdeException(Kind.REGISTRY_ERROR, detail);
        } catch (IOException e) {
            throw new SerdeException(Kind.REGISTRY_UNAVAILABLE, "schema registry at " + config.url() + " unreachable: " + e, e);
        }
    }

    private static String errorMessage(String text) {
        try {
            JsonNode n = JSON.readTree(text);
            return n.path("message").asText(text.length() > 200 ? text.substring(0, 200) : text);
        } catch (IOException e) {
            return text.length() > 200 ? text.substring(0, 200) : text;
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SerdeException(Kind.REGISTRY_UNAVAILABLE, "interrupted while waiting for the registry");
        }
    }

    /** Forgets nothing: cached schemas stay usable while the registry is down. Exposed for metrics and tests. */
    public int cachedSchemas() {
        return schemasById.size();
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

}
