package io.domainlink.wix;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link WixClient} repeats a call that failed with a retryable error (I/O, timeout, 429, 5xx).
 * Waits are capped exponential backoff with full jitter: before retry {@code n} (after {@code n} failed
 * attempts) the client waits a uniformly random time in {@code [0, min(maxBackoff, initialBackoff ×
 * multiplier^(n-1))]}. When the failed answer carried {@code Retry-After}, it waits
 * {@code max(Retry-After, that jittered backoff)}, which is never more than {@code maxBackoff + Retry-After}.
 * If {@code maxElapsed} is set and the next wait would end past it (counted from the first attempt), the
 * client gives up instead of waiting.
 *
 * @param maxAttempts total HTTP attempts including the first (1 = no retries)
 */
public record RetryPolicy(
    int maxAttempts, Duration initialBackoff, Duration maxBackoff, double multiplier, Optional<Duration> maxElapsed) {

  public static final int DEFAULT_MAX_ATTEMPTS = 6;
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(200);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);
  public static final double DEFAULT_MULTIPLIER = 2.0;

  public RetryPolicy {
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    maxElapsed = maxElapsed == null ? Optional.empty() : maxElapsed;
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("need 0 <= initialBackoff <= maxBackoff, was " + initialBackoff + ", " + maxBackoff);
    }
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("multiplier must be >= 1, was " + multiplier);
    }
    if (maxElapsed.isPresent() && maxElapsed.get().isNegative()) {
      throw new IllegalArgumentException("maxElapsed must not be negative");
    }
  }

  /** 6 attempts, 200 ms initial backoff, ×2, capped at 10 s, no elapsed-time limit. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(DEFAULT_MAX_ATTEMPTS, DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF, DEFAULT_MULTIPLIER,
        Optional.empty());
  }

  /**
   * One attempt, no retry: a retryable failure is thrown as the plain {@link WixApiException} (not
   * {@link WixRetriesExhaustedException}) so a caller that reschedules (the propagation watcher) sees
   * {@code retryable()} and {@code retryAfter()} directly.
   */
  public static RetryPolicy none() {
    return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 1.0, Optional.empty());
  }

  public RetryPolicy withMaxAttempts(int attempts) {
    return new RetryPolicy(attempts, initialBackoff, maxBackoff, multiplier, maxElapsed);
  }

  public RetryPolicy withBackoff(Duration initial, Duration max, double factor) {
    return new RetryPolicy(maxAttempts, initial, max, factor, maxElapsed);
  }

  public RetryPolicy withMaxElapsed(Duration limit) {
    return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, multiplier, Optional.ofNullable(limit));
  }

  /** The upper bound of the jittered backoff after {@code failedAttempts} failures (1-based). */
  public Duration backoffCeiling(int failedAttempts) {
    if (failedAttempts < 1) {
      throw new IllegalArgumentException("failedAttempts must be >= 1");
    }
    double nanos = initialBackoff.toNanos() * Math.pow(multiplier, failedAttempts - 1);
    long capped = nanos >= maxBackoff.toNanos() ? maxBackoff.toNanos() : (long) nanos;
    return Duration.ofNanos(capped);
  }

  /**
   * The wait before the next attempt after {@code failedAttempts} failures.
   *
   * @param retryAfter the failed answer's Retry-After, if any
   * @param random01 a uniform random number in [0, 1) (the jitter)
   */
  public Duration delayAfter(int failedAttempts, Optional<Duration> retryAfter, double random01) {
    if (random01 < 0 || random01 >= 1) {
      throw new IllegalArgumentException("random01 must be in [0, 1)");
    }
    Duration jittered = Duration.ofNanos((long) (backoffCeiling(failedAttempts).toNanos() * random01));
    if (retryAfter.isEmpty() || retryAfter.get().isNegative()) {
      return jittered;
    }
    Duration ra = retryAfter.get();
    Duration wait = ra.compareTo(jittered) >= 0 ? ra : jittered;
    Duration limit = maxBackoff.plus(ra);
    return wait.compareTo(limit) > 0 ? limit : wait;
  }
}
