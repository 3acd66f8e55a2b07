package io.domainlink.wix;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** The external registrar and its current name servers (read-only). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Registrar(String name, List<String> nameServers) {
  public Registrar {
    nameServers = Nulls.list(nameServers);
  }
}
