package io.domainlink.wix;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * A connected domain (reference 2.1). Read-only fields ({@code id}, {@code siteInfo.id},
 * {@code dnsPropagationStatus}, dates) are null in a create request; any field may be null in a
 * response because Wix omits unset fields.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConnectedDomain(
    String id,
    String domain,
    ConnectionType connectionType,
    SiteInfo siteInfo,
    Boolean suppressNotifications,
    DnsPropagationStatus dnsPropagationStatus,
    Instant createdDate,
    Instant updatedDate) {

  /**
   * What to send to connect an apex domain: {@code {"domain", "connectionType", "siteInfo": {"assignmentType"}}}.
   * The site comes from the {@code wix-site-id} header, not the body.
   */
  public static ConnectedDomain toCreate(String domain, ConnectionType connectionType, AssignmentType assignmentType) {
    return new ConnectedDomain(null, domain, connectionType,
        assignmentType == null ? null : new SiteInfo(null, assignmentType, null), null, null, null, null);
  }

  /** What to send to connect a subdomain: no connection type may be passed (reference 2.7). */
  public static ConnectedDomain subdomainToCreate(String domain, Boolean suppressNotifications) {
    return new ConnectedDomain(null, domain, null, null, suppressNotifications, null, null, null);
  }

  /** {@code siteInfo.id}, or null. */
  public String siteId() {
    return siteInfo == null ? null : siteInfo.id();
  }

  /** {@code siteInfo.assignmentType}, or null. */
  public AssignmentType assignmentType() {
    return siteInfo == null ? null : siteInfo.assignmentType();
  }
}
