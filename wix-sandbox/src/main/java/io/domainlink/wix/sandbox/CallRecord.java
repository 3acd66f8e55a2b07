package io.domainlink.wix.sandbox;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One call served on the Wix API paths (admin calls under {@code /_sandbox/} are not recorded).
 *
 * @param seq            1, 2, 3... in the order the calls were answered
 * @param time           when the call was answered (sandbox clock), ISO-8601 with millis
 * @param method         HTTP method
 * @param path           raw request path without the query
 * @param endpoint       the operation, or {@code null} for a path the sandbox does not serve
 * @param accountId      {@code wix-account-id} header as sent
 * @param siteId         {@code wix-site-id} header as sent
 * @param domain         the domain the call is about (path or body), normalized to lower case
 * @param idempotencyKey Create Package's {@code idempotencyKey}
 * @param packageId      Cancel Package's package id (from the path)
 * @param status         HTTP status answered; 0 when the connection was dropped without a response
 * @param code           the Wix code answered (applicationError code, else first fieldViolation ruleName, else the
 *                       gRPC name of the status); {@code CONNECTION_DROPPED} for a dropped connection; null on success
 * @param effect         what the call changed
 * @param fault          the injected fault or script that decided the answer: {@code DROP}, {@code SERVER_ERROR},
 *                       {@code TOO_MANY_REQUESTS}, {@code RATE_LIMIT}, {@code SCRIPTED}; null for a normal answer
 * @param latencyMs      injected latency
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CallRecord(long seq, String time, String method, String path, Endpoint endpoint, String accountId,
                         String siteId, String domain, String idempotencyKey, String packageId, int status, String code,
                         Effect effect, String fault, long latencyMs) {
}
