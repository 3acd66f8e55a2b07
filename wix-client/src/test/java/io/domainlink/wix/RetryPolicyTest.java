package io.domainlink.wix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final RetryPolicy policy = RetryPolicy.defaults();

  @Test
  void defaultsAreSixAttemptsFrom200MillisDoublingUpTo10Seconds() {
    assertThat(policy.maxAttempts()).isEqualTo(6);
    assertThat(policy.initialBackoff()).isEqualTo(Duration.ofMillis(200));
    assertThat(policy.multiplier()).isEqualTo(2.0);
    assertThat(policy.maxBackoff()).isEqualTo(Duration.ofSeconds(10));
    assertThat(policy.maxElapsed()).isEmpty();
  }

  @Test
  void theCeilingGrowsExponentiallyUpToTheCap() {
    assertThat(policy.backoffCeiling(1)).isEqualTo(Duration.ofMillis(200));
    assertThat(policy.backoffCeiling(2)).isEqualTo(Duration.ofMillis(400));
    assertThat(policy.backoffCeiling(5)).isEqualTo(Duration.ofMillis(3200));
    assertThat(policy.backoffCeiling(6)).isEqualTo(Duration.ofMillis(6400));
    assertThat(policy.backoffCeiling(7)).isEqualTo(Duration.ofSeconds(10));
    assertThat(policy.backoffCeiling(1000)).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void fullJitterSpreadsWaitsOverTheWholeRange() {
    assertThat(policy.delayAfter(3, Optional.empty(), 0.0)).isZero();
    assertThat(policy.delayAfter(3, Optional.empty(), 0.5)).isEqualTo(Duration.ofMillis(400));
    Random random = new Random(1);
    double min = Double.MAX_VALUE;
    double max = 0;
    for (int i = 0; i < 10_000; i++) {
      long ms = policy.delayAfter(4, Optional.empty(), random.nextDouble()).toMillis();
      min = Math.min(min, ms);
      max = Math.max(max, ms);
      assertThat(ms).isBetween(0L, 1600L);
    }
    assertThat(min).isLessThan(50);
    assertThat(max).isGreaterThan(1550);
  }

  @Test
  void retryAfterIsAFloorAndCapPlusRetryAfterTheCeiling() {
    Duration ra = Duration.ofSeconds(5);
    assertThat(policy.delayAfter(1, Optional.of(ra), 0.99)).isEqualTo(ra);
    assertThat(policy.delayAfter(20, Optional.of(Duration.ofSeconds(1)), 0.9)).isEqualTo(Duration.ofSeconds(9));
    for (double r = 0; r < 1; r += 0.05) {
      assertThat(policy.delayAfter(30, Optional.of(ra), r)).isBetween(ra, ra.plus(policy.maxBackoff()));
    }
  }

  @Test
  void noneMeansOneAttempt() {
    assertThat(RetryPolicy.none().maxAttempts()).isEqualTo(1);
    assertThat(RetryPolicy.none().delayAfter(1, Optional.empty(), 0.5)).isZero();
  }

  @Test
  void nonsenseIsRefused() {
    assertThatThrownBy(() -> policy.withMaxAttempts(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> policy.withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> policy.withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(2), 0.5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> policy.withMaxElapsed(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
  }
}
