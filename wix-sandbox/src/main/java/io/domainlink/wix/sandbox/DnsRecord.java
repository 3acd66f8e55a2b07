package io.domainlink.wix.sandbox;

import java.util.List;

/** A DNS record object as in reference 4.2: one object per type and host name, several values. */
public record DnsRecord(String type, String hostName, int ttl, List<String> values) {
    public DnsRecord {
        values = List.copyOf(values);
    }
}
