package io.domainlink.wix.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A plain java.net.http client for the tests: raw requests, raw JSON answers. */
final class WixHttp {
    static final String ACCOUNT = "11111111-1111-4111-8111-111111111111";
    static final String OTHER_ACCOUNT = "33333333-3333-4333-8333-333333333333";
    static final String SITE = "22222222-2222-4222-8222-222222222222";
    static final String OTHER_SITE = "44444444-4444-4444-8444-444444444444";
    static final String KEY = Scenario.DEFAULT_API_KEY;
    static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    WixHttp(WixSandbox sandbox) {
        this.base = sandbox.baseUrl();
    }

    record Response(int status, JsonNode json, HttpHeaders headers) {
        String code() {
            JsonNode app = json.path("details").path("applicationError");
            if (app.has("code")) {
                return app.get("code").asText();
            }
            return json.path("details").path("validationError").path("fieldViolations").path(0).path("ruleName")
                    .asText(null);
        }
    }

    final class Request {
        private final String method;
        private final String path;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String body;

        Request(String method, String path) {
            this.method = method;
            this.path = path;
            headers.put("Authorization", KEY);
            headers.put("wix-account-id", ACCOUNT);
        }

        Request header(String name, String value) {
            if (value == null) {
                headers.remove(name);
            } else {
                headers.put(name, value);
            }
            return this;
        }

        Request account(String account) {
            return header("wix-account-id", account);
        }

        Request site(String site) {
            return header("wix-site-id", site);
        }

        Request body(String json) {
            this.body = json;
            return this;
        }

        HttpRequest build() {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            if (body != null) {
                b.header("Content-Type", "application/json");
            }
            headers.forEach(b::header);
            return b.build();
        }

        /** Sends; I/O failures are thrown as they are. */
        Response sendRaw() throws IOException, InterruptedException {
            HttpResponse<String> r = client.send(build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = r.body().isEmpty() ? MAPPER.createObjectNode() : MAPPER.readTree(r.body());
            return new Response(r.statusCode(), json, r.headers());
        }

        Response send() {
            try {
                return sendRaw();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    Request get(String path) {
        return new Request("GET", path);
    }

    Request post(String path, String json) {
        return new Request("POST", path).body(json);
    }

    Request patch(String path, String json) {
        return new Request("PATCH", path).body(json);
    }

    Request put(String path, String json) {
        return new Request("PUT", path).body(json);
    }

    Request delete(String path) {
        return new Request("DELETE", path);
    }

    // ---- the calls most tests need ----

    Response createDomain(String domain, String connectionType) {
        String type = connectionType == null ? "" : ", \"connectionType\": \"" + connectionType + "\"";
        return post("/domains/v1/connected-domains",
                "{\"connectedDomain\": {\"domain\": \"" + domain + "\"" + type
                        + ", \"siteInfo\": {\"assignmentType\": \"PRIMARY\"}}}").site(SITE).send();
    }

    Response getDomain(String domain) {
        return get("/domains/v1/connected-domains/" + domain).send();
    }

    String status(String domain) {
        return getDomain(domain).json().path("connectedDomain").path("dnsPropagationStatus").asText();
    }

    Response updateZone(String domain, String json) {
        return patch("/domains/v1/dns-zones/" + domain, json).send();
    }

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
