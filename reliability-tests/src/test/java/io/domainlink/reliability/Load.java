package io.domainlink.reliability;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.domainlink.events.ConnectionRequested;

/**
 * Publishes requests upstream at a steady rate on its own thread while a scenario injects its faults: in batches of
 * {@code batch} every {@code 1000 * batch / perSecond} ms. {@link #await()} waits until all are acknowledged.
 */
final class Load implements AutoCloseable {

    private final Thread thread;
    private final AtomicInteger published = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    Load(Upstream upstream, List<ConnectionRequested> requests, int perSecond, int batch) {
        long pauseMs = 1000L * batch / perSecond;
        this.thread = new Thread(() -> {
            try {
                for (int i = 0; i < requests.size(); i += batch) {
                    long t0 = System.nanoTime();
                    upstream.requests(requests.subList(i, Math.min(requests.size(), i + batch)));
                    published.set(Math.min(requests.size(), i + batch));
                    long left = pauseMs - (System.nanoTime() - t0) / 1_000_000;
                    if (left > 0) {
                        Thread.sleep(left);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "reliability-load");
        thread.setDaemon(true);
        thread.start();
    }

    int published() {
        return published.get();
    }

    /** Waits until every request is acknowledged by the brokers; rethrows a publishing failure. */
    void await() throws InterruptedException {
        thread.join();
        if (failure.get() != null) {
            throw new AssertionError("upstream publishing failed", failure.get());
        }
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
