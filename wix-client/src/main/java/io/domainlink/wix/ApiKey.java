package io.domainlink.wix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * A Wix account-level API key. Sent raw in the {@code Authorization} header (no {@code Bearer}).
 * {@link #toString()} never shows it and no message this type produces contains it.
 */
public final class ApiKey {
  private static final String REDACTED = "***";

  private final String value;

  private ApiKey(String value) {
    this.value = value;
  }

  /** The key itself, trimmed. */
  public static ApiKey of(String value) {
    return new ApiKey(validate(value, "the given value"));
  }

  /** The key from an environment variable, trimmed; fails if it is unset or blank. */
  public static ApiKey fromEnv(String variable) {
    return fromEnv(variable, System.getenv());
  }

  static ApiKey fromEnv(String variable, Map<String, String> env) {
    Objects.requireNonNull(variable, "variable");
    String v = env.get(variable);
    if (v == null) {
      throw new IllegalArgumentException("Wix API key: environment variable " + variable + " is not set");
    }
    return new ApiKey(validate(v, "environment variable " + variable));
  }

  /** The key from a file (e.g. a mounted secret), trimmed; fails if it is missing, unreadable or blank. */
  public static ApiKey fromFile(Path file) {
    Objects.requireNonNull(file, "file");
    try {
      return new ApiKey(validate(Files.readString(file, StandardCharsets.UTF_8), "file " + file));
    } catch (IOException e) {
      throw new UncheckedIOException("Wix API key: cannot read file " + file, e);
    }
  }

  private static String validate(String raw, String source) {
    if (raw == null) {
      throw new IllegalArgumentException("Wix API key from " + source + " is null");
    }
    String v = raw.trim();
    if (v.isEmpty()) {
      throw new IllegalArgumentException("Wix API key from " + source + " is blank");
    }
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        // never echo the key or the character's neighbourhood
        throw new IllegalArgumentException("Wix API key from " + source
            + " contains a character not allowed in an HTTP header (at index " + i + ")");
      }
    }
    return v;
  }

  /** The raw value, for the Authorization header only. */
  String reveal() {
    return value;
  }

  /** {@code text} with every occurrence of the key replaced by {@code ***}; null stays null. */
  public String redact(String text) {
    return text == null ? null : text.replace(value, REDACTED);
  }

  @Override
  public String toString() {
    return "ApiKey[" + REDACTED + "]";
  }
}
