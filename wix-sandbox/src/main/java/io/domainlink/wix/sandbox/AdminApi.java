package io.domainlink.wix.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sandbox's own control API under {@code /_sandbox/}: no auth (the server binds 127.0.0.1 by default), JSON
 * in and out, not recorded in the call log and never subject to faults.
 *
 * <pre>
 * GET    /_sandbox/calls[?domain=d&amp;endpoint=E]   {"calls": [CallRecord...]}
 * DELETE /_sandbox/calls                         {}
 * POST   /_sandbox/owner-records/{domain}        DomainSnapshot   (404 when not connected)
 * GET    /_sandbox/domains                       {"domains": [DomainSnapshot...]}
 * GET    /_sandbox/domains/{domain}              DomainSnapshot   (404 when not connected)
 * GET    /_sandbox/packages                      {"packages": [PackageSnapshot...]}
 * GET    /_sandbox/packages/{id}                 PackageSnapshot  (404 when unknown)
 * GET    /_sandbox/faults | PUT (Faults)         Faults
 * GET    /_sandbox/scenario | PUT (Scenario)     Scenario
 * POST   /_sandbox/reset                         {}
 * </pre>
 */
final class AdminApi {
    private final WixSandbox sandbox;

    AdminApi(WixSandbox sandbox) {
        this.sandbox = sandbox;
    }

    void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath().substring(WixSandbox.ADMIN_PREFIX.length());
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> query = WixApi.parseQuery(exchange.getRequestURI().getRawQuery());
        try {
            Object answer = route(method, path, body, query);
            WixSandbox.send(exchange, 200, Json.write(answer), Map.of());
        } catch (AdminError e) {
            WixSandbox.send(exchange, e.status, Json.write(error(e.getMessage())), Map.of());
        } catch (IllegalArgumentException e) {
            WixSandbox.send(exchange, 400, Json.write(error(e.getMessage())), Map.of());
        }
    }

    private Object route(String method, String path, String body, Map<String, String> query) throws IOException {
        if (path.equals("/calls")) {
            return switch (method) {
                case "GET" -> Map.of("calls", filterCalls(query));
                case "DELETE" -> {
                    sandbox.clearCalls();
                    yield Json.object();
                }
                default -> throw notAllowed(method, path);
            };
        }
        if (path.startsWith("/owner-records/")) {
            requireMethod("POST", method, path);
            String domain = decode(path.substring("/owner-records/".length()));
            return sandbox.api().ownerSetRecords(domain).orElseThrow(() -> notConnected(domain));
        }
        if (path.equals("/domains")) {
            requireMethod("GET", method, path);
            return Map.of("domains", sandbox.domains());
        }
        if (path.startsWith("/domains/")) {
            requireMethod("GET", method, path);
            String domain = decode(path.substring("/domains/".length()));
            return sandbox.domain(domain).orElseThrow(() -> notConnected(domain));
        }
        if (path.equals("/packages")) {
            requireMethod("GET", method, path);
            return Map.of("packages", sandbox.packages());
        }
        if (path.startsWith("/packages/")) {
            requireMethod("GET", method, path);
            String id = decode(path.substring("/packages/".length()));
            return sandbox.resellerPackage(id).orElseThrow(() -> new AdminError(404, "no package with id " + id));
        }
        if (path.equals("/faults")) {
            return switch (method) {
                case "GET" -> sandbox.faults();
                case "PUT" -> {
                    sandbox.setFaults(parse(body, Faults.class));
                    yield sandbox.faults();
                }
                default -> throw notAllowed(method, path);
            };
        }
        if (path.equals("/scenario")) {
            return switch (method) {
                case "GET" -> sandbox.scenario();
                case "PUT" -> {
                    sandbox.setScenario(parse(body, Scenario.class));
                    yield sandbox.scenario();
                }
                default -> throw notAllowed(method, path);
            };
        }
        if (path.equals("/reset")) {
            requireMethod("POST", method, path);
            sandbox.reset();
            return Json.object();
        }
        throw new AdminError(404, "no admin endpoint at " + WixSandbox.ADMIN_PREFIX + path);
    }

    private List<CallRecord> filterCalls(Map<String, String> query) {
        String domain = DomainNames.normalize(query.get("domain"));
        String endpoint = query.get("endpoint");
        return sandbox.calls().stream()
                .filter(c -> domain == null || domain.equals(c.domain()))
                .filter(c -> endpoint == null || (c.endpoint() != null && c.endpoint().name().equals(endpoint)))
                .toList();
    }

    private static <T> T parse(String body, Class<T> type) {
        try {
            return Json.read(body, type);
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid " + type.getSimpleName() + " JSON: " + e.getMessage(), e);
        }
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment, StandardCharsets.UTF_8);
    }

    private static void requireMethod(String expected, String method, String path) {
        if (!expected.equals(method)) {
            throw notAllowed(method, path);
        }
    }

    private static AdminError notAllowed(String method, String path) {
        return new AdminError(405, method + " is not allowed on " + WixSandbox.ADMIN_PREFIX + path);
    }

    private static AdminError notConnected(String domain) {
        return new AdminError(404, "domain not connected: " + domain);
    }

    private static ObjectNode error(String message) {
        ObjectNode o = Json.object();
        o.put("message", Optional.ofNullable(message).orElse(""));
        return o;
    }

    private static final class AdminError extends RuntimeException {
        final int status;

        AdminError(int status, String message) {
            super(message);
            this.status = status;
        }
    }
}
