package io.domainlink.wix.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real HTTP server standing in for {@code https://www.wixapis.com}: the Connected Domains, Setup Info, Domain DNS
 * and Resellers Create Package V2 / Cancel Package endpoints with in-memory state, a propagation model, scripted outcomes, fault
 * injection and a call log, plus an unauthenticated admin API under {@code /_sandbox/}.
 *
 * <pre>{@code
 * try (WixSandbox wix = WixSandbox.start(SandboxConfig.defaults())) {
 *     URI base = wix.baseUri();          // http://127.0.0.1:<ephemeral port>
 *     ... point the client at base, API key "sandbox-api-key" ...
 *     wix.ownerSetRecords("shop.example.test");
 *     assertThat(wix.count(Effect.DOMAIN_CREATED, "shop.example.test")).isEqualTo(1);
 * }
 * }</pre>
 */
public final class WixSandbox implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WixSandbox.class);
    static final String ADMIN_PREFIX = "/_sandbox";

    static {
        // The JDK server flushes headers and body separately; without TCP_NODELAY, Nagle's algorithm and delayed
        // ACKs add ~40 ms to every keep-alive call. Read once by the JDK, so it must be set before the first server.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final WixApi api;
    private final AdminApi admin;
    private final URI baseUri;

    private WixSandbox(SandboxConfig config) throws IOException {
        this.api = new WixApi(config.scenario(), config.clock());
        this.admin = new AdminApi(this);
        this.server = HttpServer.create(new InetSocketAddress(config.bindAddress(), config.port()), 0);
        AtomicInteger threadNo = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(config.threads(), r -> {
            Thread t = new Thread(r, "wix-sandbox-http-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        String host = server.getAddress().getAddress().isAnyLocalAddress() ? "127.0.0.1"
                : server.getAddress().getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        this.baseUri = URI.create("http://" + host + ":" + server.getAddress().getPort());
    }

    /** Starts a sandbox; with port 0 it listens on a free ephemeral port. */
    public static WixSandbox start(SandboxConfig config) {
        try {
            WixSandbox sandbox = new WixSandbox(config);
            log.info("Wix sandbox started baseUrl={} threads={}", sandbox.baseUri, config.threads());
            return sandbox;
        } catch (IOException e) {
            throw new UncheckedIOException("can't start the Wix sandbox on " + config.bindAddress() + ":"
                    + config.port(), e);
        }
    }

    /** Starts a sandbox with {@link SandboxConfig#defaults()}. */
    public static WixSandbox start() {
        return start(SandboxConfig.defaults());
    }

    /** {@code http://127.0.0.1:<port>}, without a trailing slash: the stand-in for {@code https://www.wixapis.com}. */
    public String baseUrl() {
        return baseUri.toString();
    }

    public URI baseUri() {
        return baseUri;
    }

    public int port() {
        return baseUri.getPort();
    }

    /** Every Wix API call served so far, oldest first. */
    public List<CallRecord> calls() {
        return api.calls();
    }

    /** Calls about {@code domain} (normalized) that had {@code effect}. */
    public long count(Effect effect, String domain) {
        String d = DomainNames.normalize(domain);
        return calls().stream().filter(c -> c.effect() == effect && d.equals(c.domain())).count();
    }

    /** Calls to {@code endpoint}. */
    public List<CallRecord> calls(Endpoint endpoint) {
        return calls().stream().filter(c -> c.endpoint() == endpoint).toList();
    }

    public void clearCalls() {
        api.clearCalls();
    }

    /**
     * The site owner set the records at the external registrar: a POINTING domain or subdomain moves to IN_PROGRESS
     * now (C10). No effect on a NAMESERVERS domain, whose propagation follows its zone.
     *
     * @throws NoSuchElementException when the domain is not connected
     */
    public DomainSnapshot ownerSetRecords(String domain) {
        return api.ownerSetRecords(domain)
                .orElseThrow(() -> new NoSuchElementException("domain not connected: " + domain));
    }

    /** The internal state of a connected domain, including its zone. */
    public Optional<DomainSnapshot> domain(String domain) {
        return api.snapshot(domain);
    }

    /** All connected domains, in creation order. */
    public List<DomainSnapshot> domains() {
        return api.snapshots();
    }

    /** The internal state of a Resellers package by id, cancelled or not (C23). */
    public Optional<PackageSnapshot> resellerPackage(String packageId) {
        return api.packageSnapshot(packageId);
    }

    /** All packages created so far, in creation order. */
    public List<PackageSnapshot> packages() {
        return api.packageSnapshots();
    }

    /** A copy of the current faults. */
    public Faults faults() {
        return api.faults();
    }

    /** Replaces the faults (re-seeding the dice when {@link Faults#seed} is set). */
    public void setFaults(Faults faults) {
        api.setFaults(faults);
        log.info("Wix sandbox faults replaced");
    }

    /** A copy of the current scenario. */
    public Scenario scenario() {
        return api.scenario();
    }

    /** Replaces the scenario; the state (domains, zones, packages, calls) stays. */
    public void setScenario(Scenario scenario) {
        api.setScenario(scenario);
        log.info("Wix sandbox scenario replaced");
    }

    /** Changes a copy of the current scenario and puts it in place atomically, e.g. {@code s -> s.allSitesPremium = true}. */
    public synchronized void updateScenario(Consumer<Scenario> change) {
        Scenario copy = api.scenario();
        change.accept(copy);
        api.setScenario(copy);
    }

    /** Forgets all domains, zones, packages, idempotency keys, rate windows and calls; restores the start scenario. */
    public void reset() {
        api.reset();
        log.info("Wix sandbox reset");
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("Wix sandbox stopped baseUrl={}", baseUri);
    }

    // ------------------------------------------------------------------ HTTP

    private void handle(HttpExchange exchange) {
        try {
            String path = exchange.getRequestURI().getRawPath();
            if (path.equals(ADMIN_PREFIX) || path.startsWith(ADMIN_PREFIX + "/")) {
                admin.handle(exchange);
            } else {
                handleWix(exchange);
            }
        } catch (Exception e) {
            log.warn("Wix sandbox failed to answer method={} path={}", exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(), e);
            try {
                send(exchange, 500, "{\"message\":\"\",\"details\":{}}", Map.of());
            } catch (IOException | RuntimeException ignored) {
                // the response may have been started already; the connection is closed below
            }
        } finally {
            exchange.close();
        }
    }

    private void handleWix(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        byte[] bytes = exchange.getRequestBody().readAllBytes();
        Endpoint endpoint = null;
        String pathParam = null;
        boolean pathKnown = false;
        for (Endpoint e : Endpoint.values()) {
            String match = e.match(path);
            if (match != null) {
                pathKnown = true;
                if (e.method().equals(method)) {
                    endpoint = e;
                    pathParam = match;
                    break;
                }
            }
        }
        JsonNode body = null;
        String bodyError = null;
        if (bytes.length > 0) {
            try {
                body = Json.tree(new String(bytes, StandardCharsets.UTF_8));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                bodyError = e.getOriginalMessage();
            }
        }
        var headers = exchange.getRequestHeaders();
        String idempotencyKey = endpoint == Endpoint.CREATE_PACKAGE ? Json.text(body, "idempotencyKey") : null;
        WixApi.Call call = new WixApi.Call(endpoint, method, path,
                WixApi.parseQuery(exchange.getRequestURI().getRawQuery()), headers.getFirst("Authorization"),
                headers.getFirst("wix-account-id"), headers.getFirst("wix-site-id"), body, bodyError,
                endpoint == null ? null : WixApi.domainOf(endpoint, pathParam, body), idempotencyKey,
                endpoint == Endpoint.CANCEL_PACKAGE ? pathParam : null);

        if (endpoint == null) {
            WixError e = pathKnown
                    ? WixError.application(405, "METHOD_NOT_ALLOWED", method + " is not allowed on " + path + ".")
                    : WixError.application(404, "NOT_FOUND", "No Wix endpoint at " + path + ".");
            reply(exchange, call, WixApi.Reply.of(e), 0);
            return;
        }

        WixApi.FaultDecision fault = api.decideFaults(call);
        if (fault.latencyMs() > 0) {
            try {
                Thread.sleep(fault.latencyMs());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (fault.drop()) {
            CallRecord r = api.record(call, 0, "CONNECTION_DROPPED", Effect.NONE, "DROP", fault.latencyMs());
            log.debug("Wix sandbox dropped the connection seq={} endpoint={} domain={}", r.seq(), endpoint,
                    call.domain());
            // Closing an exchange before sendResponseHeaders closes the TCP connection: the client reads EOF.
            exchange.close();
            return;
        }
        WixApi.Reply reply = fault.error() != null ? WixApi.Reply.of(fault.error()) : api.serve(call);
        reply(exchange, call, reply, fault.latencyMs());
    }

    private void reply(HttpExchange exchange, WixApi.Call call, WixApi.Reply reply, long latencyMs)
            throws IOException {
        CallRecord r = api.record(call, reply.status(), reply.code(), reply.effect(), reply.fault(), latencyMs);
        log.debug("Wix call seq={} method={} path={} endpoint={} account={} domain={} status={} code={} effect={}"
                        + " fault={}", r.seq(), r.method(), r.path(), r.endpoint(), r.accountId(), r.domain(),
                r.status(), r.code(), r.effect(), r.fault());
        send(exchange, reply.status(), reply.body(),
                reply.retryAfterSeconds() == null ? Map.of()
                        : Map.of("Retry-After", String.valueOf(reply.retryAfterSeconds())));
    }

    static void send(HttpExchange exchange, int status, String body, Map<String, String> headers)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.getResponseBody().close();
    }

    // package-private access for the admin API
    WixApi api() {
        return api;
    }
}
