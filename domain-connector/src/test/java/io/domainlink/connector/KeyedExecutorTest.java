package io.domainlink.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KeyedExecutorTest {

    final List<Throwable> failures = new CopyOnWriteArrayList<>();
    final KeyedExecutor executor = new KeyedExecutor("test-worker", 8, (key, error) -> failures.add(error));

    @AfterEach
    void close() {
        executor.close();
    }

    @Test
    void runsOneKeysTasksOneAtATimeInSubmissionOrder() throws Exception {
        List<Integer> seen = new CopyOnWriteArrayList<>();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(50);
        for (int i = 0; i < 50; i++) {
            int n = i;
            executor.submit("example.com", () -> {
                maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                sleep(1);
                seen.add(n);
                running.decrementAndGet();
                done.countDown();
            });
        }

        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 50).boxed().toList());
        assertThat(maxRunning.get()).isEqualTo(1);
    }

    @Test
    void whatATaskThrowsErrorsIncludedIsReportedAndTheKeysNextTaskStillRuns() throws Exception {
        CountDownLatch next = new CountDownLatch(1);
        StackOverflowError error = new StackOverflowError("deep");
        executor.submit("k", () -> {
            throw error;
        });
        executor.submit("k", next::countDown);

        assertThat(next.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(failures).containsExactly(error);
    }

    @Test
    void otherKeysProceedWhileOneKeyIsStuck() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch others = new CountDownLatch(2);
        List<String> order = new CopyOnWriteArrayList<>();
        executor.submit("stuck.com", () -> await(release));
        executor.submit("stuck.com", () -> order.add("stuck-second"));
        executor.submit("a.com", () -> { order.add("a"); others.countDown(); });
        executor.submit("b.com", () -> { order.add("b"); others.countDown(); });

        assertThat(others.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(order).containsExactlyInAnyOrder("a", "b");
        release.countDown();
        waitUntil(() -> order.contains("stuck-second"));
        assertThat(executor.activeKeys()).isZero();
    }

    @Test
    void cancelledQueuedTaskNeverRunsAndARunningOneIsInterrupted() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean queuedRan = new AtomicBoolean();
        KeyedExecutor.Task running = executor.submit("k", () -> {
            started.countDown();
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        });
        KeyedExecutor.Task queued = executor.submit("k", () -> queuedRan.set(true));
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

        queued.cancel();
        running.cancel();
        AtomicBoolean after = new AtomicBoolean();
        executor.submit("k", () -> after.set(!Thread.currentThread().isInterrupted()));

        waitUntil(after::get);
        assertThat(interrupted).isTrue();
        assertThat(queuedRan).isFalse();
        assertThat(queued.isDone()).isTrue();
    }

    static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 5 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
