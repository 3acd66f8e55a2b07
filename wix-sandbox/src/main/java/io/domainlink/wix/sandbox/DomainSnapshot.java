package io.domainlink.wix.sandbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The sandbox's full internal view of one connected domain, as served by {@code GET /_sandbox/domains/{domain}}.
 * Dates are ISO-8601 strings; {@code zone} is null when the domain has no DNS zone.
 *
 * @param recordsInPlaceDate   when the records Wix expects were in place (zone for NAMESERVERS, owner for the rest)
 * @param propagationDoneDate  when the status turns COMPLETED (or FAILED); null when it never will or is not known yet
 * @param matchedRule          pattern of the scenario rule that applies to the domain, if any
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DomainSnapshot(String domain, String accountId, String siteId, String connectionType,
                             String assignmentType, boolean suppressNotifications, boolean rootDomain,
                             String dnsPropagationStatus, String createdDate, String updatedDate,
                             String ownerRecordsSetDate, String recordsInPlaceDate, String propagationDoneDate,
                             boolean zoneHasExpectedRecords, long propagationDelayMs, Long autoOwnerRecordsAfterMs,
                             Scenario.Outcome outcome, String matchedRule, List<DnsRecord> zone) {
}
