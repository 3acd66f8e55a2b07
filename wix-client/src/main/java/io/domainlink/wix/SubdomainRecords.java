package io.domainlink.wix;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** {@code subdomainRecords}: the CNAMEs the owner must set for a subdomain. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SubdomainRecords(List<CnameRecord> cnameRecords) {
  public SubdomainRecords {
    cnameRecords = Nulls.list(cnameRecords);
  }
}
