package io.domainlink.common;

/**
 * Internal headers that name the request a record belongs to, written by the stage that produces an internal event
 * ({@code domains.accepted} by the request-ingestor, {@code domains.configured} by the domain-connector) so that the
 * next stage can still end that request when the record's value cannot be read. Headers from upstream systems never
 * reach an internal topic with these names (the edge keeps only an allow-list).
 */
public final class RequestHeaders {

    /** The request id (UTF-8). */
    public static final String REQUEST_ID = "domainlink.request.id";
    /** The request's admission number for its domain (decimal, UTF-8). */
    public static final String GENERATION = "domainlink.generation";

    private RequestHeaders() {
    }
}
