package io.domainlink.common.ops;

import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The operations endpoint of a service instance: {@code /health/live}, {@code /health/ready} (200 or 503 with a
 * JSON body, {@code {"status":"DOWN","reason":"..."}} when the check names why) and {@code /metrics} (Prometheus text
 * format from Micrometer).
 */
public final class OpsServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OpsServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One answer of a health check: up, or down with the reason an operator reads in the response body. */
    public record Health(boolean up, String reason) {

        public static final Health UP = new Health(true, null);

        public static Health down(String reason) {
            return new Health(false, reason);
        }

        /** Up, or down for {@code reason}. */
        public static Health of(boolean up, String reason) {
            return up ? UP : down(reason);
        }

        /** Up when both are; otherwise the first one that is down. */
        public Health and(Health other) {
            return up ? other : this;
        }
    }

    private final HttpServer server;

    private OpsServer(HttpServer server) {
        this.server = server;
    }

    /** A Prometheus registry with the service tag and JVM metrics bound. */
    public static PrometheusMeterRegistry newRegistry(String service) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("service", service);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        return registry;
    }

    /**
     * Starts the endpoint on {@code port} (0 picks a free one).
     *
     * @param live whether the process is alive (false ⇒ the platform should restart it)
     * @param ready whether the instance does useful work (its Kafka client or stream is running and assigned)
     */
    public static OpsServer start(int port, PrometheusMeterRegistry registry, BooleanSupplier live, BooleanSupplier ready) {
        return start(port, registry, () -> Health.of(live.getAsBoolean(), null), () -> Health.of(ready.getAsBoolean(), null));
    }

    /**
     * Starts the endpoint on {@code port} (0 picks a free one), with checks that say why they are down.
     *
     * @param live whether the process is alive (down ⇒ the platform should restart it)
     * @param ready whether the instance does useful work
     */
    public static OpsServer start(int port, PrometheusMeterRegistry registry, Supplier<Health> live, Supplier<Health> ready) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(port), 0);
        } catch (BindException e) {
            throw new IllegalStateException("health/metrics port " + port + " is already in use (set HTTP_PORT)", e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the health/metrics endpoint on port " + port, e);
        }
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "ops-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/health/live", ex -> health(ex, live.get()));
        server.createContext("/health/ready", ex -> health(ex, ready.get()));
        server.createContext("/health", ex -> health(ex, live.get().and(ready.get())));
        server.createContext("/metrics", ex -> reply(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        server.start();
        log.info("ops endpoint listening port={}", server.getAddress().getPort());
        return new OpsServer(server);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void health(HttpExchange ex, Health health) throws IOException {
        reply(ex, health.up() ? 200 : 503, "application/json", body(health));
    }

    static String body(Health health) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("status", health.up() ? "UP" : "DOWN");
        if (!health.up() && health.reason() != null) {
            body.put("reason", health.reason());
        }
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a health answer", e);
        }
    }

    private static void reply(HttpExchange ex, int status, String contentType, String body) throws IOException {
        try (ex) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", contentType);
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
