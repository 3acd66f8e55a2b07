package io.domainlink.wix;

import static io.domainlink.wix.Fixtures.ACCOUNT;
import static io.domainlink.wix.Fixtures.appError;
import static io.domainlink.wix.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every error body shape becomes a classified {@link WixApiException}, never an NPE or a parse error. */
class WixErrorBodiesTest {

  @StartStop
  public final MockWebServer server = new MockWebServer();

  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
  private WixClient client;

  @BeforeEach
  void setUp() {
    // one attempt: these tests are about reading the error, not retrying it
    client = Fixtures.client(server).retryPolicy(RetryPolicy.none()).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  private WixApiException failGet(MockResponse response) {
    server.enqueue(response);
    return catchThrowableOfType(WixApiException.class, () -> client.getConnectedDomain(ACCOUNT, "mysite.com"));
  }

  @Test
  void applicationErrorGivesCodeMessageAndDescription() {
    WixApiException e = failGet(json(404, appError("NOT_FOUND", "Domain name `mysite.com` wasn't found.")));

    assertThat(e.httpStatus()).isEqualTo(404);
    assertThat(e.wixCode()).isEqualTo("NOT_FOUND");
    assertThat(e.wixMessage()).isEqualTo("Domain name `mysite.com` wasn't found.");
    assertThat(e.description()).isEqualTo("Domain name `mysite.com` wasn't found.");
    assertThat(e.fieldViolations()).isEmpty();
    assertThat(e.retryable()).isFalse();
    assertThat(e.retryAfter()).isEmpty();
    assertThat(e.isNotFound()).isTrue();
    assertThat(e.endpoint()).isEqualTo(WixEndpoint.GET_CONNECTED_DOMAIN);
    assertThat(e.getMessage()).isEqualTo("getConnectedDomain: HTTP 404 NOT_FOUND: Domain name `mysite.com` wasn't found.");
  }

  @Test
  void theReferenceGenericApplicationErrorExampleIsReadVerbatim() {
    WixApiException e = failGet(json(409, """
        {
          "message": "Payment failed",
          "details": {
            "applicationError": {
              "code": "NO_FUNDS",
              "description": "Payment declined due to insufficient funds",
              "data": { "availableFunds": 75.22 }
            }
          }
        }"""));

    assertThat(e.wixCode()).isEqualTo("NO_FUNDS");
    assertThat(e.wixMessage()).isEqualTo("Payment failed");
    assertThat(e.description()).isEqualTo("Payment declined due to insufficient funds");
  }

  @Test
  void domainErrorCodesKeepTheirStatuses() {
    assertThat(failGet(json(409, appError("DOMAINS_ALREADY_EXISTS", "Domain `mysite.com` with different settings is already connected."))))
        .satisfies(e -> {
          assertThat(e.httpStatus()).isEqualTo(409);
          assertThat(e.hasCode("DOMAINS_ALREADY_EXISTS")).isTrue();
          assertThat(e.retryable()).isFalse();
        });
    assertThat(failGet(json(428, appError("DOMAIN_NOT_PERMITTED", "Domain `mysite.com` is not permitted to target account."))))
        .satisfies(e -> assertThat(e.wixCode()).isEqualTo("DOMAIN_NOT_PERMITTED"));
    assertThat(failGet(json(403, appError("NON_PREMIUM_SITE", "Domain `mysite.com` can't be assigned to free Wix site `s`."))))
        .satisfies(e -> assertThat(e.wixCode()).isEqualTo("NON_PREMIUM_SITE"));
  }

  @Test
  void validationErrorGivesRuleNameAsCodeAndAllViolations() {
    WixApiException e = failGet(json(400, """
        {"message": "Unable to connect domain `mysite.com`, it's available for purchase.",
         "details": {"validationError": {"fieldViolations": [
           {"field": "connectedDomain.domain", "description": "Unable to connect domain `mysite.com`, it's available for purchase.",
            "violatedRule": "CUSTOM", "ruleName": "INVALID_DOMAIN"},
           {"field": "connectedDomain.connectionType", "description": "second", "violatedRule": "CUSTOM"}]}}}"""));

    assertThat(e.httpStatus()).isEqualTo(400);
    assertThat(e.wixCode()).isEqualTo("INVALID_DOMAIN");
    assertThat(e.fieldViolations()).containsExactly(
        new FieldViolation("connectedDomain.domain", "Unable to connect domain `mysite.com`, it's available for purchase.",
            "CUSTOM", "INVALID_DOMAIN"),
        new FieldViolation("connectedDomain.connectionType", "second", "CUSTOM", null));
    assertThat(e.retryable()).isFalse();
  }

  @Test
  void theReferenceValidationExampleWithoutRuleNameFallsBackToTheStatusName() {
    WixApiException e = failGet(json(400, """
        {
          "message": "Not really valid",
          "details": {
            "validationError": {
              "fieldViolations": [
                { "field": "fieldB", "description": "Field value out of range. Supported range: [0-20]",
                  "violatedRule": "MAX", "data": { "threshold": 20 } }
              ]
            }
          }
        }"""));

    assertThat(e.wixCode()).isEqualTo("INVALID_ARGUMENT");
    assertThat(e.fieldViolations()).singleElement().satisfies(v -> {
      assertThat(v.field()).isEqualTo("fieldB");
      assertThat(v.violatedRule()).isEqualTo("MAX");
    });
  }

  @Test
  void systemErrorBodyIsEmptyByDesignAndRetryable() {
    WixApiException e = failGet(json(500, "{\"message\": \"\", \"details\": {}}"));

    assertThat(e.httpStatus()).isEqualTo(500);
    assertThat(e.wixCode()).isEqualTo("INTERNAL");
    assertThat(e.wixMessage()).isEmpty();
    assertThat(e.retryable()).isTrue();
    assertThat(e).isNotInstanceOf(WixRetriesExhaustedException.class);
  }

  @Test
  void emptyBodiesFallBackToTheStatus() {
    assertThat(failGet(new MockResponse.Builder().code(503).build()))
        .satisfies(e -> {
          assertThat(e.wixCode()).isEqualTo("UNAVAILABLE");
          assertThat(e.retryable()).isTrue();
        });
    assertThat(failGet(new MockResponse.Builder().code(401).build()))
        .satisfies(e -> {
          assertThat(e.wixCode()).isEqualTo("UNAUTHENTICATED");
          assertThat(e.retryable()).isFalse();
        });
    assertThat(failGet(new MockResponse.Builder().code(504).build()).wixCode()).isEqualTo("DEADLINE_EXCEEDED");
    assertThat(failGet(new MockResponse.Builder().code(418).build()).wixCode()).isEqualTo("UNKNOWN");
  }

  @Test
  void nonJsonBodiesAreNeitherParsedNorCopiedIntoTheMessage() {
    String html = "<html><head><title>502 Bad Gateway</title></head><body>upstream connect error</body></html>";
    WixApiException e = failGet(new MockResponse.Builder().code(502).addHeader("Content-Type", "text/html").body(html).build());

    assertThat(e.wixCode()).isEqualTo("UNAVAILABLE");
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).doesNotContain("upstream").contains("non-JSON");
  }

