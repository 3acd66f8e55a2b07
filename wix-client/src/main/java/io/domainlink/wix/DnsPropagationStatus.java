package io.domainlink.wix;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** DNS propagation status of a connected domain (reference 2.2); poll until {@code COMPLETED}. */
public enum DnsPropagationStatus {
  /** Also what any value this client does not know is read as. */
  @JsonEnumDefaultValue
  UNKNOWN_DNS_PROPAGATION_STATUS,
  COMPLETED,
  FAILED,
  IN_PROGRESS
}
