package io.domainlink.wix.sandbox;

import java.util.List;

/**
 * The Wix REST operations the sandbox serves (reference sections 2-5), with their method and path template.
 * The names are used in the call log, in scripted errors and in fault overrides.
 */
public enum Endpoint {
    CREATE_CONNECTED_DOMAIN("POST", "/domains/v1/connected-domains"),
    LIST_CONNECTED_DOMAINS("GET", "/domains/v1/connected-domains"),
    GET_CONNECTED_DOMAIN("GET", "/domains/v1/connected-domains/{domain}"),
    DELETE_CONNECTED_DOMAIN("DELETE", "/domains/v1/connected-domains/{domain}"),
    GET_CONNECTED_DOMAIN_SETUP_INFO("GET", "/domains/v1/connected-domain-setup-info/{domain}"),
    CREATE_DNS_ZONE("POST", "/domains/v1/dns-zones"),
    GET_DNS_ZONE("GET", "/domains/v1/dns-zones/{domain}"),
    UPDATE_DNS_ZONE("PATCH", "/domains/v1/dns-zones/{domain}"),
    DELETE_DNS_ZONE("DELETE", "/domains/v1/dns-zones/{domain}"),
    PREVIEW_DNS_ZONE("GET", "/domains/v1/dns-zones/{domain}/preview"),
    CREATE_PACKAGE("POST", "/resellers/v2/packages"),
    /** Cancel a package (reference 5, "Other Resellers endpoints"; semantics: choice C23). */
    CANCEL_PACKAGE("DELETE", "/resellers/v1/packages/{packageId}");

    private final String method;
    private final List<String> segments;

    Endpoint(String method, String template) {
        this.method = method;
        this.segments = List.of(template.substring(1).split("/"));
    }

    public String method() {
        return method;
    }

    /** The path template, e.g. {@code /domains/v1/dns-zones/{domain}/preview}. */
    public String template() {
        return "/" + String.join("/", segments);
    }

    /** Whether the template's path parameter is a domain ({@code {domain}}) rather than an id. */
    boolean pathNamesDomain() {
        return segments.contains("{domain}");
    }

    /**
     * Matches a raw request path (no query) against this endpoint's template.
     *
     * @return the decoded path parameter ({@code {domain}} or {@code {packageId}}; "" for templates without one), or
     *     {@code null} when the path does not match
     */
    String match(String rawPath) {
        if (!rawPath.startsWith("/")) {
            return null;
        }
        String[] parts = rawPath.substring(1).split("/", -1);
        if (parts.length != segments.size()) {
            return null;
        }
        String param = "";
        for (int i = 0; i < parts.length; i++) {
            String expected = segments.get(i);
            if (expected.startsWith("{")) {
                if (parts[i].isEmpty()) {
                    return null;
                }
                param = java.net.URLDecoder.decode(parts[i], java.nio.charset.StandardCharsets.UTF_8);
            } else if (!expected.equals(parts[i])) {
                return null;
            }
        }
        return param;
    }
}
