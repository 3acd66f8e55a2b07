package io.domainlink.wix;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A failed Wix call: a non-2xx answer parsed from Wix's error body, an I/O failure or timeout
 * ({@code httpStatus} 0, code {@link #IO_ERROR}), or a 2xx answer this client cannot read
 * ({@link #INVALID_RESPONSE}).
 *
 * <p>{@link #wixCode()} follows choice C1: {@code details.applicationError.code}, else the first
 * {@code fieldViolations[].ruleName}, else the gRPC name of the HTTP status ({@code NOT_FOUND}, ...).
 *
 * <p>{@link #retryable()}: I/O errors, timeouts, 429 and 5xx are; every other status is not.
 * Messages never contain the API key nor a whole response body.
 */
public class WixApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** No HTTP response: connection refused or dropped, timeout. Retryable. */
  public static final String IO_ERROR = "IO_ERROR";
  /** A 2xx (or 3xx) answer whose body is not what the reference promises. Not retryable. */
  public static final String INVALID_RESPONSE = "INVALID_RESPONSE";
  /** The calling thread was interrupted while waiting (rate limiter or backoff). Not retryable. */
  public static final String INTERRUPTED = "INTERRUPTED";
  /** {@link WixClient#expectedNameserverRecords} found neither setup-info pointing records nor preview records. */
  public static final String EXPECTED_RECORDS_MISSING = "EXPECTED_RECORDS_MISSING";

  private final WixEndpoint endpoint;
  private final int httpStatus;
  private final String wixCode;
  private final String wixMessage;
  private final String description;
  private final List<FieldViolation> fieldViolations;
  private final boolean retryable;
  private final Duration retryAfter;

  public WixApiException(
      WixEndpoint endpoint,
      int httpStatus,
      String wixCode,
      String wixMessage,
      String description,
      List<FieldViolation> fieldViolations,
      boolean retryable,
      Duration retryAfter,
      Throwable cause) {
    super(format(endpoint, httpStatus, wixCode, wixMessage, description), cause);
    this.endpoint = endpoint;
    this.httpStatus = httpStatus;
    this.wixCode = wixCode;
    this.wixMessage = wixMessage == null ? "" : wixMessage;
    this.description = description;
    this.fieldViolations = Nulls.list(fieldViolations);
    this.retryable = retryable;
    this.retryAfter = retryAfter;
  }

  /** Copies every classification field of {@code other}, with a different message and cause. */
  protected WixApiException(String message, WixApiException other) {
    super(message, other);
    this.endpoint = other.endpoint;
    this.httpStatus = other.httpStatus;
    this.wixCode = other.wixCode;
    this.wixMessage = other.wixMessage;
    this.description = other.description;
    this.fieldViolations = other.fieldViolations;
    this.retryable = other.retryable;
    this.retryAfter = other.retryAfter;
  }

  /** Whether a call answered with this status may succeed when repeated: 429 and 5xx (0 = no response). */
  public static boolean isRetryableStatus(int httpStatus) {
    return httpStatus == 0 || httpStatus == 429 || httpStatus >= 500;
  }

  /** The gRPC-style name Wix pairs with an HTTP status (reference 1.3), used when the body carries no code. */
  public static String grpcNameOf(int httpStatus) {
    return switch (httpStatus) {
      case 0 -> IO_ERROR;
      case 400 -> "INVALID_ARGUMENT";
      case 401 -> "UNAUTHENTICATED";
      case 403 -> "PERMISSION_DENIED";
      case 404 -> "NOT_FOUND";
      case 409 -> "ALREADY_EXISTS";
      case 412, 428 -> "FAILED_PRECONDITION";
      case 429 -> "RESOURCE_EXHAUSTED";
      case 499 -> "CANCELLED";
      case 500 -> "INTERNAL";
      case 501 -> "UNIMPLEMENTED";
      case 502, 503 -> "UNAVAILABLE";
      case 504 -> "DEADLINE_EXCEEDED";
      default -> "UNKNOWN";
    };
  }

  private static String format(WixEndpoint endpoint, int status, String code, String message, String description) {
    StringBuilder sb = new StringBuilder();
    sb.append(endpoint == null ? "wix" : endpoint.metricName()).append(": ");
    sb.append(status == 0 ? "no HTTP response" : "HTTP " + status).append(' ').append(code);
    if (message != null && !message.isEmpty()) {
      sb.append(": ").append(message);
    } else if (description != null && !description.isEmpty()) {
      sb.append(": ").append(description);
    }
    return sb.toString();
  }

  public WixEndpoint endpoint() {
    return endpoint;
  }

  /** The HTTP status, or 0 when no response arrived. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The Wix error code per choice C1 (never null). */
  public String wixCode() {
    return wixCode;
  }

  /** Wix's top-level {@code message} (empty for 5xx by design), length-capped, key redacted. */
  public String wixMessage() {
    return wixMessage;
  }

  /** {@code details.applicationError.description}, or null. */
  public String description() {
    return description;
  }

  /** {@code details.validationError.fieldViolations}, possibly empty. */
  public List<FieldViolation> fieldViolations() {
    return fieldViolations;
  }

  /** True for I/O errors, timeouts, 429 and 5xx. */
  public boolean retryable() {
    return retryable;
  }

  /** The response's {@code Retry-After} (delta-seconds or HTTP-date), when present and parseable. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** Whether {@link #wixCode()} equals {@code code}. */
  public boolean hasCode(String code) {
    return wixCode.equals(code);
  }

  public boolean isNotFound() {
    return httpStatus == 404;
  }
}
