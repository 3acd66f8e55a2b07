package io.domainlink.wix;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** Why a product instance failed ({@code failure.code}, reference 5.2). */
public enum ProductInstanceFailureCode {
  /** Also what any value this client does not know is read as. */
  @JsonEnumDefaultValue
  UNKNOWN,
  DELIVERY_TIMEOUT,
  EXTERNAL_FAILURE
}
