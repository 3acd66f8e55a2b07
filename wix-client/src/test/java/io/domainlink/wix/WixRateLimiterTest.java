package io.domainlink.wix;

import static io.domainlink.wix.Fixtures.ACCOUNT;
import static io.domainlink.wix.Fixtures.OTHER_ACCOUNT;
import static io.domainlink.wix.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

/** Pacing per account, measured on the wall clock with short periods. */
class WixRateLimiterTest {

  @StartStop
  public final MockWebServer server = new MockWebServer();

  @Test
  void theDefaultSpends95PercentOf200PerMinuteOnePermitAtATime() {
    WixRateLimiter limiter = WixRateLimiter.perAccountDefault();

    assertThat(limiter.declaredLimit()).isEqualTo(200);
    assertThat(limiter.period()).isEqualTo(Duration.ofMinutes(1));
    assertThat(limiter.safetyFactor()).isEqualTo(0.95);
    assertThat(limiter.permitInterval()).isBetween(Duration.ofMillis(315), Duration.ofMillis(317));
    // one permit per interval, plus one at a cycle boundary, is still under the declared limit in any minute
    long worstMinute = Duration.ofMinutes(1).toNanos() / limiter.permitInterval().toNanos() + 1;
    assertThat(worstMinute).isLessThanOrEqualTo(200);
  }

  @Test
  void callsOnOneAccountArePacedAndTheWaitIsReported() {
    WixRateLimiter limiter = WixRateLimiter.builder().declaredLimit(10).period(Duration.ofSeconds(1)).safetyFactor(1.0).build();
    RecordingListener listener = new RecordingListener();
    for (int i = 0; i < 6; i++) {
      server.enqueue(json(200, "{\"dnsZone\": {\"domainName\": \"mysite.com\"}}"));
    }

    long t0 = System.nanoTime();
    try (WixClient c = Fixtures.client(server).rateLimiter(limiter).listener(listener).build()) {
      for (int i = 0; i < 6; i++) {
        c.getDnsZone(ACCOUNT, "mysite.com");
      }
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);

    // 6 permits 100 ms apart: the first is immediate, the last ~500 ms later
    assertThat(took).isBetween(Duration.ofMillis(480), Duration.ofMillis(1500));
    Duration waited = listener.events().stream().map(WixCallEvent::rateLimiterWait).reduce(Duration.ZERO, Duration::plus);
    assertThat(waited).isGreaterThan(Duration.ofMillis(300));
    assertThat(listener.events().get(0).rateLimiterWait()).isLessThan(Duration.ofMillis(50));
  }

  @Test
  void everyRetryAttemptTakesAPermitToo() {
    WixRateLimiter limiter = WixRateLimiter.builder().declaredLimit(10).period(Duration.ofSeconds(1)).safetyFactor(1.0).build();
    server.enqueue(new MockResponse.Builder().code(503).build());
    server.enqueue(new MockResponse.Builder().code(503).build());
    server.enqueue(json(200, "{\"dnsZone\": {\"domainName\": \"mysite.com\"}}"));
    RecordingListener listener = new RecordingListener();

    long t0 = System.nanoTime();
    try (WixClient c = Fixtures.client(server).rateLimiter(limiter).listener(listener).build()) {
      c.getDnsZone(ACCOUNT, "mysite.com");
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);

    assertThat(server.getRequestCount()).isEqualTo(3);
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(190)); // the backoffs are not slept (RecordingSleeper)
    assertThat(listener.events()).hasSize(3);
    assertThat(listener.events().get(2).rateLimiterWait()).isGreaterThan(Duration.ofMillis(50));
  }

  @Test
  void twoAccountsDoNotShareABudget() throws Exception {
    WixRateLimiter limiter = WixRateLimiter.builder().declaredLimit(10).period(Duration.ofSeconds(1)).safetyFactor(1.0).build();

    long t0 = System.nanoTime();
    for (int i = 0; i < 5; i++) {
      limiter.acquire(ACCOUNT);
      limiter.acquire(OTHER_ACCOUNT);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);

    // 10 permits on one account would take ~900 ms; 5 on each of two takes ~400 ms
    assertThat(took).isBetween(Duration.ofMillis(380), Duration.ofMillis(800));
    assertThat(limiter.trackedAccounts()).isEqualTo(2);
  }

  @Test
  void noSlidingWindowEverSeesMoreThanTheDeclaredLimit() throws Exception {
    // 10 per second declared, 95 % used: one permit every ~105 ms; 4 threads compete for 32 permits (~3.3 s)
    WixRateLimiter limiter = WixRateLimiter.builder().declaredLimit(10).period(Duration.ofSeconds(1)).build();
    ConcurrentLinkedQueue<Long> grants = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        futures.add(pool.submit(() -> {
          for (int i = 0; i < 8; i++) {
            limiter.acquire(ACCOUNT);
            grants.add(System.nanoTime());
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }

    List<Long> times = grants.stream().sorted().toList();
    assertThat(times).hasSize(32);
    long window = Duration.ofSeconds(1).toNanos();
    int worst = 0;
    for (int i = 0; i < times.size(); i++) {
      int inWindow = 0;
      for (int j = i; j < times.size() && times.get(j) - times.get(i) < window; j++) {
        inWindow++;
      }
      worst = Math.max(worst, inWindow);
    }
    assertThat(worst).as("most grants in any 1 s window").isLessThanOrEqualTo(10).isGreaterThanOrEqualTo(8);
    Duration span = Duration.ofNanos(times.get(31) - times.get(0));
    assertThat(span).as("31 intervals of ~105 ms").isBetween(Duration.ofMillis(3100), Duration.ofMillis(4500));
  }

  @Test
  void tryAcquireNeverBlocks() {
    WixRateLimiter limiter = WixRateLimiter.builder().declaredLimit(1).period(Duration.ofSeconds(10)).build();

    long t0 = System.nanoTime();
    assertThat(limiter.tryAcquire(ACCOUNT)).isTrue();
    assertThat(limiter.tryAcquire(ACCOUNT)).isFalse();
    assertThat(limiter.tryAcquire(OTHER_ACCOUNT)).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(200));
  }

  @Test
  void aPermitDueLaterThanMaxWaitFailsFast() throws Exception {
    WixRateLimiter limiter = WixRateLimiter.builder().declaredLimit(1).period(Duration.ofSeconds(10))
        .maxWait(Duration.ofMillis(100)).build();
    limiter.acquire(ACCOUNT);

    long t0 = System.nanoTime();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> limiter.acquire(ACCOUNT))
        .isInstanceOf(IllegalStateException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(100));
  }

  @Test
  void unlimitedNeverWaits() throws Exception {
    WixRateLimiter limiter = WixRateLimiter.unlimited();

    long t0 = System.nanoTime();
    for (int i = 0; i < 1000; i++) {
      assertThat(limiter.acquire(ACCOUNT)).isZero();
    }
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(200));
    assertThat(limiter.isUnlimited()).isTrue();
  }

  @Test
  void theNumberOfTrackedAccountsIsBounded() throws Exception {
    WixRateLimiter limiter = WixRateLimiter.builder().maxAccounts(50).build();

    for (int i = 0; i < 500; i++) {
      limiter.acquire("account-" + i);
    }
    assertThat(limiter.trackedAccounts()).isLessThanOrEqualTo(50);
  }
}
