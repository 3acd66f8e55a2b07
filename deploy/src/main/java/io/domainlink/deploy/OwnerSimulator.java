package io.domainlink.deploy;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.domainlink.events.OwnerAction;
import io.domainlink.events.OwnerActionRequired;

/**
 * Plays the site owner: when the pipeline asks the owner to set records at the registrar (POINTING, SUBDOMAIN), it
 * "sets them" a moment later through the sandbox's admin endpoint {@code POST /_sandbox/owner-records/{domain}}, which
 * is what lets Wix's propagation start for those flows.
 */
final class OwnerSimulator implements Consumer<Object>, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OwnerSimulator.class);

    private final String sandboxUrl;
    private final Duration delay;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "local-stack-owner");
        t.setDaemon(true);
        return t;
    });

    OwnerSimulator(String sandboxUrl, Duration delay) {
        this.sandboxUrl = sandboxUrl;
        this.delay = delay;
    }

    @Override
    public void accept(Object event) {
        if (event instanceof OwnerActionRequired o && o.getAction() == OwnerAction.SET_RECORDS) {
            String domain = o.getContext().getDomain();
            scheduler.schedule(() -> setRecords(domain, 1), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void setRecords(String domain, int attempt) {
        HttpRequest post = HttpRequest.newBuilder(URI.create(sandboxUrl + "/_sandbox/owner-records/"
                        + URLEncoder.encode(domain, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.noBody()).build();
        try {
            int status = http.send(post, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status == 200) {
                LOG.info("owner set the records domain={}", domain);
                return;
            }
            LOG.warn("owner could not set the records domain={} status={} attempt={}", domain, status, attempt);
        } catch (Exception e) {
            LOG.warn("owner could not reach the sandbox domain={} attempt={} error={}", domain, attempt, e.toString());
        }
        if (attempt < 5) {
            scheduler.schedule(() -> setRecords(domain, attempt + 1), 1, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
