package io.domainlink.wix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/** Ids, keys and response helpers shared by the tests. */
final class Fixtures {
  static final String ACCOUNT = "0b7c2a6e-1d1f-4c3e-9a57-3a3f6d7c8e90";
  static final String OTHER_ACCOUNT = "5f0a9b1c-2d3e-4f50-8a6b-7c8d9e0f1a2b";
  static final String SITE = "918aa943-ab4f-40bc-88c3-8dfd02fae7cd";
  static final String SECRET = "IST.eyJraWQiOiJQb3pIX2FDMiIsImFsZyI6IlJTMjU2In0.s3cr3t-k3y-v4lu3";
  static final ApiKey KEY = ApiKey.of(SECRET);
  static final ObjectMapper JSON = WixJson.newMapper();

  private Fixtures() {}

  static WixClient.Builder client(MockWebServer server) {
    return WixClient.builder()
        .baseUrl(server.url("/").toString())
        .apiKey(KEY)
        .rateLimiter(WixRateLimiter.unlimited())
        .sleeper(new RecordingSleeper());
  }

  static MockResponse json(int code, String body) {
    return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
  }

  static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode bodyOf(RecordedRequest request) {
    return tree(request.getBody().utf8());
  }

  static String appError(String code, String message) {
    return "{\"message\": \"" + message + "\", \"details\": {\"applicationError\": {\"code\": \"" + code
        + "\", \"description\": \"" + message + "\", \"data\": {}}}}";
  }
}
