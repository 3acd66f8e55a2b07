package io.domainlink.wix;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/**
 * Status of a resold product instance (reference 5.2). The reference's enum has no "unknown" member;
 * {@link #UNKNOWN_STATUS} exists only on this side, to read a value Wix adds later. Never send it.
 */
public enum ProductInstanceStatus {
  /** Client-side only: a status string this client does not know. */
  @JsonEnumDefaultValue
  UNKNOWN_STATUS,
  PENDING,
  ENABLED,
  CANCELED,
  FAILED,
  AWAITING_ACTION
}
