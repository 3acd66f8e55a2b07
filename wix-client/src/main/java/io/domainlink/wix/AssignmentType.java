package io.domainlink.wix;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** Whether a connected domain is the site's primary domain or a redirect (reference 2.1, {@code siteInfo.assignmentType}). */
public enum AssignmentType {
  /** Also what any value this client does not know is read as. */
  @JsonEnumDefaultValue
  UNKNOWN_ASSIGNMENT_TYPE,
  PRIMARY,
  REDIRECT
}
