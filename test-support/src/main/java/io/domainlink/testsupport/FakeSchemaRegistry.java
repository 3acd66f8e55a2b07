package io.domainlink.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An in-memory fake of the Confluent Schema Registry REST API subset the pipeline uses (register, look up,
 * fetch by id), for unit tests with {@code TopologyTestDriver} only. It performs no compatibility checks:
 * integration tests use the real registry ({@link SchemaRegistryProcess}).
 */
public final class FakeSchemaRegistry implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, Integer> idsBySchema = new ConcurrentHashMap<>();
    private final Map<Integer, String> schemasById = new ConcurrentHashMap<>();
    private final Map<String, List<Integer>> versionsBySubject = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);

    private FakeSchemaRegistry(HttpServer server) {
        this.server = server;
    }

    public static FakeSchemaRegistry start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            FakeSchemaRegistry fake = new FakeSchemaRegistry(server);
            server.createContext("/", fake::handle);
            server.start();
            return fake;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake registry", e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Registers a schema directly (e.g. a "newer" writer schema a test wants to use); returns its id. */
    public int register(String subject, String schema) {
        int id = idsBySchema.computeIfAbsent(schema, s -> {
            int n = nextId.getAndIncrement();
            schemasById.put(n, s);
            return n;
        });
        List<Integer> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        synchronized (versions) {
            if (!versions.contains(id)) {
                versions.add(id);
            }
        }
        return id;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = URLDecoder.decode(ex.getRequestURI().getRawPath(), StandardCharsets.UTF_8);
            String method = ex.getRequestMethod();
            String[] parts = path.substring(1).split("/");
            if (method.equals("POST") && parts.length == 3 && parts[0].equals("subjects") && parts[2].equals("versions")) {
                int id = register(parts[1], schemaOf(ex.getRequestBody()));
                reply(ex, 200, JSON.createObjectNode().put("id", id));
            } else if (method.equals("POST") && parts.length == 2 && parts[0].equals("subjects")) {
                Integer id = idsBySchema.get(schemaOf(ex.getRequestBody()));
                List<Integer> versions = versionsBySubject.getOrDefault(parts[1], List.of());
                if (id == null || !versions.contains(id)) {
                    reply(ex, 404, JSON.createObjectNode().put("error_code", 40403).put("message", "Schema not found"));
                } else {
                    reply(ex, 200, JSON.createObjectNode().put("id", id).put("subject", parts[1]).put("version", versions.indexOf(id) + 1));
                }
            } else if (method.equals("GET") && parts.length == 3 && parts[0].equals("schemas") && parts[1].equals("ids")) {
                String schema = schemasById.get(Integer.parseInt(parts[2]));
                if (schema == null) {
                    reply(ex, 404, JSON.createObjectNode().put("error_code", 40403).put("message", "Schema not found"));
                } else {
                    reply(ex, 200, JSON.createObjectNode().put("schema", schema));
                }
            } else {
                reply(ex, 404, JSON.createObjectNode().put("error_code", 404).put("message", "not supported by the fake: " + method + " " + path));
            }
        }
    }

    private static String schemaOf(InputStream body) throws IOException {
        JsonNode n = JSON.readTree(body.readAllBytes());
        return n.path("schema").asText();
    }

    private static void reply(HttpExchange ex, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
