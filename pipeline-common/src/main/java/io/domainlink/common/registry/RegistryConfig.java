package io.domainlink.common.registry;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach a Confluent-compatible schema registry.
 *
 * @param url base URL of the Confluent REST API, e.g. {@code http://127.0.0.1:8082/apis/ccompat/v7} for Apicurio
 *     or {@code https://sr.example.com} for Confluent
 * @param basicAuthUserInfo {@code user:password} for HTTP basic auth, or null
 * @param bearerToken a bearer token, or null
 * @param timeout connect, read and write timeout of one HTTP call
 * @param unavailableRetryBudget how long one lookup keeps retrying an unreachable registry before it gives up
 */
public record RegistryConfig(String url, String basicAuthUserInfo, String bearerToken, Duration timeout,
                             Duration unavailableRetryBudget) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RETRY_BUDGET = Duration.ofSeconds(30);

    public RegistryConfig {
        Objects.requireNonNull(url, "schema registry url");
        url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        unavailableRetryBudget = unavailableRetryBudget == null ? DEFAULT_RETRY_BUDGET : unavailableRetryBudget;
    }

    public static RegistryConfig of(String url) {
        return new RegistryConfig(url, null, null, null, null);
    }

    public Optional<String> basicAuth() {
        return Optional.ofNullable(basicAuthUserInfo).filter(s -> !s.isBlank());
    }

    public Optional<String> bearer() {
        return Optional.ofNullable(bearerToken).filter(s -> !s.isBlank());
    }

    @Override
    public String toString() {
        return "RegistryConfig[url=" + url + ", basicAuth=" + (basicAuth().isPresent() ? "***" : "none")
                + ", bearer=" + (bearer().isPresent() ? "***" : "none") + ", timeout=" + timeout + "]";
    }
}
