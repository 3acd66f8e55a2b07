package io.domainlink.wix;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** {@code nameserverRecord}: the NS values the owner must set at the registrar (NAMESERVERS only). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NameserverRecord(NsRecord nsRecord) {}
