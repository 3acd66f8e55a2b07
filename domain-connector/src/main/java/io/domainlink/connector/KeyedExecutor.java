package io.domainlink.connector;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks on a pool of threads, one at a time per key and in submission order per key, while tasks of different
 * keys run in parallel. It is bounded by its caller (the connector loop submits at most {@code max.in.flight} tasks
 * that are not yet done), so it has one thread per possible task and never queues behind a slow key.
 *
 * <p>A submitted task can be {@linkplain Task#cancel() cancelled}: if it has not started it never runs; if it is
 * running its thread is interrupted (a blocking Wix call or backoff then ends early).
 *
 * <p>Whatever a task throws ({@link Error}s included) goes to the {@link Failures} given at construction, never only
 * to a log: the key's next task still runs, and the owner decides what the failure means.
 */
final class KeyedExecutor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KeyedExecutor.class);

    /** Told of every throwable a task let escape, on the task's thread. */
    @FunctionalInterface
    interface Failures {
        void failed(Object key, Throwable error);
    }

    private final ThreadPoolExecutor pool;
    private final Failures failures;
    private final Map<Object, Deque<Task>> queues = new HashMap<>(); // guarded by this

    KeyedExecutor(String name, int threads, Failures failures) {
        this.failures = Objects.requireNonNull(failures, "failures");
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
    }

    /** Queues {@code body} behind every earlier task of {@code key}. */
    Task submit(Object key, Runnable body) {
        Objects.requireNonNull(key, "key");
        Task task = new Task(key, body);
        boolean start;
        synchronized (this) {
            Deque<Task> q = queues.computeIfAbsent(key, k -> new ArrayDeque<>());
            q.addLast(task);
            start = q.size() == 1;
        }
        if (start) {
            pool.execute(() -> drain(key));
        }
        return task;
    }

    /** Keys with queued or running tasks. */
    synchronized int activeKeys() {
        return queues.size();
    }

    private void drain(Object key) {
        Task head;
        synchronized (this) {
            head = queues.get(key).peekFirst();
        }
        try {
            head.run();
        } catch (Throwable e) {
            report(key, e);
        }
        boolean more;
        synchronized (this) {
            Deque<Task> q = queues.get(key);
            q.pollFirst();
            more = !q.isEmpty();
            if (!more) {
                queues.remove(key);
            }
        }
        if (more && !pool.isShutdown()) {
            pool.execute(() -> drain(key)); // back of the pool's queue: fair to other keys
        }
    }

    private void report(Object key, Throwable error) {
        try {
            failures.failed(key, error);
        } catch (Throwable e) {
            log.error("Task failed key={} error={} and reporting it failed error={}", key, error.toString(), e.toString(), error);
        }
    }

    /** Interrupts running tasks and stops the threads; queued tasks never run. */
    @Override
    public void close() {
        pool.shutdownNow();
        try {
            if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("Worker threads still running after shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One submitted task. */
    static final class Task {
        private final Object key;
        private final Runnable body;
        private boolean cancelled; // guarded by this
        private Thread runner;     // guarded by this
        private boolean done;      // guarded by this

        Task(Object key, Runnable body) {
            this.key = key;
            this.body = body;
        }

        Object key() {
            return key;
        }

        /** The task will not start, or its thread is interrupted if it is running. */
        synchronized void cancel() {
            cancelled = true;
            if (runner != null) {
                runner.interrupt();
            }
        }

        synchronized boolean isCancelled() {
            return cancelled;
        }

        synchronized boolean isDone() {
            return done;
        }

        void run() {
            synchronized (this) {
                if (cancelled) {
                    done = true;
                    return;
                }
                runner = Thread.currentThread();
            }
            try {
                body.run();
            } finally {
                synchronized (this) {
                    runner = null;
                    done = true;
                    Thread.interrupted(); // a cancel that came late must not leak into the next task
                }
            }
        }
    }
}
