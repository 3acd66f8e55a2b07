package io.domainlink.wix;

import com.google.common.cache.CacheBuilder;
import com.google.common.cache.CacheLoader;
import com.google.common.cache.LoadingCache;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The client-side Wix rate limit (choice C16): one limiter per account id, shared by every call of the
 * process, created on first use and kept in a bounded map. Wix allows {@code declaredLimit} requests per
 * {@code period} (200 per minute); the limiter spends {@code safetyFactor} of that (95 %) at a steady
 * pace, one permit every {@code period / (declaredLimit × safetyFactor)} (≈ 316 ms by default), never in
 * bursts, so no sliding window of length {@code period} sees more than the declared limit.
 *
 * <p>Built on resilience4j's {@code AtomicRateLimiter} with {@code limitForPeriod = 1}. Every HTTP attempt
 * of a {@link WixClient}, retries included, takes one permit.
 */
public final class WixRateLimiter {
  public static final int DEFAULT_DECLARED_LIMIT = 200;
  public static final Duration DEFAULT_PERIOD = Duration.ofMinutes(1);
  public static final double DEFAULT_SAFETY_FACTOR = 0.95;
  public static final long DEFAULT_MAX_ACCOUNTS = 10_000;
  public static final Duration DEFAULT_MAX_WAIT = Duration.ofMinutes(10);

  private final int declaredLimit;
  private final Duration period;
  private final double safetyFactor;
  private final Duration permitInterval;
  private final Duration maxWait;
  private final LoadingCache<String, RateLimiter> limiters;

  private WixRateLimiter(Builder b) {
    this.declaredLimit = b.declaredLimit;
    this.period = b.period;
    this.safetyFactor = b.safetyFactor;
    this.maxWait = b.maxWait;
    if (b.unlimited) {
      this.permitInterval = Duration.ZERO;
      this.limiters = null;
      return;
    }
    this.permitInterval = Duration.ofNanos((long) Math.ceil(period.toNanos() / (declaredLimit * safetyFactor)));
    RateLimiterConfig config = RateLimiterConfig.custom()
        .limitForPeriod(1)
        .limitRefreshPeriod(permitInterval)
        .timeoutDuration(maxWait)
        .build();
    // an entry idle for longer than one period (plus the longest queue) is dropped: re-creating it later
    // cannot produce a burst, because its last permit is older than any window that matters
    Duration idle = period.compareTo(Duration.ofMinutes(10)) > 0 ? period : Duration.ofMinutes(10);
    this.limiters = CacheBuilder.newBuilder()
        .maximumSize(b.maxAccounts)
        .expireAfterAccess(idle.plus(maxWait))
        .build(CacheLoader.from(account -> RateLimiter.of("wix-account-" + account, config)));
  }

  /** 200 requests per minute per account, at 95 %. */
  public static WixRateLimiter perAccountDefault() {
    return builder().build();
  }

  /** No limit at all: for benchmarks and tests only. */
  public static WixRateLimiter unlimited() {
    Builder b = builder();
    b.unlimited = true;
    return b.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Takes one permit for {@code accountId}, blocking until it is due.
   *
   * @return how long the caller waited
   * @throws InterruptedException if interrupted while waiting (the permit is then lost, which only slows)
   * @throws IllegalStateException if the permit would be due later than {@code maxWait}
   */
  public Duration acquire(String accountId) throws InterruptedException {
    Objects.requireNonNull(accountId, "accountId");
    if (limiters == null) {
      return Duration.ZERO;
    }
    long nanos = limiters.getUnchecked(accountId).reservePermission();
    if (nanos < 0) {
      throw new IllegalStateException("Wix rate limiter: the next permit for account " + accountId
          + " is due in more than " + maxWait);
    }
    if (nanos > 0) {
      TimeUnit.NANOSECONDS.sleep(nanos);
    }
    return Duration.ofNanos(nanos);
  }

  /**
   * Takes a permit for {@code accountId} only if one is available now. Never blocks. (Under a race it
   * may reserve a slot it then does not use, which only makes the pace more conservative.)
   */
  public boolean tryAcquire(String accountId) {
    Objects.requireNonNull(accountId, "accountId");
    if (limiters == null) {
      return true;
    }
    RateLimiter limiter = limiters.getUnchecked(accountId);
    if (limiter.getMetrics().getAvailablePermissions() <= 0) {
      return false;
    }
    return limiter.reservePermission() == 0;
  }

  public boolean isUnlimited() {
    return limiters == null;
  }

  public int declaredLimit() {
    return declaredLimit;
  }

  public Duration period() {
    return period;
  }

  public double safetyFactor() {
    return safetyFactor;
  }

  /** The steady spacing between two permits of one account (zero when unlimited). */
  public Duration permitInterval() {
    return permitInterval;
  }

  /** How many accounts currently have a limiter. */
  public long trackedAccounts() {
    return limiters == null ? 0 : limiters.size();
  }

  @Override
  public String toString() {
    return isUnlimited() ? "WixRateLimiter[unlimited]"
        : "WixRateLimiter[" + declaredLimit + " per " + period + " declared, " + safetyFactor + " used, one permit every "
            + permitInterval.toMillis() + " ms per account]";
  }

  /** Configuration; every value has a default. */
  public static final class Builder {
    private int declaredLimit = DEFAULT_DECLARED_LIMIT;
    private Duration period = DEFAULT_PERIOD;
    private double safetyFactor = DEFAULT_SAFETY_FACTOR;
    private long maxAccounts = DEFAULT_MAX_ACCOUNTS;
    private Duration maxWait = DEFAULT_MAX_WAIT;
    private boolean unlimited;

    private Builder() {}

    /** Requests Wix allows per {@link #period} and account (200). */
    public Builder declaredLimit(int requests) {
      if (requests < 1) {
        throw new IllegalArgumentException("declaredLimit must be >= 1");
      }
      this.declaredLimit = requests;
      return this;
    }

    /** The window Wix counts in (1 minute). */
    public Builder period(Duration window) {
      if (window == null || window.isZero() || window.isNegative()) {
        throw new IllegalArgumentException("period must be positive");
      }
      this.period = window;
      return this;
    }

    /** The share of the declared limit actually used, in (0, 1] (0.95). */
    public Builder safetyFactor(double factor) {
      if (!(factor > 0 && factor <= 1)) {
        throw new IllegalArgumentException("safetyFactor must be in (0, 1]");
      }
      this.safetyFactor = factor;
      return this;
    }

    /** How many account limiters are kept at most; the least recently used is dropped (10 000). */
    public Builder maxAccounts(long accounts) {
      if (accounts < 1) {
        throw new IllegalArgumentException("maxAccounts must be >= 1");
      }
      this.maxAccounts = accounts;
      return this;
    }

    /** The longest {@link #acquire} waits for a permit before failing (10 minutes). */
    public Builder maxWait(Duration wait) {
      if (wait == null || wait.isNegative()) {
        throw new IllegalArgumentException("maxWait must not be negative");
      }
      this.maxWait = wait;
      return this;
    }

    public WixRateLimiter build() {
      return new WixRateLimiter(this);
    }
  }
}
