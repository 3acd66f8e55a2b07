package io.domainlink.wix;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;

/** A Resellers package (reference 5.2): a group of product instances sold in one transaction. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ResellerPackage(
    String id,
    String accountId,
    String externalId,
    List<ProductInstance> productInstances,
    Instant createdDate,
    Instant updatedDate) {

  public ResellerPackage {
    productInstances = Nulls.list(productInstances);
  }
}
