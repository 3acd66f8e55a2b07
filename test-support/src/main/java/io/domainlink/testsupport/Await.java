package io.domainlink.testsupport;

import java.time.Duration;

/** Polls a condition every 200 ms until it holds or the timeout passes, then fails naming what was awaited. */
public final class Await {

    /** The condition; an exception counts as "not yet" and becomes the cause of the timeout failure. */
    @FunctionalInterface
    public interface Check {
        boolean ok() throws Exception;
    }

    private Await() {
    }

    public static void until(Duration timeout, String what, Check check) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (check.ok()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            Wait.sleep(Duration.ofMillis(200));
        }
        throw new AssertionError("timed out after " + timeout + " waiting for " + what, last);
    }
}
