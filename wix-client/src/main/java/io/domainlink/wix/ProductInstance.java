package io.domainlink.wix;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * A resold product instance (reference 5.2). In a request only {@code catalogProductId}, {@code siteId}
 * (omit for a floating instance), {@code billingInfo}, {@code countryCode} (required), {@code discountCode}
 * and {@code referenceProductInstanceId} mean anything; the rest is read-only.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProductInstance(
    String instanceId,
    String siteId,
    String catalogProductId,
    ProductInstanceStatus status,
    Failure failure,
    Cycle billingInfo,
    Instant createdDate,
    Instant updatedDate,
    String countryCode,
    Instant expirationDate,
    String discountCode,
    String referenceProductInstanceId) {

  /** A product to order for a site. */
  public static ProductInstance toOrder(String catalogProductId, String siteId, Cycle billingInfo, String countryCode) {
    return new ProductInstance(null, siteId, catalogProductId, null, null, billingInfo, null, null, countryCode,
        null, null, null);
  }

  /** {@code failure}: set only when {@code status = FAILED}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Failure(ProductInstanceFailureCode code, String message) {}
}
