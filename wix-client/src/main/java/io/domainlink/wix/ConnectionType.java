package io.domainlink.wix;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** How a connected domain is connected (reference 2.2). A subdomain created without a type comes back as {@code UNKNOWN_CONNECTION_TYPE}. */
public enum ConnectionType {
  /** Also what any value this client does not know is read as. */
  @JsonEnumDefaultValue
  UNKNOWN_CONNECTION_TYPE,
  POINTING,
  NAMESERVERS,
  HIDDEN
}
