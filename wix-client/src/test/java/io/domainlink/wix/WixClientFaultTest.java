package io.domainlink.wix;

import static io.domainlink.wix.Fixtures.ACCOUNT;
import static io.domainlink.wix.Fixtures.SITE;
import static io.domainlink.wix.Fixtures.appError;
import static io.domainlink.wix.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

/**
 * Scripted Wix faults: each test asserts how many requests reached the server, what was thrown and how
 * long the client waited (recorded by the sleeper, or measured on the wall clock).
 */
class WixClientFaultTest {

  @StartStop
  public final MockWebServer server = new MockWebServer();

  private final RecordingSleeper sleeper = new RecordingSleeper();
  private final RecordingListener listener = new RecordingListener();

  private static final String OK_DOMAIN = "{\"connectedDomain\": {\"id\": \"mysite.com\", \"domain\": \"mysite.com\"}}";
  private static final RetryPolicy POLICY = RetryPolicy.defaults(); // 6 attempts, 200 ms, x2, cap 10 s

  private WixClient client(RetryPolicy policy) {
    return Fixtures.client(server).retryPolicy(policy).sleeper(sleeper).listener(listener).build();
  }

  private static MockResponse tooManyRequests(String retryAfter) {
    MockResponse.Builder b = new MockResponse.Builder().code(429).addHeader("Content-Type", "application/json")
        .body(appError("RESOURCE_EXHAUSTED", "too many requests"));
    if (retryAfter != null) {
      b.addHeader("Retry-After", retryAfter);
    }
    return b.build();
  }

  @Test
  void tooManyRequestsWithoutRetryAfterIsRetriedAfterAJitteredBackoff() {
    server.enqueue(tooManyRequests(null));
    server.enqueue(json(200, OK_DOMAIN));

    try (WixClient c = client(POLICY)) {
      assertThat(c.getConnectedDomain(ACCOUNT, "mysite.com").domain()).isEqualTo("mysite.com");
    }

    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(sleeper.sleeps()).singleElement().satisfies(d -> assertThat(d).isBetween(Duration.ZERO, Duration.ofMillis(200)));
    assertThat(listener.events()).extracting(WixCallEvent::httpStatus).containsExactly(429, 200);
    assertThat(listener.events()).extracting(WixCallEvent::wixCode).containsExactly("RESOURCE_EXHAUSTED", null);
    assertThat(listener.events()).extracting(WixCallEvent::attempt).containsExactly(1, 2);
  }

