package io.domainlink.common.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

class OpsServerTest {

    final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> get(OpsServer s, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void reportsReadinessAsItChangesAndServesPrometheusMetrics() throws Exception {
        PrometheusMeterRegistry registry = OpsServer.newRegistry("test-service");
        registry.counter("domainlink.events.out", "topic", "domains.accepted").increment(3);
        AtomicBoolean ready = new AtomicBoolean(false);
        try (OpsServer s = OpsServer.start(0, registry, () -> true, ready::get)) {
            assertThat(get(s, "/health/live").statusCode()).isEqualTo(200);
            assertThat(get(s, "/health/ready").statusCode()).isEqualTo(503);
            ready.set(true);
            assertThat(get(s, "/health/ready").body()).contains("UP");
            String metrics = get(s, "/metrics").body();
            assertThat(metrics).contains("domainlink_events_out_total{service=\"test-service\",topic=\"domains.accepted\"} 3.0");
            assertThat(metrics).contains("jvm_memory_used_bytes");
        }
    }

    @Test
    void aCheckThatIsDownSaysWhyInTheBody() throws Exception {
        PrometheusMeterRegistry registry = OpsServer.newRegistry("test-service");
        try (OpsServer s = OpsServer.start(0, registry, () -> OpsServer.Health.UP,
                () -> OpsServer.Health.down("domains.accepted-3: a record has been uncommitted for 1800 s \"quoted\""))) {
            HttpResponse<String> ready = get(s, "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).isEqualTo(
                    "{\"status\":\"DOWN\",\"reason\":\"domains.accepted-3: a record has been uncommitted for 1800 s \\\"quoted\\\"\"}");
            assertThat(get(s, "/health").body()).contains("uncommitted for 1800 s");
            assertThat(get(s, "/health/live").body()).isEqualTo("{\"status\":\"UP\"}");
        }
    }

    @Test
    void aTakenPortIsAClearError() {
        PrometheusMeterRegistry registry = OpsServer.newRegistry("x");
        try (OpsServer first = OpsServer.start(0, registry, () -> true, () -> true)) {
            assertThatThrownBy(() -> OpsServer.start(first.port(), registry, () -> true, () -> true))
                    .hasMessageContaining("already in use");
        }
    }
}
