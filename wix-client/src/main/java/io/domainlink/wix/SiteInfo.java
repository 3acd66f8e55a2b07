package io.domainlink.wix;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** {@code connectedDomain.siteInfo}: the site a domain is assigned to (read-only {@code id}) and how. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SiteInfo(String id, AssignmentType assignmentType, RedirectInfo redirectInfo) {}
