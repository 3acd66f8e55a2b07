package io.domainlink.wix;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** Billing cycle type ({@code billingInfo.type}, reference 5.2). */
public enum CycleType {
  /** Also what any value this client does not know is read as. */
  @JsonEnumDefaultValue
  UNKNOWN,
  ONE_TIME,
  RECURRING
}
