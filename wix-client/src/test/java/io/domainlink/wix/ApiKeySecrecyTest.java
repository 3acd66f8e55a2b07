package io.domainlink.wix;

import static io.domainlink.wix.Fixtures.ACCOUNT;
import static io.domainlink.wix.Fixtures.KEY;
import static io.domainlink.wix.Fixtures.SECRET;
import static io.domainlink.wix.Fixtures.SITE;
import static io.domainlink.wix.Fixtures.appError;
import static io.domainlink.wix.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API key reaches the Authorization header and nothing else: no log line, message or toString. */
class ApiKeySecrecyTest {

  @StartStop
  public final MockWebServer server = new MockWebServer();

  @Test
  void theKeyCanComeFromAValueAnEnvironmentVariableOrAFileAndIsTrimmed(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("wix-api-key");
    Files.writeString(file, "  " + SECRET + "\n");

    assertThat(ApiKey.of(" " + SECRET + " ").reveal()).isEqualTo(SECRET);
    assertThat(ApiKey.fromEnv("WIX_API_KEY", Map.of("WIX_API_KEY", SECRET + "\n")).reveal()).isEqualTo(SECRET);
    assertThat(ApiKey.fromFile(file).reveal()).isEqualTo(SECRET);
  }

  @Test
  void badKeysAreRefusedWithoutEchoingThem(@TempDir Path dir) throws IOException {
    Path blank = dir.resolve("blank");
    Files.writeString(blank, " \n");
    String withNewline = "abc\ndef-" + SECRET;

    assertThatThrownBy(() -> ApiKey.fromEnv("WIX_API_KEY", Map.of())).hasMessageContaining("WIX_API_KEY is not set");
    assertThatThrownBy(() -> ApiKey.fromFile(blank)).hasMessageContaining("blank");
    assertThatThrownBy(() -> ApiKey.fromFile(dir.resolve("missing"))).hasMessageContaining("cannot read");
    assertThatThrownBy(() -> ApiKey.of(withNewline))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET).doesNotContain("abc"));
  }

  @Test
  void toStringNeverShowsTheKey() {
    try (WixClient c = Fixtures.client(server).build()) {
      assertThat(KEY.toString()).isEqualTo("ApiKey[***]");
      assertThat(c.toString()).doesNotContain(SECRET).contains("ApiKey[***]");
      assertThat(c.withRetryPolicy(RetryPolicy.none()).toString()).doesNotContain(SECRET);
    }
  }

  @Test
  void failingCallsLogAndThrowWithoutTheKey() {
    List<Throwable> thrown = new ArrayList<>();
    List<String> lines;
    try (LogCapture logs = new LogCapture();
        WixClient c = Fixtures.client(server).readTimeout(Duration.ofMillis(200))
            .retryPolicy(RetryPolicy.defaults().withMaxAttempts(2)).build()) {
      // a server that echoes the key back in its error message
      server.enqueue(json(401, appError("UNAUTHENTICATED", "bad key " + SECRET)));
      server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "0")
          .body("{\"message\": \"slow down " + SECRET + "\", \"details\": {\"validationError\": {\"fieldViolations\": "
              + "[{\"field\": \"Authorization\", \"description\": \"" + SECRET + "\", \"ruleName\": \"R\"}]}}}").build());
      server.enqueue(new MockResponse.Builder().code(500).body("<html>" + SECRET + "</html>").build());
      server.enqueue(new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
      for (int i = 0; i < 3; i++) {
        server.enqueue(new MockResponse.Builder().headersDelay(600, TimeUnit.MILLISECONDS).body("{}").build());
      }
      server.enqueue(json(200, "not json " + SECRET));

      thrown.add(failure(() -> c.getConnectedDomain(ACCOUNT, "mysite.com")));
      thrown.add(failure(() -> c.getDnsZone(ACCOUNT, "mysite.com"))); // 429 then 500: exhausted
      thrown.add(failure(() -> c.createConnectedDomain(ACCOUNT, SITE,
          ConnectedDomain.toCreate("mysite.com", ConnectionType.POINTING, AssignmentType.PRIMARY)))); // drop, then timeout
      thrown.add(failure(() -> c.deleteConnectedDomain(ACCOUNT, "mysite.com"))); // timeout, timeout
      thrown.add(failure(() -> c.getConnectedDomainSetupInfo(ACCOUNT, "mysite.com"))); // 200, not JSON
      lines = logs.lines();
    }

    assertThat(thrown).hasSize(5).doesNotContainNull();
    assertThat(lines).as("log lines").isNotEmpty().anyMatch(l -> l.startsWith("DEBUG"));
    assertThat(lines.stream().filter(l -> l.startsWith("WARN")).count()).isGreaterThanOrEqualTo(3);
    assertThat(lines).allSatisfy(l -> assertThat(l).doesNotContain(SECRET));
    for (Throwable t : thrown) {
      assertThat(fullText(t)).doesNotContain(SECRET);
    }
    assertThat(thrown.get(1)).isInstanceOfSatisfying(WixRetriesExhaustedException.class,
        e -> assertThat(e.lastError().httpStatus()).isEqualTo(500));
    assertThat(((WixApiException) thrown.get(2)).wixCode()).isEqualTo(WixApiException.IO_ERROR);
    assertThat(((WixApiException) thrown.get(4)).wixCode()).isEqualTo(WixApiException.INVALID_RESPONSE);
    assertThat(((WixApiException) thrown.get(0)).wixMessage()).contains("bad key ***");
    // positive control: the key did go out, in the Authorization header
    assertThat(server.getRequestCount()).isEqualTo(8);
  }

  private static Throwable failure(Runnable call) {
    try {
      call.run();
      return null;
    } catch (WixApiException e) {
      return e;
    }
  }

  /** toString, message and stack trace of the whole cause chain, with field violations. */
  private static String fullText(Throwable t) {
    StringWriter sw = new StringWriter();
    t.printStackTrace(new PrintWriter(sw));
    StringBuilder sb = new StringBuilder(sw.toString());
    for (Throwable c = t; c != null; c = c.getCause()) {
      sb.append(c).append(c.getMessage());
      if (c instanceof WixApiException w) {
        sb.append(w.wixMessage()).append(w.description()).append(w.fieldViolations());
      }
    }
    return sb.toString();
  }
}
