package io.domainlink.wix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Turns a non-2xx answer or an I/O failure into a {@link WixApiException}. Never throws anything else. */
final class WixErrors {
  static final int MAX_TEXT = 300;

  private final ObjectMapper mapper;
  private final ApiKey apiKey;
  private final Clock clock;

  WixErrors(ObjectMapper mapper, ApiKey apiKey, Clock clock) {
    this.mapper = mapper;
    this.apiKey = apiKey;
    this.clock = clock;
  }

  /** An HTTP answer with a non-2xx status; {@code body} may be null, empty, HTML or truncated. */
  WixApiException fromResponse(WixEndpoint endpoint, int status, String body, String retryAfterHeader) {
    String message = "";
    String appCode = null;
    String description = null;
    List<FieldViolation> violations = List.of();
    JsonNode root = parse(body);
    if (root != null && root.isObject()) {
      message = text(root.get("message"));
      JsonNode details = root.path("details");
      JsonNode app = details.path("applicationError");
      if (app.isObject()) {
        appCode = blankToNull(text(app.get("code")));
        description = blankToNull(text(app.get("description")));
      }
      violations = violations(details.path("validationError").path("fieldViolations"));
    } else if (body != null && !body.isBlank()) {
      message = "(non-JSON error body, " + body.length() + " chars)";
    }
    String code = appCode;
    if (code == null) {
      code = violations.stream().map(FieldViolation::ruleName).filter(r -> r != null && !r.isBlank())
          .findFirst().orElse(null);
    }
    if (code == null) {
      code = WixApiException.grpcNameOf(status);
    }
    return new WixApiException(endpoint, status, code, message, description, violations,
        WixApiException.isRetryableStatus(status), retryAfter(retryAfterHeader), null);
  }

  WixApiException fromIo(WixEndpoint endpoint, IOException e) {
    String what = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    return new WixApiException(endpoint, 0, WixApiException.IO_ERROR, clean(what), null, List.of(), true, null, e);
  }

  WixApiException invalidResponse(WixEndpoint endpoint, int status, String why, Throwable cause) {
    return new WixApiException(endpoint, status, WixApiException.INVALID_RESPONSE, clean(why), null, List.of(), false,
        null, cause);
  }

  private JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return mapper.readTree(body);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private List<FieldViolation> violations(JsonNode array) {
    if (!array.isArray()) {
      return List.of();
    }
    List<FieldViolation> out = new ArrayList<>();
    for (JsonNode v : array) {
      if (v.isObject()) {
        out.add(new FieldViolation(blankToNull(text(v.get("field"))), blankToNull(text(v.get("description"))),
            blankToNull(text(v.get("violatedRule"))), blankToNull(text(v.get("ruleName")))));
      }
    }
    return out;
  }

  private String text(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return "";
    }
    return clean(node.isValueNode() ? node.asText() : node.toString());
  }

  /** Key redacted, control characters flattened, length capped. */
  String clean(String s) {
    if (s == null) {
      return "";
    }
    String r = apiKey.redact(s).replaceAll("\\p{Cntrl}", " ");
    return r.length() > MAX_TEXT ? r.substring(0, MAX_TEXT) + "…" : r;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** {@code Retry-After} as delta-seconds or an HTTP-date (RFC 9110 10.2.3); null when absent or unreadable. */
  Duration retryAfter(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String h = header.trim();
    try {
      long seconds = Long.parseLong(h);
      return seconds < 0 ? null : Duration.ofSeconds(Math.min(seconds, 86_400L));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(clock.instant(), at.toInstant());
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException notDate) {
        return null;
      }
    }
  }
}
