package io.domainlink.bench;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.domainlink.connector.AfterWixCall;
import io.domainlink.connector.ConnectionWorkflow;
import io.domainlink.connector.Outcome;
import io.domainlink.wix.ApiKey;
import io.domainlink.wix.ConnectedDomain;
import io.domainlink.wix.WixClient;
import io.domainlink.wix.WixRateLimiter;
import io.domainlink.wix.sandbox.Scenario;

/**
 * The Wix limit beside the pipeline (item 2b): the same Wix calls the pipeline makes per request — domain-connector's
 * own {@link ConnectionWorkflow} (Create Connected Domain, Get Setup Info, and for NAMESERVERS Preview / Get / Update
 * DNS Zone) then the watcher's one Get Connected Domain — made by a plain loop of {@code concurrency} threads (the
 * connector's {@code max.in.flight}) against the same sandbox, with no Kafka at all and no rate limit.
 */
final class BareWixLoop {

    record Result(int requests, int connected, long millis) {
        double throughput() {
            return requests * 1000.0 / Math.max(1, millis);
        }
    }

    private BareWixLoop() {
    }

    static Result run(String wixBaseUrl, Workload w, int concurrency) throws InterruptedException {
        try (WixClient wix = WixClient.builder().baseUrl(wixBaseUrl).apiKey(ApiKey.of(Scenario.DEFAULT_API_KEY))
                .rateLimiter(WixRateLimiter.unlimited()).userAgent("domainlink-bench").build()) {
            ConnectionWorkflow workflow = new ConnectionWorkflow(wix, Clock.systemUTC(), AfterWixCall.NONE);
            AtomicInteger next = new AtomicInteger();
            AtomicInteger connected = new AtomicInteger();
            AtomicReference<Throwable> error = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int t = 0; t < concurrency; t++) {
                Thread th = new Thread(() -> {
                    try {
                        for (int i = next.getAndIncrement(); i < w.size(); i = next.getAndIncrement()) {
                            Outcome o = workflow.connect(w.accepted(i, Instant.now()), "bench");
                            if (o.isFailed()) {
                                throw new IllegalStateException("bare Wix loop: " + w.domain(i) + " failed: " + o.failed().getMessage());
                            }
                            ConnectedDomain d = wix.getConnectedDomain(w.account(i), w.domain(i));
                            if ("COMPLETED".equals(String.valueOf(d.dnsPropagationStatus()))) {
                                connected.incrementAndGet();
                            }
                        }
                    } catch (Throwable e) {
                        error.compareAndSet(null, e);
                    }
                }, "bench-wix-" + t);
                threads.add(th);
                th.start();
            }
            for (Thread th : threads) {
                th.join();
            }
            long millis = (System.nanoTime() - t0) / 1_000_000;
            if (error.get() != null) {
                throw new IllegalStateException(error.get().getMessage(), error.get());
            }
            return new Result(w.size(), connected.get(), millis);
        }
    }
}