  @Test
  void oddJsonShapesDoNotBreakTheParser() {
    assertThat(failGet(json(400, "{\"message\": \"abc\", \"det")).wixCode()).isEqualTo("INVALID_ARGUMENT");
    assertThat(failGet(json(400, "[1, 2]")).wixCode()).isEqualTo("INVALID_ARGUMENT");
    assertThat(failGet(json(400, "null")).wixCode()).isEqualTo("INVALID_ARGUMENT");
    assertThat(failGet(json(403, "{\"message\": {\"nested\": true}, \"details\": {\"applicationError\": \"str\", \"validationError\": {\"fieldViolations\": {}}}}")))
        .satisfies(e -> {
          assertThat(e.wixCode()).isEqualTo("PERMISSION_DENIED");
          assertThat(e.fieldViolations()).isEmpty();
        });
    assertThat(failGet(json(409, "{\"details\": {\"applicationError\": {\"code\": \"\"}}}")).wixCode()).isEqualTo("ALREADY_EXISTS");
  }

  @Test
  void longMessagesAreCapped() {
    WixApiException e = failGet(json(400, appError("X", "m".repeat(5000))));

    assertThat(e.wixMessage()).hasSizeLessThan(WixErrors.MAX_TEXT + 5);
  }

  @Test
  void unreadableSuccessBodiesAreInvalidResponsesNotRetried() {
    assertThat(failGet(json(200, "<html>hi</html>"))).satisfies(e -> {
      assertThat(e.wixCode()).isEqualTo(WixApiException.INVALID_RESPONSE);
      assertThat(e.httpStatus()).isEqualTo(200);
      assertThat(e.retryable()).isFalse();
    });
    assertThat(failGet(json(200, "{}")).wixCode()).isEqualTo(WixApiException.INVALID_RESPONSE);
    assertThat(failGet(json(200, "")).wixCode()).isEqualTo(WixApiException.INVALID_RESPONSE);
    assertThat(failGet(json(200, "{\"connectedDomain\": {\"domain\": \"a.com\", \"createdDate\": \"yesterday\"}}")).wixCode())
        .isEqualTo(WixApiException.INVALID_RESPONSE);
    assertThat(failGet(json(200, "{\"connectedDomain\": {\"domain\": \"a.com\"")).wixCode())
        .isEqualTo(WixApiException.INVALID_RESPONSE);
  }

