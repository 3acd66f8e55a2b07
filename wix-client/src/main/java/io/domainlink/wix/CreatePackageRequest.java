package io.domainlink.wix;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * Body of Create Package V2 ({@code POST /resellers/v2/packages}, reference 5.1).
 *
 * @param idempotencyKey derive it from the request id: the same key with the same body answers the first
 *     response again (choice C17), which is what makes a repeated create safe
 * @param externalId free-form external reference, max 100 chars, not validated by Wix
 * @param products required, each with {@code countryCode}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CreatePackageRequest(String idempotencyKey, String externalId, List<ProductInstance> products) {

  public CreatePackageRequest {
    products = Nulls.list(products);
  }
}
