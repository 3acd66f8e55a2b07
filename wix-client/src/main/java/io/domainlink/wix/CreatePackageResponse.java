package io.domainlink.wix;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Response of Create Package V2: the echoed idempotency key and the package (JSON field {@code package}). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CreatePackageResponse(String idempotencyKey, @JsonProperty("package") ResellerPackage resellerPackage) {}