  @Test
  void listsWithNullElementsAreTolerated() {
    server.enqueue(json(200, "{\"connectedDomains\": [null, {\"domain\": \"a.com\"}], \"pagingMetadata\": null}"));

    ConnectedDomainPage page = client.listConnectedDomains(ACCOUNT, null, null);

    assertThat(page.connectedDomains()).extracting(ConnectedDomain::domain).containsExactly("a.com");
    assertThat(page.hasNext()).isFalse();
  }

  @Test
  void redirectsAreNotFollowed() {
    WixApiException e = failGet(new MockResponse.Builder().code(307).addHeader("Location", "http://elsewhere.test/").build());

    assertThat(e.httpStatus()).isEqualTo(307);
    assertThat(e.retryable()).isFalse();
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void retryAfterIsReadAsSecondsOrHttpDate() {
    WixApiException seconds = failGet(new MockResponse.Builder().code(429).addHeader("Retry-After", "7")
        .body(appError("RESOURCE_EXHAUSTED", "too many requests")).build());
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(42).atOffset(ZoneOffset.UTC));
    WixApiException httpDate = failGet(new MockResponse.Builder().code(503).addHeader("Retry-After", date).build());
    WixApiException garbage = failGet(new MockResponse.Builder().code(429).addHeader("Retry-After", "soon").build());

    assertThat(seconds.wixCode()).isEqualTo("RESOURCE_EXHAUSTED");
    assertThat(seconds.retryable()).isTrue();
    assertThat(seconds.retryAfter()).contains(Duration.ofSeconds(7));
    assertThat(httpDate.retryAfter()).contains(Duration.ofSeconds(42));
    assertThat(garbage.retryAfter()).isEmpty();
    assertThat(garbage.wixCode()).isEqualTo("RESOURCE_EXHAUSTED");
  }

  @Test
  void everyStatusIsClassifiedOnce() {
    for (int status : List.of(0, 429, 500, 501, 502, 503, 504)) {
      assertThat(WixApiException.isRetryableStatus(status)).as("status %d", status).isTrue();
    }
    for (int status : List.of(400, 401, 403, 404, 409, 428)) {
      assertThat(WixApiException.isRetryableStatus(status)).as("status %d", status).isFalse();
    }
  }
}
