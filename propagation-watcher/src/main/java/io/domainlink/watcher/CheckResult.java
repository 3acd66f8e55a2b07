package io.domainlink.watcher;

import java.time.Duration;

import io.domainlink.events.PropagationStatus;

/** The classified answer of one Get Connected Domain check. */
public sealed interface CheckResult {

    /** Wix answered; {@code status} is its dnsPropagationStatus. */
    record Status(PropagationStatus status) implements CheckResult {
    }

    /** 404: the domain is not connected (any more). Ends the watch with DOMAIN_NOT_FOUND. */
    record NotFound(int httpStatus, String wixCode, String wixMessage) implements CheckResult {
    }

    /** I/O error, timeout, 429 or 5xx: the same check is repeated later. {@code retryAfter} may be null. */
    record Retryable(int httpStatus, String wixCode, String wixMessage, Duration retryAfter) implements CheckResult {
    }

    /**
     * Any other 4xx (401, 403, ...): most likely configuration (key, permissions) that an operator can fix, so the
     * watch keeps going at the slow cadence until its deadline and reports the error in its timeout message.
     */
    record Rejected(int httpStatus, String wixCode, String wixMessage) implements CheckResult {
    }

    static CheckResult status(PropagationStatus status) {
        return new Status(status);
    }
}
