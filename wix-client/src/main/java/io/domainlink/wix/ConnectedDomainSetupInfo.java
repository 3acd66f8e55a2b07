package io.domainlink.wix;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Setup info of a connected domain (reference 3.2). At most one of {@code nameserverRecord},
 * {@code pointingRecords}, {@code subdomainRecords} is expected per the schema, but Wix's sample flow
 * also shows {@code pointingRecords} for NAMESERVERS domains (choice C11), so all three may be read.
 *
 * @param registrarName the doc example's {@code "registrarName"} quirk, not in the schema; kept so it is not lost
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConnectedDomainSetupInfo(
    String connectedDomainId,
    Registrar registrar,
    String registrarName,
    NameserverRecord nameserverRecord,
    PointingRecords pointingRecords,
    SubdomainRecords subdomainRecords) {

  /** {@code registrar.name}, else the example's {@code registrarName}, else null. */
  public String effectiveRegistrarName() {
    if (registrar != null && registrar.name() != null) {
      return registrar.name();
    }
    return registrarName;
  }
}
