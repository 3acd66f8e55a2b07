package io.domainlink.wix;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A CNAME record of setup info: note the singular {@code value}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CnameRecord(String hostName, Integer ttl, String value) {}
