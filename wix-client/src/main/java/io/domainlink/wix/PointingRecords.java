package io.domainlink.wix;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** {@code pointingRecords}: the A and {@code www} CNAME Wix expects (POINTING; also NAMESERVERS in the sample flow). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PointingRecords(ARecord aRecord, CnameRecord cnameRecord) {}
