package io.domainlink.wix;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** DNS record type (reference 4.2). Wix refuses {@code UNKNOWN} in requests. */
public enum RecordType {
  /** Also what any value this client does not know is read as. */
  @JsonEnumDefaultValue
  UNKNOWN,
  A,
  AAAA,
  NS,
  SOA,
  CNAME,
  MX,
  TXT,
  SPF,
  SRV,
  PTR,
  NAPTR
}
