package io.domainlink.wix;

import com.fasterxml.jackson.annotation.JsonIgnore;
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

  /**
   * Whether the package is cancelled: the Package object has no status of its own (reference 5.2), so it is when it
   * has product instances and every one is {@code CANCELED} (choice C23).
   */
  @JsonIgnore
  public boolean canceled() {
    return !productInstances.isEmpty()
        && productInstances.stream().allMatch(p -> p.status() == ProductInstanceStatus.CANCELED);
  }
}
