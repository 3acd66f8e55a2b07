package io.domainlink.wix;

import java.time.Duration;

/** How the client waits between retry attempts; replaceable so tests can record or skip the waits. */
@FunctionalInterface
public interface Sleeper {
  void sleep(Duration duration) throws InterruptedException;

  /** {@link Thread#sleep(Duration)}. */
  static Sleeper system() {
    return d -> {
      if (!d.isZero() && !d.isNegative()) {
        Thread.sleep(d.toMillis(), (int) (d.toNanosPart() % 1_000_000));
      }
    };
  }
}
