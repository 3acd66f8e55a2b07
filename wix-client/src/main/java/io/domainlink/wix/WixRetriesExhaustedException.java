package io.domainlink.wix;

/**
 * Every attempt the {@link RetryPolicy} allowed failed with a retryable error (or the next wait would
 * pass {@code maxElapsed}). Carries the classification of the last error ({@link #httpStatus()},
 * {@link #wixCode()}, {@link #retryAfter()}, ...) and that error as {@link #lastError()} and cause.
 * A caller that retries inline should treat this as terminal for the call (e.g. RETRIES_EXHAUSTED).
 */
public class WixRetriesExhaustedException extends WixApiException {
  private static final long serialVersionUID = 1L;

  private final int attempts;

  public WixRetriesExhaustedException(int attempts, WixApiException lastError) {
    super(lastError.endpoint().metricName() + ": gave up after " + attempts + " attempt" + (attempts == 1 ? "" : "s")
        + "; last error: " + lastError.getMessage(), lastError);
    this.attempts = attempts;
  }

  /** How many HTTP attempts were made. */
  public int attempts() {
    return attempts;
  }

  public WixApiException lastError() {
    return (WixApiException) getCause();
  }
}
