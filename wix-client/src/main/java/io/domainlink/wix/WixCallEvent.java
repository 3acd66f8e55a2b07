package io.domainlink.wix;

import java.time.Duration;

/**
 * One HTTP attempt of a Wix call, as reported to a {@link WixCallListener}.
 *
 * @param endpoint which operation
 * @param accountId the {@code wix-account-id} sent
 * @param httpStatus the response status, or 0 when no response arrived (I/O error, timeout)
 * @param wixCode null on success; otherwise the code of {@link WixApiException#wixCode()}
 * @param duration time of the HTTP exchange, excluding the rate limiter wait
 * @param attempt 1 for the first attempt, 2 for the first retry, ...
 * @param rateLimiterWait how long this attempt waited for a permit
 */
public record WixCallEvent(
    WixEndpoint endpoint,
    String accountId,
    int httpStatus,
    String wixCode,
    Duration duration,
    int attempt,
    Duration rateLimiterWait) {

  public boolean success() {
    return wixCode == null;
  }
}
