package io.domainlink.wix;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** A DNS zone (reference 4.2). One record object per type and host; multiple values go in {@code values}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DnsZone(String id, String domainName, List<DnsRecord> records, Boolean dnssecEnabled, DnssecInfo dnssecInfo) {

  public DnsZone {
    records = Nulls.list(records);
  }

  /** The first record of this type whose host name equals {@code hostName} (case-insensitive, trailing dot ignored). */
  public Optional<DnsRecord> find(RecordType type, String hostName) {
    String wanted = normalizeHost(hostName);
    return records.stream()
        .filter(r -> r.type() == type && wanted.equals(normalizeHost(r.hostName())))
        .findFirst();
  }

  static String normalizeHost(String host) {
    if (host == null) {
      return "";
    }
    String h = host.trim().toLowerCase(Locale.ROOT);
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  /** {@code dnssecInfo}: present only when DNSSEC is enabled. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record DnssecInfo(Integer keyTag, String digest) {}
}
