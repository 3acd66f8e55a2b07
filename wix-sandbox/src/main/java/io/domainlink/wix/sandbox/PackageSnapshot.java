package io.domainlink.wix.sandbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The sandbox's view of one Resellers package, as served by {@code GET /_sandbox/packages/{id}}. Dates are ISO-8601
 * strings. Wix's Package object has no status of its own: a cancelled package is one whose product instances are all
 * {@code CANCELED} (choice C23).
 *
 * @param idempotencyKey          the key it was created with ("" when none was sent)
 * @param siteIds                 the sites its product instances are assigned to, in order (floating ones left out)
 * @param productInstanceStatuses each product instance's status, in order ({@code PENDING}, or {@code CANCELED})
 * @param canceled                whether Cancel Package was applied to it
 * @param canceledDate            when it was cancelled; null while it is not
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PackageSnapshot(String id, String accountId, String externalId, String idempotencyKey, List<String> siteIds,
                              List<String> productInstanceStatuses, boolean canceled, String createdDate,
                              String updatedDate, String canceledDate) {
}
