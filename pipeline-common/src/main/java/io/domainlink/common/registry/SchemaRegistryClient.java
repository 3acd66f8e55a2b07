package io.domainlink.common.registry;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;

import io.domainlink.common.serde.SerdeException;
import io.domainlink.common.serde.SerdeException.Kind;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * A small client for the Confluent Schema Registry REST API (works with Confluent, Apicurio's ccompat API,
 * Karapace and Redpanda). Ids and schemas are cached, so after the first record of a schema the hot path makes no
 * HTTP call; an unreachable registry is retried with backoff for at most {@link RegistryConfig#unavailableRetryBudget()}.
 *
 * <p>Answers are classified by endpoint and status: for {@code GET /schemas/ids/{id}} a 404 is
 * {@code UNKNOWN_SCHEMA_ID}, and a 2xx whose body is not JSON, has no {@code schema} text, is not Avro, does not parse,
 * is larger than {@link RegistryConfig#maxResponseBytes()} or has more than {@link #MAX_SCHEMA_NODES} types and fields
 * is {@code UNREADABLE_SCHEMA} (both poison, remembered for {@link #FAILURE_MEMORY}); only transport errors, 5xx and
 * 429 are {@code REGISTRY_UNAVAILABLE}, never remembered. For the other calls such a 2xx is {@code REGISTRY_ERROR}.
 */
public final class SchemaRegistryClient implements AutoCloseable {

    /** A writer schema with more types, fields and enum symbols than this is refused as unreadable. */
    public static final int MAX_SCHEMA_NODES = 10_000;
    /** The parsed writer schemas kept, in {@link SchemaNodes} (our largest event schema has about 80). */
    public static final long CACHED_SCHEMA_NODES = 50_000;
    /** How many ids whose schema is unknown or unreadable are remembered, and for how long. */
    public static final int MAX_REMEMBERED_FAILURES = 1_000;
    public static final Duration FAILURE_MEMORY = Duration.ofMinutes(5);

    private static final Logger log = LoggerFactory.getLogger(SchemaRegistryClient.class);
    private static final MediaType SR_JSON = MediaType.get("application/vnd.schemaregistry.v1+json");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ERROR_BODY_BYTES = 4_096;
    private static final int MAX_DETAIL = 300;

    private final RegistryConfig config;
    private final OkHttpClient http;
    private final Cache<Integer, Schema> schemasById = CacheBuilder.newBuilder()
            .maximumWeight(CACHED_SCHEMA_NODES).weigher((Integer id, Schema s) -> SchemaNodes.count(s)).build();
    private final Cache<Integer, Failure> failedIds = CacheBuilder.newBuilder()
            .maximumSize(MAX_REMEMBERED_FAILURES).expireAfterWrite(FAILURE_MEMORY).build();
    /** This service's own schemas only: as many entries as it writes schemas. */
    private final Map<String, Integer> idsBySubjectAndSchema = new ConcurrentHashMap<>();

    /** A poison answer about a schema id, remembered. */
    private record Failure(Kind kind, String detail) {
    }

    /** A registry answer that is not an unavailability: a 2xx with its JSON body, or another status. */
    private record Answer(int status, JsonNode json, String detail) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

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
            Answer a = call("POST", "/subjects/" + enc(subject) + "/versions", schemaBody(schema), Kind.REGISTRY_ERROR);
            int id = idOf(a, "registering " + subject);
            schemasById.asMap().putIfAbsent(id, schema);
            log.info("schema registered subject={} id={}", subject, id);
            return id;
        });
    }

    /** The id under which {@code schema} is already registered in {@code subject}; fails if it is not. */
    public int lookup(String subject, Schema schema) {
        return idsBySubjectAndSchema.computeIfAbsent(subject + "\u0000" + schema, k -> {
            Answer a = call("POST", "/subjects/" + enc(subject), schemaBody(schema), Kind.REGISTRY_ERROR);
            if (a.status() == 404) {
                throw new SerdeException(Kind.SCHEMA_REJECTED, "schema is not registered under " + subject
                        + " and auto-registration is off (" + a.detail() + ")");
            }
            int id = idOf(a, "looking up " + subject);
            schemasById.asMap().putIfAbsent(id, schema);
            return id;
        });
    }

    /** The writer schema with this global id. */
    public Schema schemaById(int id) {
        return schemaById(id, schema -> schema);
    }

    /**
     * The writer schema with this global id, handed to {@code accept} (e.g. a reader's compatibility check, which
     * throws to refuse it); a fetched schema is cached only once {@code accept} returned.
     */
    public <R> R schemaById(int id, Function<Schema, R> accept) {
        Schema cached = schemasById.getIfPresent(id);
        if (cached != null) {
            return accept.apply(cached);
        }
        Failure failed = failedIds.getIfPresent(id);
        if (failed != null) {
            throw new SerdeException(failed.kind(), failed.detail());
        }
        Schema schema;
        try {
            schema = fetch(id);
        } catch (SerdeException e) {
            if (e.poison()) {
                failedIds.put(id, new Failure(e.kind(), e.detail()));
            }
            throw e;
        }
        R accepted = accept.apply(schema);
        schemasById.asMap().putIfAbsent(id, schema);
        return accepted;
    }

    private Schema fetch(int id) {
        Answer a = call("GET", "/schemas/ids/" + id, null, Kind.UNREADABLE_SCHEMA);
        if (a.status() == 404) {
            throw new SerdeException(Kind.UNKNOWN_SCHEMA_ID, "the registry does not know schema id " + id + " (" + a.detail() + ")");
        }
        if (!a.ok()) {
            throw new SerdeException(Kind.REGISTRY_ERROR, a.detail());
        }
        String type = a.json().path("schemaType").asText("AVRO");
        if (!"AVRO".equalsIgnoreCase(type)) {
            throw new SerdeException(Kind.UNREADABLE_SCHEMA, "schema id " + id + " is " + cut(type) + ", not AVRO");
        }
        JsonNode text = a.json().get("schema");
        if (text == null || !text.isTextual()) {
            throw new SerdeException(Kind.UNREADABLE_SCHEMA, "the registry's answer for schema id " + id + " has no schema text");
        }
        Schema schema;
        try {
            schema = new Schema.Parser().parse(text.asText());
        } catch (RuntimeException e) {
            // SchemaParseException, AvroTypeException (an invalid default), and whatever else the parser throws
            throw new SerdeException(Kind.UNREADABLE_SCHEMA, "schema id " + id + " is not a valid Avro schema: " + cut(e.getMessage()), e);
        }
        int nodes = SchemaNodes.count(schema);
        if (nodes > MAX_SCHEMA_NODES) {
            throw new SerdeException(Kind.UNREADABLE_SCHEMA, "schema id " + id + " has " + nodes
                    + " types, fields and symbols, more than " + MAX_SCHEMA_NODES);
        }
        return schema;
    }

    /** Whether {@code schema} may be registered as the next version of {@code subject} under its compatibility level. */
    public boolean isCompatible(String subject, Schema schema) {
        Answer a = call("POST", "/compatibility/subjects/" + enc(subject) + "/versions/latest", schemaBody(schema), Kind.REGISTRY_ERROR);
        if (a.status() == 404) {
            return true; // the subject has no version yet: anything is compatible
        }
        if (!a.ok()) {
            throw refused(a, subject);
        }
        JsonNode verdict = a.json().get("is_compatible");
        if (verdict == null || !verdict.isBoolean()) {
            throw new SerdeException(Kind.REGISTRY_ERROR, "the registry's compatibility answer for " + subject + " has no is_compatible");
        }
        return verdict.booleanValue();
    }

    /** Sets the compatibility level of a subject, e.g. {@code FULL_TRANSITIVE}. */
    public void setCompatibility(String subject, String level) {
        ObjectNode body = JSON.createObjectNode().put("compatibility", level);
        Answer a = call("PUT", "/config/" + enc(subject), body.toString(), Kind.REGISTRY_ERROR);
        if (!a.ok()) {
            throw refused(a, subject);
        }
    }

    private static int idOf(Answer a, String what) {
        if (!a.ok()) {
            throw refused(a, what);
        }
        JsonNode id = a.json().get("id");
        if (id == null || !id.isIntegralNumber() || !id.canConvertToInt() || id.intValue() < 0) {
            throw new SerdeException(Kind.REGISTRY_ERROR, "the registry answered no schema id when " + what);
        }
        return id.intValue();
    }

    private static SerdeException refused(Answer a, String what) {
        int s = a.status();
        return s == 404 || s == 409 || s == 422
                ? new SerdeException(Kind.SCHEMA_REJECTED, "registry refused " + what + ": " + a.detail())
                : new SerdeException(Kind.REGISTRY_ERROR, a.detail());
    }

    private String schemaBody(Schema schema) {
        return JSON.createObjectNode().put("schema", schema.toString()).toString();
    }

    /**
     * One operation: retries an unavailable registry with backoff, every attempt's time included, until the retry
     * budget is spent. A 2xx whose body is over the size cap or not JSON fails with {@code contentError}.
     */
    private Answer call(String method, String path, String body, Kind contentError) {
        long deadline = System.nanoTime() + config.unavailableRetryBudget().toNanos();
        long callTimeout = config.timeout().multipliedBy(2).toNanos();
        long backoffMs = 100;
        for (int attempt = 1; ; attempt++) {
            try {
                return callOnce(method, path, body, contentError, Math.min(callTimeout, deadline - System.nanoTime()));
            } catch (SerdeException e) {
                if (e.kind() != Kind.REGISTRY_UNAVAILABLE || deadline - System.nanoTime() <= TimeUnit.MILLISECONDS.toNanos(backoffMs)) {
                    throw e;
                }
                log.warn("schema registry unavailable, retrying in {} ms attempt={}: {}", backoffMs, attempt, e.getMessage());
                sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 5_000);
            }
        }
    }

    private Answer callOnce(String method, String path, String body, Kind contentError, long timeoutNanos) {
        Request.Builder request = new Request.Builder()
                .url(config.url() + path)
                .header("Accept", "application/vnd.schemaregistry.v1+json, application/json");
        config.basicAuth().ifPresent(ui -> request.header("Authorization",
                "Basic " + Base64.getEncoder().encodeToString(ui.getBytes(StandardCharsets.UTF_8))));
        config.bearer().ifPresent(t -> request.header("Authorization", "Bearer " + t));
        request.method(method, body == null ? null : RequestBody.create(body, SR_JSON));
        Call call = http.newCall(request.build());
        call.timeout().timeout(Math.max(timeoutNanos, 1), TimeUnit.NANOSECONDS);
        String what = method + " " + path;
        try (Response response = call.execute()) {
            int code = response.code();
            if (code >= 200 && code < 300) {
                String text = readAtMost(response.body(), config.maxResponseBytes());
                if (text == null) {
                    throw new SerdeException(contentError, what + " -> HTTP " + code + " with a body over "
                            + config.maxResponseBytes() + " bytes");
                }
                try {
                    return new Answer(code, text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text), what + " -> HTTP " + code);
                } catch (JsonProcessingException e) {
                    throw new SerdeException(contentError, what + " -> HTTP " + code + " whose body is not JSON: "
                            + cut(e.getOriginalMessage()));
                }
            }
            String text = readAtMost(response.body(), ERROR_BODY_BYTES);
            String detail = what + " -> HTTP " + code + " " + (text == null ? "(long body)" : errorMessage(text));
            if (code >= 500 || code == 429) {
                throw new SerdeException(Kind.REGISTRY_UNAVAILABLE, detail);
            }
            return new Answer(code, null, detail);
        } catch (IOException e) {
            throw new SerdeException(Kind.REGISTRY_UNAVAILABLE, "schema registry at " + config.displayUrl() + " unreachable ("
                    + what + "): " + e, e);
        }
    }

    /** The body as text, or null when it is longer than {@code max} bytes (reading no more than {@code max + 1}). */
    private static String readAtMost(ResponseBody body, long max) throws IOException {
        if (body.contentLength() > max) {
            return null;
        }
        BufferedSource source = body.source();
        if (source.request(max + 1)) {
            return null;
        }
        return source.readUtf8();
    }

    private static String errorMessage(String text) {
        try {
            return cut(JSON.readTree(text).path("message").asText(text));
        } catch (IOException e) {
            return cut(text);
        }
    }

    private static String cut(String s) {
        return s == null || s.length() <= MAX_DETAIL ? s : s.substring(0, MAX_DETAIL) + "...";
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

    /** How many writer schemas are cached (bounded by {@link #CACHED_SCHEMA_NODES}). For metrics and tests. */
    public int cachedSchemas() {
        return (int) schemasById.size();
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

}
