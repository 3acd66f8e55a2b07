package io.domainlink.common.registry;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import okhttp3.HttpUrl;

/**
 * How to reach a Confluent-compatible schema registry.
 *
 * @param url base URL of the Confluent REST API, e.g. {@code http://127.0.0.1:8082/apis/ccompat/v7} for Apicurio
 *     or {@code https://sr.example.com} for Confluent. A {@code user:password@} in it is taken out of the URL (so
 *     {@code url()} never holds it) and used for basic auth unless {@code basicAuthUserInfo} is given
 * @param basicAuthUserInfo {@code user:password} for HTTP basic auth, or null
 * @param bearerToken a bearer token, or null
 * @param timeout connect, read and write timeout of one HTTP call (one call may take twice this in all)
 * @param unavailableRetryBudget the longest one registry operation takes while the registry is unavailable: every
 *     attempt and backoff included, it then fails with {@code REGISTRY_UNAVAILABLE}
 * @param maxResponseBytes the largest response body read from the registry (a schema is in it); a larger one is an
 *     unreadable schema ({@code GET /schemas/ids/{id}}) or a registry error (other calls)
 */
public record RegistryConfig(String url, String basicAuthUserInfo, String bearerToken, Duration timeout,
                             Duration unavailableRetryBudget, long maxResponseBytes) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RETRY_BUDGET = Duration.ofSeconds(30);
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 1 << 20;

    /** Null durations and a {@code maxResponseBytes} of 0 take the defaults. */
    public RegistryConfig {
        Objects.requireNonNull(url, "schema registry url");
        HttpUrl parsed = HttpUrl.parse(url);
        if (parsed == null) {
            // not echoed: a malformed URL may still hold credentials
            throw new IllegalArgumentException("schema registry url is not an http(s) URL");
        }
        if (!parsed.username().isEmpty() || !parsed.password().isEmpty()) {
            if (basicAuthUserInfo == null || basicAuthUserInfo.isBlank()) {
                basicAuthUserInfo = parsed.username() + ":" + parsed.password();
            }
            url = parsed.newBuilder().username("").password("").build().toString();
        }
        url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        unavailableRetryBudget = unavailableRetryBudget == null ? DEFAULT_RETRY_BUDGET : unavailableRetryBudget;
        maxResponseBytes = maxResponseBytes == 0 ? DEFAULT_MAX_RESPONSE_BYTES : maxResponseBytes;
        if (timeout.isNegative() || timeout.isZero() || unavailableRetryBudget.isNegative() || unavailableRetryBudget.isZero()
                || maxResponseBytes < 0) {
            throw new IllegalArgumentException("registry timeout, retry budget and response size must be positive");
        }
    }

    public RegistryConfig(String url, String basicAuthUserInfo, String bearerToken, Duration timeout,
                          Duration unavailableRetryBudget) {
        this(url, basicAuthUserInfo, bearerToken, timeout, unavailableRetryBudget, 0);
    }

    public static RegistryConfig of(String url) {
        return new RegistryConfig(url, null, null, null, null);
    }

    public RegistryConfig withMaxResponseBytes(long bytes) {
        return new RegistryConfig(url, basicAuthUserInfo, bearerToken, timeout, unavailableRetryBudget, bytes);
    }

    /** The URL for messages and logs: no user info, no query. */
    public String displayUrl() {
        return HttpUrl.get(url).newBuilder().query(null).fragment(null).build().toString();
    }

    public Optional<String> basicAuth() {
        return Optional.ofNullable(basicAuthUserInfo).filter(s -> !s.isBlank());
    }

    public Optional<String> bearer() {
        return Optional.ofNullable(bearerToken).filter(s -> !s.isBlank());
    }

    @Override
    public String toString() {
        return "RegistryConfig[url=" + displayUrl() + ", basicAuth=" + (basicAuth().isPresent() ? "***" : "none")
                + ", bearer=" + (bearer().isPresent() ? "***" : "none") + ", timeout=" + timeout
                + ", unavailableRetryBudget=" + unavailableRetryBudget + ", maxResponseBytes=" + maxResponseBytes + "]";
    }
}
