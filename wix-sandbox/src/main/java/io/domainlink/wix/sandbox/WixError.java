package io.domainlink.wix.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * A Wix error answer in the shape of reference 1.2 and choices C1/C2: thrown by the endpoint logic, turned into a
 * response at the boundary.
 */
final class WixError extends RuntimeException {
    final int status;
    /** The code a client would read (C1): applicationError code, else the ruleName, else the gRPC status name. */
    final String code;
    final ObjectNode body;
    final Integer retryAfterSeconds;
    /** The injected fault or script behind this error, for the call log; null for a plain Wix answer. */
    String fault;

    private WixError(int status, String code, String message, ObjectNode body, Integer retryAfterSeconds) {
        super(message);
        this.status = status;
        this.code = code;
        this.body = body;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    WixError fault(String name) {
        this.fault = name;
        return this;
    }

    /** {@code {"message": M, "details": {"applicationError": {"code": CODE, "description": M, "data": {}}}}} (C1). */
    static WixError application(int status, String code, String message) {
        if (status >= 500) {
            return system(status);
        }
        ObjectNode body = Json.object();
        body.put("message", message);
        ObjectNode app = body.putObject("details").putObject("applicationError");
        app.put("code", code);
        app.put("description", message);
        app.putObject("data");
        return new WixError(status, code, message, body, null);
    }

    /** 429 {@code RESOURCE_EXHAUSTED} with {@code Retry-After} (C15). */
    static WixError tooManyRequests(String message, int retryAfterSeconds) {
        WixError e = application(429, "RESOURCE_EXHAUSTED", message);
        return new WixError(429, e.code, message, e.body, retryAfterSeconds);
    }

    /** A scripted error: any status and code; 5xx get the empty system body (C2). */
    static WixError scripted(int status, String code, String message, Integer retryAfterSeconds) {
        WixError e = application(status, code, message == null ? "" : message);
        return new WixError(e.status, e.code, e.getMessage(), e.body, retryAfterSeconds);
    }

    /**
     * 400 validation error with one field violation (C1):
     * {@code {"message": M, "details": {"validationError": {"fieldViolations": [...]}}}}.
     */
    static WixError validation(String message, String field, String violatedRule, String ruleName,
                               Map<String, Object> data) {
        ObjectNode body = Json.object();
        body.put("message", message);
        ObjectNode violation = body.putObject("details").putObject("validationError").putArray("fieldViolations")
                .addObject();
        violation.put("field", field);
        violation.put("description", message);
        violation.put("violatedRule", violatedRule);
        if (ruleName != null) {
            violation.put("ruleName", ruleName);
        }
        if (data != null && !data.isEmpty()) {
            violation.set("data", Json.MAPPER.valueToTree(data));
        }
        return new WixError(400, ruleName != null ? ruleName : "INVALID_ARGUMENT", message, body, null);
    }

    /** 5xx: {@code {"message": "", "details": {}}} (C2). */
    static WixError system(int status) {
        ObjectNode body = Json.object();
        body.put("message", "");
        body.putObject("details");
        return new WixError(status, grpcName(status), "", body, null);
    }

    static String grpcName(int status) {
        return switch (status) {
            case 400 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 409 -> "ALREADY_EXISTS";
            case 428 -> "FAILED_PRECONDITION";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 501 -> "UNIMPLEMENTED";
            case 503 -> "UNAVAILABLE";
            case 504 -> "DEADLINE_EXCEEDED";
            default -> status >= 500 ? "INTERNAL" : "UNKNOWN";
        };
    }
}
