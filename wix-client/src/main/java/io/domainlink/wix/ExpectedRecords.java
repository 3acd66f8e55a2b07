package io.domainlink.wix;

import java.util.List;

/**
 * The A record at the apex and the {@code www} CNAME that Wix expects a NAMESERVERS domain's zone to
 * hold (choice C11), and where they were read from.
 */
public record ExpectedRecords(String domain, ARecord aRecord, CnameRecord wwwCname, Source source) {

  /** Where the values came from. */
  public enum Source {
    /** {@code connectedDomainSetupInfo.pointingRecords} (Wix's sample flow shape). */
    SETUP_INFO_POINTING_RECORDS,
    /** {@code GET /domains/v1/dns-zones/{domain}/preview} (the schema shape has no A/CNAME in setup info). */
    DNS_ZONE_PREVIEW
  }

  public List<String> aValues() {
    return aRecord.values();
  }

  public String wwwCnameTarget() {
    return wwwCname.value();
  }

  /**
   * The two records as Update DNS Zone additions: A at {@code aRecord.hostName} with all values, CNAME at
   * {@code wwwCname.hostName} with the single value. TTLs default to 3600 s when Wix gave none.
   */
  public List<DnsRecord> toDnsRecords() {
    return List.of(
        new DnsRecord(RecordType.A, aRecord.hostName(), ttlOr3600(aRecord.ttl()), aRecord.values()),
        new DnsRecord(RecordType.CNAME, wwwCname.hostName(), ttlOr3600(wwwCname.ttl()), List.of(wwwCname.value())));
  }

  private static int ttlOr3600(Integer ttl) {
    return ttl == null ? 3600 : ttl;
  }
}
