package io.domainlink.connector;

/** The Wix calls {@link ConnectionWorkflow} makes, in the order a flow may make them. */
public enum WixStep {
    CREATE_PACKAGE,
    CREATE_CONNECTED_DOMAIN,
    /** Read after a create answered {@code DOMAINS_ALREADY_EXISTS}, to adopt our own domain. */
    GET_CONNECTED_DOMAIN,
    GET_SETUP_INFO,
    /** NAMESERVERS only, when setup info has no {@code pointingRecords} (choice C11). */
    PREVIEW_DNS_ZONE,
    GET_DNS_ZONE,
    UPDATE_DNS_ZONE,
    /**
     * Compensation ({@code compensation.cancel.package}): Cancel Package after the request failed, when it bought one.
     */
    CANCEL_PACKAGE
}
