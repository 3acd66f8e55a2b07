package io.domainlink.wix;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A billing cycle ({@code billingInfo}): {@code type} and, for RECURRING only, {@code cycleDuration}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Cycle(CycleType type, CycleDuration cycleDuration) {

  public static Cycle recurring(CycleUnit unit, int count) {
    return new Cycle(CycleType.RECURRING, new CycleDuration(unit, count));
  }

  public static Cycle oneTime() {
    return new Cycle(CycleType.ONE_TIME, null);
  }

  /** {@code cycleDuration}: {@code unit} and {@code count}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record CycleDuration(CycleUnit unit, Integer count) {}
}
