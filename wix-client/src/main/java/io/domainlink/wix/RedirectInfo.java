package io.domainlink.wix;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** {@code siteInfo.redirectInfo}, relevant when {@code assignmentType = REDIRECT} (read-only). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RedirectInfo(String primaryDomain) {}
