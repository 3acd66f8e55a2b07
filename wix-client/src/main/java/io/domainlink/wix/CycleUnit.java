package io.domainlink.wix;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** Unit of a recurring billing cycle ({@code billingInfo.cycleDuration.unit}, reference 5.2). */
public enum CycleUnit {
  /** Also what any value this client does not know is read as. */
  @JsonEnumDefaultValue
  UNKNOWN,
  DAY,
  WEEK,
  MONTH,
  YEAR
}
