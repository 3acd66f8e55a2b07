package io.domainlink.reliability;

import java.time.Duration;

/** Polls a condition until it holds or the timeout passes (then fails naming what was awaited). */
final class Await {

    interface Check {
        boolean ok() throws Exception;
    }

    private Await() {
    }

    static void until(Duration timeout, String what, Check check) {
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
            Pipeline.sleep(200);
        }
        throw new AssertionError("timed out after " + timeout + " waiting for " + what, last);
    }
}
