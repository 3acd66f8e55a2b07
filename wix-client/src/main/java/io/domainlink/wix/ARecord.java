package io.domainlink.wix;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** An A record of setup info: host name, TTL in seconds, values (IPv4 addresses). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ARecord(String hostName, Integer ttl, List<String> values) {
  public ARecord {
    values = Nulls.list(values);
  }
}
