package io.domainlink.wix;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** A DNS record: {@code type}, {@code hostName}, {@code ttl} (seconds), {@code values} (always sent as an array). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DnsRecord(RecordType type, String hostName, Integer ttl, List<String> values) {

  public DnsRecord {
    values = Nulls.list(values);
  }

  public static DnsRecord of(RecordType type, String hostName, int ttl, List<String> values) {
    return new DnsRecord(type, hostName, ttl, values);
  }
}