  @Test
  void tooManyRequestsWithRetryAfterWaitsAtLeastThatLong() {
    server.enqueue(tooManyRequests("3"));
    server.enqueue(tooManyRequests("2"));
    server.enqueue(json(200, OK_DOMAIN));

    try (WixClient c = client(POLICY)) {
      c.getConnectedDomain(ACCOUNT, "mysite.com");
    }

    assertThat(server.getRequestCount()).isEqualTo(3);
    assertThat(sleeper.sleeps()).hasSize(2);
    // max(Retry-After, jittered backoff), never more than cap + Retry-After
    assertThat(sleeper.sleeps().get(0)).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(3).plus(POLICY.maxBackoff()));
    assertThat(sleeper.sleeps().get(1)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(2).plus(POLICY.maxBackoff()));
  }

  @Test
  void retryAfterIsHonouredOnTheRealClock() {
    server.enqueue(tooManyRequests("1"));
    server.enqueue(json(200, OK_DOMAIN));

    long t0 = System.nanoTime();
    try (WixClient c = Fixtures.client(server).retryPolicy(POLICY).sleeper(Sleeper.system()).build()) {
      c.getConnectedDomain(ACCOUNT, "mysite.com");
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);

    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(took).isBetween(Duration.ofMillis(1000), Duration.ofMillis(2500));
  }

  @Test
  void cancelPackageIsRetriedOnServiceUnavailableAndReportedToTheListenerUnderItsOwnEndpoint() {
    server.enqueue(new MockResponse.Builder().code(503).build());
    server.enqueue(json(200, "{\"package\": {\"id\": \"p-1\", \"productInstances\": [{\"status\": \"CANCELED\"}]}}"));

    ResellerPackage pkg;
    try (WixClient c = client(POLICY)) {
      pkg = c.cancelPackage(ACCOUNT, "p-1");
    }

    assertThat(pkg.canceled()).isTrue();
    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(sleeper.sleeps()).hasSize(1);
    assertThat(listener.events()).extracting(WixCallEvent::endpoint)
        .containsExactly(WixEndpoint.CANCEL_PACKAGE, WixEndpoint.CANCEL_PACKAGE);
    assertThat(listener.events()).extracting(WixCallEvent::httpStatus).containsExactly(503, 200);
    assertThat(listener.events()).extracting(WixCallEvent::attempt).containsExactly(1, 2);
  }

  @Test
  void cancelPackageOfAnUnknownPackageIsAPermanentNotFoundWithoutRetry() {
    server.enqueue(json(404, appError("PACKAGE_NOT_FOUND", "Package with id p-2 was not found.")));

    WixApiException e;
    try (WixClient c = client(POLICY)) {
      e = catchThrowableOfType(WixApiException.class, () -> c.cancelPackage(ACCOUNT, "p-2"));
    }

    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(e.httpStatus()).isEqualTo(404);
    assertThat(e.wixCode()).isEqualTo("PACKAGE_NOT_FOUND");
    assertThat(e.retryable()).isFalse();
    assertThat(e.endpoint()).isEqualTo(WixEndpoint.CANCEL_PACKAGE);
    assertThat(sleeper.sleeps()).isEmpty();
  }

  @Test
  void serviceUnavailableThenSuccessIsOneRetry() {
    server.enqueue(new MockResponse.Builder().code(503).build());
    server.enqueue(json(200, OK_DOMAIN));

    try (WixClient c = client(POLICY)) {
      assertThat(c.getConnectedDomain(ACCOUNT, "mysite.com").id()).isEqualTo("mysite.com");
    }

    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(sleeper.sleeps()).singleElement().satisfies(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofMillis(200)));
  }

  @Test
  void internalErrorsUntilTheBudgetIsSpentThrowRetriesExhausted() {
    for (int i = 0; i < 10; i++) {
      server.enqueue(json(500, "{\"message\": \"\", \"details\": {}}"));
    }

    WixRetriesExhaustedException e;
    try (WixClient c = client(POLICY)) {
      e = catchThrowableOfType(WixRetriesExhaustedException.class, () -> c.getConnectedDomain(ACCOUNT, "mysite.com"));
    }

    assertThat(server.getRequestCount()).isEqualTo(6);
    assertThat(e.attempts()).isEqualTo(6);
    assertThat(e.httpStatus()).isEqualTo(500);
    assertThat(e.wixCode()).isEqualTo("INTERNAL");
    assertThat(e.lastError()).isNotInstanceOf(WixRetriesExhaustedException.class).extracting(WixApiException::httpStatus).isEqualTo(500);
    assertThat(e.getMessage()).contains("gave up after 6 attempts");
    List<Duration> sleeps = sleeper.sleeps();
    assertThat(sleeps).hasSize(5);
    for (int i = 0; i < sleeps.size(); i++) {
      assertThat(sleeps.get(i)).as("backoff %d", i + 1).isBetween(Duration.ZERO, POLICY.backoffCeiling(i + 1));
    }
    assertThat(sleeper.total()).isLessThanOrEqualTo(Duration.ofMillis(200 + 400 + 800 + 1600 + 3200));
    assertThat(listener.events()).extracting(WixCallEvent::attempt).containsExactly(1, 2, 3, 4, 5, 6);
  }

  @Test
  void permanentErrorsAreNotRetried() {
    server.enqueue(json(409, appError("DOMAINS_ALREADY_EXISTS", "Domain `mysite.com` with different settings is already connected.")));

    WixApiException e;
    try (WixClient c = client(POLICY)) {
      e = catchThrowableOfType(WixApiException.class, () -> c.createConnectedDomain(ACCOUNT, SITE,
          ConnectedDomain.toCreate("mysite.com", ConnectionType.POINTING, AssignmentType.PRIMARY)));
    }

    assertThat(e).isNotInstanceOf(WixRetriesExhaustedException.class);
    assertThat(e.wixCode()).isEqualTo("DOMAINS_ALREADY_EXISTS");
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(sleeper.sleeps()).isEmpty();
  }

  @Test
  void withoutRetriesARetryableErrorIsThrownAsIsForTheCallerToReschedule() {
    server.enqueue(tooManyRequests("30"));

    WixApiException e;
    try (WixClient c = client(POLICY).withRetryPolicy(RetryPolicy.none())) {
      e = catchThrowableOfType(WixApiException.class, () -> c.getConnectedDomain(ACCOUNT, "mysite.com"));
    }

    assertThat(e).isNotInstanceOf(WixRetriesExhaustedException.class);
    assertThat(e.retryable()).isTrue();
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(sleeper.sleeps()).isEmpty();
  }

  @Test
  void aRetryAfterBeyondMaxElapsedGivesUpInsteadOfWaiting() {
    server.enqueue(tooManyRequests("120"));

    WixRetriesExhaustedException e;
    try (WixClient c = client(POLICY.withMaxElapsed(Duration.ofSeconds(20)))) {
      e = catchThrowableOfType(WixRetriesExhaustedException.class, () -> c.getConnectedDomain(ACCOUNT, "mysite.com"));
    }

    assertThat(e.attempts()).isEqualTo(1);
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(120));
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(sleeper.sleeps()).isEmpty();
  }

  @Test
  void slowHeadersPastTheReadTimeoutAreIoErrorsRetriedByThePolicy() {
    server.enqueue(new MockResponse.Builder().headersDelay(1, TimeUnit.SECONDS).body(OK_DOMAIN).build());
    server.enqueue(new MockResponse.Builder().headersDelay(1, TimeUnit.SECONDS).body(OK_DOMAIN).build());

    long t0 = System.nanoTime();
    WixRetriesExhaustedException e;
    try (WixClient c = Fixtures.client(server).readTimeout(Duration.ofMillis(300)).retryPolicy(POLICY.withMaxAttempts(2))
        .sleeper(sleeper).listener(listener).build()) {
      e = catchThrowableOfType(WixRetriesExhaustedException.class, () -> c.getConnectedDomain(ACCOUNT, "mysite.com"));
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);

    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(e.attempts()).isEqualTo(2);
    assertThat(e.httpStatus()).isZero();
    assertThat(e.wixCode()).isEqualTo(WixApiException.IO_ERROR);
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).containsIgnoringCase("timeout");
    // two read timeouts of 300 ms each, the backoff recorded but not slept
    assertThat(took).isBetween(Duration.ofMillis(600), Duration.ofMillis(1900));
    assertThat(sleeper.sleeps()).hasSize(1);
    assertThat(listener.events()).allSatisfy(ev -> {
      assertThat(ev.httpStatus()).isZero();
      assertThat(ev.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(290));
    });
  }

  @Test
  void aConnectionDroppedDuringAPostIsNotResentByOkHttp() {
    server.enqueue(new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());

    WixApiException e;
    try (WixClient c = client(RetryPolicy.none())) {
      e = catchThrowableOfType(WixApiException.class, () -> c.createConnectedDomain(ACCOUNT, SITE,
          ConnectedDomain.toCreate("mysite.com", ConnectionType.NAMESERVERS, AssignmentType.PRIMARY)));
    }

    assertThat(server.getRequestCount()).as("requests that reached the server").isEqualTo(1);
    assertThat(e.wixCode()).isEqualTo(WixApiException.IO_ERROR);
    assertThat(e.httpStatus()).isZero();
    assertThat(e.retryable()).isTrue();
    assertThat(listener.events()).singleElement().extracting(WixCallEvent::wixCode).isEqualTo(WixApiException.IO_ERROR);
  }

  @Test
  void aConnectionDroppedDuringAPostIsRetriedExplicitlyAndCounted() throws Exception {
    server.enqueue(new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
    server.enqueue(json(200, OK_DOMAIN));

    try (WixClient c = client(POLICY)) {
      assertThat(c.createConnectedDomain(ACCOUNT, SITE,
          ConnectedDomain.toCreate("mysite.com", ConnectionType.NAMESERVERS, AssignmentType.PRIMARY)).domain())
          .isEqualTo("mysite.com");
    }

    assertThat(server.getRequestCount()).isEqualTo(2);
    String first = server.takeRequest().getBody().utf8();
    assertThat(server.takeRequest().getBody().utf8()).isEqualTo(first);
    assertThat(listener.events()).extracting(WixCallEvent::attempt).containsExactly(1, 2);
    assertThat(listener.events()).extracting(WixCallEvent::httpStatus).containsExactly(0, 200);
    assertThat(sleeper.sleeps()).singleElement().satisfies(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofMillis(200)));
  }

  @Test
  void anUnreachableServerIsAnIoError() throws Exception {
    String url = server.url("/").toString();
    server.close();

    WixApiException e;
    try (WixClient c = WixClient.builder().baseUrl(url).apiKey(Fixtures.KEY).rateLimiter(WixRateLimiter.unlimited())
        .retryPolicy(POLICY.withMaxAttempts(3)).sleeper(sleeper).build()) {
      e = catchThrowableOfType(WixApiException.class, () -> c.getDnsZone(ACCOUNT, "mysite.com"));
    }

    assertThat(e).isInstanceOf(WixRetriesExhaustedException.class);
    assertThat(((WixRetriesExhaustedException) e).attempts()).isEqualTo(3);
    assertThat(e.wixCode()).isEqualTo(WixApiException.IO_ERROR);
    assertThat(sleeper.sleeps()).hasSize(2);
  }

  @Test
  void anInterruptedBackoffStopsAtOnceAndKeepsTheInterruptFlag() {
    server.enqueue(new MockResponse.Builder().code(503).build());
    Sleeper interrupting = d -> {
      throw new InterruptedException("stop");
    };

    WixApiException e;
    try (WixClient c = Fixtures.client(server).retryPolicy(POLICY).sleeper(interrupting).build()) {
      e = catchThrowableOfType(WixApiException.class, () -> c.getConnectedDomain(ACCOUNT, "mysite.com"));
    }

    assertThat(e.wixCode()).isEqualTo(WixApiException.INTERRUPTED);
    assertThat(e.retryable()).isFalse();
    assertThat(Thread.interrupted()).isTrue();
    assertThat(server.getRequestCount()).isEqualTo(1);
  }
}
