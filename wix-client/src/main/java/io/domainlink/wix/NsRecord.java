package io.domainlink.wix;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** An NS record of setup info: host name, TTL in seconds, values. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NsRecord(String hostName, Integer ttl, List<String> values) {
  public NsRecord {
    values = Nulls.list(values);
  }
}
