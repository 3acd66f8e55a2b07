package io.domainlink.wix;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client for Wix's account-level REST API: Connected Domains, Connected Domain Setup Info, Domain DNS
 * and Resellers Create Package V2 / Cancel Package, as described by {@code docs/wix-api.md} and the project's
 * choices in {@code docs/wix-choices.md}.
 *
 * <p>Thread-safe; build one per process and share it. Every HTTP attempt (retries included) first takes a
 * permit from the shared {@link WixRateLimiter} for the call's account. Retryable failures (I/O, timeouts,
 * 429, 5xx) are retried per the {@link RetryPolicy}; everything else is thrown at once as
 * {@link WixApiException}. OkHttp itself never re-sends a request ({@code retryOnConnectionFailure(false)},
 * no redirects): a repeated POST/PATCH happens only through the retry policy, so every mutating call
 * must be safe to repeat at the caller's level (adopt on 409, idempotency keys).
 */
public final class WixClient implements AutoCloseable {
  public static final String DEFAULT_BASE_URL = "https://www.wixapis.com";
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(15);
  public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(15);
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);
  /** Reference 2.5: {@code paging.limit} is 0..100. */
  public static final int MAX_PAGE_LIMIT = 100;
  /** Reference 4.3: at most 10 additions and 10 deletions per update. */
  public static final int MAX_ZONE_CHANGES = 10;

  static final String HEADER_ACCOUNT = "wix-account-id";
  static final String HEADER_SITE = "wix-site-id";
  private static final MediaType JSON = MediaType.get("application/json");
  private static final long MAX_BODY_BYTES = 4L * 1024 * 1024;
  /** An ASCII host name; also keeps "." and ".." (which URL builders resolve) out of paths. */
  private static final Pattern DOMAIN = Pattern.compile("(?!\\.{1,2}$)[A-Za-z0-9_.-]{1,253}");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");
  /** An {@link #ID} that can be a path segment: not "." or "..". */
  private static final Pattern PATH_ID = Pattern.compile("(?!\\.{1,2}$)[A-Za-z0-9_.:-]{1,128}");
  private static final Logger log = LoggerFactory.getLogger(WixClient.class);

  private final Shared shared;
  private final RetryPolicy retryPolicy;
  private final Retry retry;
  private final boolean root;

  /** What every view of one client shares: the OkHttpClient, the rate limiter, the listener, JSON. */
  private record Shared(
      OkHttpClient http,
      boolean ownsHttp,
      HttpUrl baseUrl,
      ApiKey apiKey,
      WixRateLimiter rateLimiter,
      WixCallListener listener,
      Clock clock,
      Sleeper sleeper,
      String userAgent,
      ObjectMapper mapper,
      WixErrors errors) {}

  private WixClient(Shared shared, RetryPolicy retryPolicy, boolean root) {
    this.shared = shared;
    this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
    this.root = root;
    RetryConfig config = RetryConfig.custom()
        .maxAttempts(retryPolicy.maxAttempts())
        .retryOnException(t -> t instanceof WixApiException w && w.retryable())
        .intervalBiFunction((attempts, either) -> retryPolicy
            .delayAfter(attempts, either.isLeft() ? retryAfterOf(either.getLeft()) : Optional.empty(),
                ThreadLocalRandom.current().nextDouble())
            .toMillis())
        .build();
    this.retry = Retry.of("wix-client", config);
  }

  private static Optional<Duration> retryAfterOf(Throwable t) {
    return t instanceof WixApiException w ? w.retryAfter() : Optional.empty();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * A view of this client with another retry policy, sharing the same OkHttpClient, rate limiter and
   * listener (e.g. {@link RetryPolicy#none()} for a caller that reschedules instead of retrying inline).
   * Closing a view does nothing; close the client it came from.
   */
  public WixClient withRetryPolicy(RetryPolicy policy) {
    return new WixClient(shared, policy, false);
  }

  public RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  public WixRateLimiter rateLimiter() {
    return shared.rateLimiter;
  }

  /** The process's OkHttpClient, for other HTTP clients that should share its pool and dispatcher. */
  public OkHttpClient httpClient() {
    return shared.http;
  }

  public HttpUrl baseUrl() {
    return shared.baseUrl;
  }

  // ---------------------------------------------------------------- Connected Domains (reference 2)

  /**
   * {@code POST /domains/v1/connected-domains} with headers {@code wix-account-id} and {@code wix-site-id}.
   * Use {@link ConnectedDomain#toCreate} or {@link ConnectedDomain#subdomainToCreate} for the body.
   *
   * @param siteId the target site (the body's {@code siteInfo.id} is read-only); null omits the header,
   *     which the project's sandbox answers with 400 {@code DOMAINS_GUID_NOT_VALID} (choice C19)
   */
  public ConnectedDomain createConnectedDomain(String accountId, String siteId, ConnectedDomain toCreate) {
    requireId(accountId, "accountId");
    if (siteId != null) {
      requireId(siteId, "siteId");
    }
    Objects.requireNonNull(toCreate, "toCreate");
    requireDomain(toCreate.domain());
    Request.Builder rb = new Request.Builder()
        .url(url("domains/v1/connected-domains"))
        .post(jsonBody(new ConnectedDomainEnvelope(toCreate)));
    if (siteId != null) {
      rb.header(HEADER_SITE, siteId);
    }
    return execute(WixEndpoint.CREATE_CONNECTED_DOMAIN, accountId, rb,
        body -> require(read(body, ConnectedDomainEnvelope.class).connectedDomain(), "connectedDomain"));
  }

  /** {@code GET /domains/v1/connected-domains/{domain}}; 404 {@code NOT_FOUND} when unknown (C7). */
  public ConnectedDomain getConnectedDomain(String accountId, String domain) {
    requireId(accountId, "accountId");
    Request.Builder rb = new Request.Builder().url(url("domains/v1/connected-domains", requireDomain(domain))).get();
    return execute(WixEndpoint.GET_CONNECTED_DOMAIN, accountId, rb,
        body -> require(read(body, ConnectedDomainEnvelope.class).connectedDomain(), "connectedDomain"));
  }

  /**
   * {@code GET /domains/v1/connected-domains?paging.limit=&paging.cursor=}, newest first.
   *
   * @param limit 0..100, or null for Wix's default (50 per choice C9)
   * @param cursor {@link ConnectedDomainPage#nextCursor()} of the previous page, or null for the first
   */
  public ConnectedDomainPage listConnectedDomains(String accountId, Integer limit, String cursor) {
    requireId(accountId, "accountId");
    if (limit != null && (limit < 0 || limit > MAX_PAGE_LIMIT)) {
      throw new IllegalArgumentException("limit must be in 0.." + MAX_PAGE_LIMIT + ", was " + limit);
    }
    HttpUrl.Builder ub = shared.baseUrl.newBuilder().addPathSegments("domains/v1/connected-domains");
    if (limit != null) {
      ub.addQueryParameter("paging.limit", limit.toString());
    }
    if (cursor != null && !cursor.isEmpty()) {
      ub.addQueryParameter("paging.cursor", cursor);
    }
    return execute(WixEndpoint.LIST_CONNECTED_DOMAINS, accountId, new Request.Builder().url(ub.build()).get(),
        body -> read(body, ConnectedDomainPage.class));
  }

  /** {@code DELETE /domains/v1/connected-domains/{domain}}; answers {@code {}} (C8). */
  public void deleteConnectedDomain(String accountId, String domain) {
    requireId(accountId, "accountId");
    Request.Builder rb = new Request.Builder().url(url("domains/v1/connected-domains", requireDomain(domain))).delete();
    execute(WixEndpoint.DELETE_CONNECTED_DOMAIN, accountId, rb, body -> Boolean.TRUE);
  }

  /** {@code GET /domains/v1/connected-domain-setup-info/{domain}} (reference 3.1). */
  public ConnectedDomainSetupInfo getConnectedDomainSetupInfo(String accountId, String domain) {
    requireId(accountId, "accountId");
    Request.Builder rb = new Request.Builder()
        .url(url("domains/v1/connected-domain-setup-info", requireDomain(domain))).get();
    return execute(WixEndpoint.GET_CONNECTED_DOMAIN_SETUP_INFO, accountId, rb,
        body -> require(read(body, SetupInfoEnvelope.class).connectedDomainSetupInfo(), "connectedDomainSetupInfo"));
  }

  // ---------------------------------------------------------------- Domain DNS (reference 4)

  /** {@code GET /domains/v1/dns-zones/{domain}}. */
  public DnsZone getDnsZone(String accountId, String domain) {
    requireId(accountId, "accountId");
    Request.Builder rb = new Request.Builder().url(url("domains/v1/dns-zones", requireDomain(domain))).get();
    return execute(WixEndpoint.GET_DNS_ZONE, accountId, rb, this::readZone);
  }

  /** {@code GET /domains/v1/dns-zones/{domain}/preview}: the zone with Wix's calculated A, CNAME, NS, SOA records. */
  public DnsZone previewDnsZone(String accountId, String domain) {
    requireId(accountId, "accountId");
    HttpUrl u = url("domains/v1/dns-zones", requireDomain(domain)).newBuilder().addPathSegment("preview").build();
    return execute(WixEndpoint.PREVIEW_DNS_ZONE, accountId, new Request.Builder().url(u).get(), this::readZone);
  }

  /**
   * {@code PATCH /domains/v1/dns-zones/{domain}} with {@code {"domainName", "additions", "deletions"}}; returns
   * the whole zone after the change (C14). One record object per type and host: to change a record, delete
   * the existing one and add the new one in the same call.
   */
  public DnsZone updateDnsZone(String accountId, String domain, List<DnsRecord> additions, List<DnsRecord> deletions) {
    requireId(accountId, "accountId");
    requireDomain(domain);
    List<DnsRecord> add = Nulls.list(additions);
    List<DnsRecord> del = Nulls.list(deletions);
    if (add.size() > MAX_ZONE_CHANGES || del.size() > MAX_ZONE_CHANGES) {
      throw new IllegalArgumentException("at most " + MAX_ZONE_CHANGES + " additions and " + MAX_ZONE_CHANGES
          + " deletions per update, were " + add.size() + " and " + del.size());
    }
    Request.Builder rb = new Request.Builder()
        .url(url("domains/v1/dns-zones", domain))
        .patch(jsonBody(new UpdateDnsZoneBody(domain, add, del)));
    return execute(WixEndpoint.UPDATE_DNS_ZONE, accountId, rb, this::readZone);
  }

  // ---------------------------------------------------------------- Resellers (reference 5)

  /**
   * {@code POST /resellers/v2/packages}. Give the request an {@code idempotencyKey} derived from the caller's
   * request id: that is what makes a retried or repeated create safe (C17).
   */
  public CreatePackageResponse createPackage(String accountId, CreatePackageRequest request) {
    requireId(accountId, "accountId");
    Objects.requireNonNull(request, "request");
    if (request.products().isEmpty()) {
      throw new IllegalArgumentException("a package needs at least one product");
    }
    Request.Builder rb = new Request.Builder().url(url("resellers/v2/packages")).post(jsonBody(request));
    return execute(WixEndpoint.CREATE_PACKAGE, accountId, rb, body -> {
      CreatePackageResponse r = read(body, CreatePackageResponse.class);
      require(r.resellerPackage(), "package");
      return r;
    });
  }

  /**
   * {@code DELETE /resellers/v1/packages/{packageId}}, no body: cancels the package (choice C23) and returns it, every
   * product instance {@code CANCELED} ({@link ResellerPackage#canceled()}). Safe to repeat: cancelling a cancelled
   * package answers it unchanged. An unknown id, or another account's package, is 404 {@code PACKAGE_NOT_FOUND}.
   */
  public ResellerPackage cancelPackage(String accountId, String packageId) {
    requireId(accountId, "accountId");
    if (packageId == null || !PATH_ID.matcher(packageId).matches()) {
      throw new IllegalArgumentException("packageId is missing or malformed: "
          + (packageId == null ? "null" : "\"" + printable(packageId) + "\""));
    }
    Request.Builder rb = new Request.Builder().url(url("resellers/v1/packages", packageId)).delete();
    return execute(WixEndpoint.CANCEL_PACKAGE, accountId, rb,
        body -> require(read(body, PackageEnvelope.class).resellerPackage(), "package"));
  }

  // ---------------------------------------------------------------- NAMESERVERS helper (choice C11)

  /**
   * The A values and the {@code www} CNAME Wix expects in a NAMESERVERS domain's zone: from
   * {@code setupInfo.pointingRecords} when it holds both an A value and a CNAME value (Wix's sample-flow
   * shape), otherwise from {@link #previewDnsZone} (A at the apex, CNAME at {@code www.<domain>}).
   *
   * @param setupInfo the domain's setup info, or null to go straight to the preview
   * @throws WixApiException with code {@link WixApiException#EXPECTED_RECORDS_MISSING} if neither source has them
   */
  public ExpectedRecords expectedNameserverRecords(String accountId, String domain, ConnectedDomainSetupInfo setupInfo) {
    requireId(accountId, "accountId");
    requireDomain(domain);
    PointingRecords pr = setupInfo == null ? null : setupInfo.pointingRecords();
    if (pr != null && pr.aRecord() != null && !pr.aRecord().values().isEmpty()
        && pr.cnameRecord() != null && pr.cnameRecord().value() != null && !pr.cnameRecord().value().isBlank()) {
      return new ExpectedRecords(domain, pr.aRecord(), pr.cnameRecord(), ExpectedRecords.Source.SETUP_INFO_POINTING_RECORDS);
    }
    DnsZone preview = previewDnsZone(accountId, domain);
    Optional<DnsRecord> a = preview.find(RecordType.A, domain).filter(r -> !r.values().isEmpty());
    Optional<DnsRecord> cname = preview.find(RecordType.CNAME, "www." + domain).filter(r -> !r.values().isEmpty());
    if (a.isEmpty() || cname.isEmpty()) {
      throw new WixApiException(WixEndpoint.PREVIEW_DNS_ZONE, 200, WixApiException.EXPECTED_RECORDS_MISSING,
          "the zone preview of " + domain + " has no " + (a.isEmpty() ? "A record at the apex" : "CNAME at www." + domain)
              + " and setup info has no pointingRecords", null, List.of(), false, null, null);
    }
    DnsRecord ar = a.get();
    DnsRecord cr = cname.get();
    return new ExpectedRecords(domain,
        new ARecord(ar.hostName(), ar.ttl(), ar.values()),
        new CnameRecord(cr.hostName(), cr.ttl(), cr.values().get(0)),
        ExpectedRecords.Source.DNS_ZONE_PREVIEW);
  }

  // ---------------------------------------------------------------- the call loop

  @FunctionalInterface
  private interface BodyReader<T> {
    /** Reads a 2xx body; a {@link JsonProcessingException} or a missing entity becomes INVALID_RESPONSE. */
    T read(String body) throws IOException;
  }

  /** Runs one call: attempts, rate limiting, retries. */
  private <T> T execute(WixEndpoint endpoint, String accountId, Request.Builder rb, BodyReader<T> reader) {
    Request request = rb
        .header("Authorization", shared.apiKey.reveal())
        .header(HEADER_ACCOUNT, accountId)
        .header("Accept", "application/json")
        .header("Content-Type", JSON.toString())
        .header("User-Agent", shared.userAgent)
        .build();
    Retry.AsyncContext<Object> context = retry.asyncContext();
    Instant start = shared.clock.instant();
    for (int attempt = 1; ; attempt++) {
      WixApiException failure;
      try {
        T result = attempt(endpoint, accountId, request, reader, attempt);
        context.onComplete();
        return result;
      } catch (WixApiException e) {
        failure = e;
      }
      long delayMillis = context.onError(failure);
      if (delayMillis < 0) {
        if (failure.retryable() && retryPolicy.maxAttempts() > 1) {
          log.warn("Wix call gave up: endpoint={} account={} status={} code={} attempts={}",
              endpoint.metricName(), accountId, failure.httpStatus(), failure.wixCode(), attempt);
          throw new WixRetriesExhaustedException(attempt, failure);
        }
        throw failure;
      }
      Duration delay = Duration.ofMillis(delayMillis);
      if (retryPolicy.maxElapsed().isPresent()) {
        Duration elapsed = Duration.between(start, shared.clock.instant());
        if (elapsed.plus(delay).compareTo(retryPolicy.maxElapsed().get()) > 0) {
          log.warn("Wix call gave up: endpoint={} account={} status={} code={} attempts={} elapsedMs={} nextBackoffMs={}",
              endpoint.metricName(), accountId, failure.httpStatus(), failure.wixCode(), attempt, elapsed.toMillis(),
              delayMillis);
          throw new WixRetriesExhaustedException(attempt, failure);
        }
      }
      log.warn("Wix call failed, retrying: endpoint={} account={} status={} code={} attempt={}/{} backoffMs={}{}",
          endpoint.metricName(), accountId, failure.httpStatus(), failure.wixCode(), attempt,
          retryPolicy.maxAttempts(), delayMillis,
          failure.retryAfter().map(d -> " retryAfterMs=" + d.toMillis()).orElse(""));
      try {
        shared.sleeper.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw interrupted(endpoint, "while backing off", e);
      }
    }
  }

  /** One HTTP attempt: a rate-limiter permit, the exchange, the listener event. */
  private <T> T attempt(WixEndpoint endpoint, String accountId, Request request, BodyReader<T> reader, int attempt) {
    Duration waited;
    try {
      waited = shared.rateLimiter.acquire(accountId);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted(endpoint, "while waiting for the rate limiter", e);
    } catch (IllegalStateException queueTooLong) {
      throw new WixApiException(endpoint, 0, "RATE_LIMITER_TIMEOUT", queueTooLong.getMessage(), null, List.of(), true,
          null, null);
    }
    long t0 = System.nanoTime();
    int status = 0;
    T result = null;
    WixApiException failure = null;
    try (Response response = shared.http.newCall(request).execute()) {
      status = response.code();
      if (response.isSuccessful()) {
        String body = readBody(response, true, endpoint);
        try {
          result = reader.read(body);
        } catch (IOException | RuntimeException e) {
          if (e instanceof WixApiException w) {
            throw w;
          }
          throw shared.errors.invalidResponse(endpoint, status,
              "cannot read the response body (" + e.getClass().getSimpleName() + ")", null);
        }
      } else {
        String body = readBody(response, false, endpoint);
        failure = shared.errors.fromResponse(endpoint, status, body, response.header("Retry-After"));
      }
    } catch (InterruptedIOException e) {
      failure = Thread.currentThread().isInterrupted()
          ? interrupted(endpoint, "during the HTTP exchange", e)
          : shared.errors.fromIo(endpoint, e);
    } catch (IOException e) {
      failure = shared.errors.fromIo(endpoint, e);
    } catch (WixApiException e) {
      failure = e;
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    int reportedStatus = failure == null ? status : failure.httpStatus();
    String code = failure == null ? null : failure.wixCode();
    if (log.isDebugEnabled()) {
      log.debug("Wix call: endpoint={} account={} status={} code={} attempt={} durationMs={} rateLimiterWaitMs={}",
          endpoint.metricName(), accountId, reportedStatus, code, attempt, took.toMillis(), waited.toMillis());
    }
    try {
      shared.listener.onCall(new WixCallEvent(endpoint, accountId, reportedStatus, code, took, attempt, waited));
    } catch (RuntimeException e) {
      log.warn("WixCallListener failed: endpoint={} error={}", endpoint.metricName(), e.getClass().getName());
    }
    if (failure != null) {
      throw failure;
    }
    return result;
  }

  /** The body as UTF-8 text, read at most {@link #MAX_BODY_BYTES}; an over-long error body is cut. */
  private String readBody(Response response, boolean success, WixEndpoint endpoint) throws IOException {
    BufferedSource source = response.body().source();
    if (source.request(MAX_BODY_BYTES + 1)) {
      if (success) {
        throw shared.errors.invalidResponse(endpoint, response.code(),
            "response body larger than " + MAX_BODY_BYTES + " bytes", null);
      }
      return source.getBuffer().readUtf8(MAX_BODY_BYTES);
    }
    return source.getBuffer().readUtf8();
  }

  private WixApiException interrupted(WixEndpoint endpoint, String where, Throwable cause) {
    return new WixApiException(endpoint, 0, WixApiException.INTERRUPTED, "interrupted " + where, null, List.of(),
        false, null, cause);
  }

  // ---------------------------------------------------------------- JSON and URLs

  private record ConnectedDomainEnvelope(ConnectedDomain connectedDomain) {}

  private record SetupInfoEnvelope(ConnectedDomainSetupInfo connectedDomainSetupInfo) {}

  private record DnsZoneEnvelope(DnsZone dnsZone) {}

  private record PackageEnvelope(@JsonProperty("package") ResellerPackage resellerPackage) {}

  private record UpdateDnsZoneBody(String domainName, List<DnsRecord> additions, List<DnsRecord> deletions) {}

  private DnsZone readZone(String body) throws IOException {
    return require(read(body, DnsZoneEnvelope.class).dnsZone(), "dnsZone");
  }

  private <T> T read(String body, Class<T> type) throws IOException {
    if (body == null || body.isBlank()) {
      throw new JsonProcessingException("empty body") {};
    }
    T value = shared.mapper.readValue(body, type);
    if (value == null) {
      throw new JsonProcessingException("null body") {};
    }
    return value;
  }

  private static <T> T require(T entity, String field) throws IOException {
    if (entity == null) {
      throw new JsonProcessingException("response has no \"" + field + "\"") {};
    }
    return entity;
  }

  private RequestBody jsonBody(Object value) {
    try {
      return RequestBody.create(shared.mapper.writeValueAsBytes(value), JSON);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot serialize " + value.getClass().getSimpleName(), e);
    }
  }

  private HttpUrl url(String path) {
    return shared.baseUrl.newBuilder().addPathSegments(path).build();
  }

  private HttpUrl url(String path, String lastSegment) {
    return shared.baseUrl.newBuilder().addPathSegments(path).addPathSegment(lastSegment).build();
  }

  private static String requireDomain(String domain) {
    if (domain == null || !DOMAIN.matcher(domain).matches()) {
      throw new IllegalArgumentException("not an ASCII host name: " + (domain == null ? "null" : "\"" + printable(domain) + "\""));
    }
    return domain;
  }

  private static void requireId(String id, String what) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException(what + " is missing or malformed: " + (id == null ? "null" : "\"" + printable(id) + "\""));
    }
  }

  private static String printable(String s) {
    String p = s.replaceAll("\\p{Cntrl}", "?");
    return p.length() > 80 ? p.substring(0, 80) + "…" : p;
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Releases the OkHttpClient's threads and idle connections if this client built it. A view made by
   * {@link #withRetryPolicy} does nothing here; an OkHttpClient passed to the builder is left to its owner.
   */
  @Override
  public void close() {
    if (root && shared.ownsHttp) {
      shared.http.dispatcher().executorService().shutdown();
      shared.http.connectionPool().evictAll();
    }
  }

  @Override
  public String toString() {
    return "WixClient[baseUrl=" + shared.baseUrl + ", apiKey=" + shared.apiKey + ", retryPolicy=" + retryPolicy
        + ", rateLimiter=" + shared.rateLimiter + "]";
  }

  /** Configuration of a {@link WixClient}; only {@link #apiKey} is required. */
  public static final class Builder {
    private String baseUrl = DEFAULT_BASE_URL;
    private ApiKey apiKey;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration readTimeout = DEFAULT_READ_TIMEOUT;
    private Duration writeTimeout = DEFAULT_WRITE_TIMEOUT;
    private Duration callTimeout = DEFAULT_CALL_TIMEOUT;
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private WixRateLimiter rateLimiter;
    private WixCallListener listener = WixCallListener.noop();
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.system();
    private OkHttpClient okHttpClient;
    private String userAgent = "domainlink-wix-client";

    private Builder() {}

    /** Default {@value WixClient#DEFAULT_BASE_URL}; a sandbox URL in tests and the local stack. */
    public Builder baseUrl(String url) {
      this.baseUrl = Objects.requireNonNull(url, "baseUrl");
      return this;
    }

    public Builder apiKey(ApiKey key) {
      this.apiKey = Objects.requireNonNull(key, "apiKey");
      return this;
    }

    /** TCP connect timeout per attempt (5 s). */
    public Builder connectTimeout(Duration d) {
      this.connectTimeout = positive(d, "connectTimeout");
      return this;
    }

    /** Longest silence while reading a response, headers included (15 s). */
    public Builder readTimeout(Duration d) {
      this.readTimeout = positive(d, "readTimeout");
      return this;
    }

    /** Longest stall while writing a request (15 s). */
    public Builder writeTimeout(Duration d) {
      this.writeTimeout = positive(d, "writeTimeout");
      return this;
    }

    /** Whole-attempt limit: connect, write, server time, read (30 s). Retries get a fresh one each. */
    public Builder callTimeout(Duration d) {
      this.callTimeout = positive(d, "callTimeout");
      return this;
    }

    /** {@link RetryPolicy#defaults()} unless set. */
    public Builder retryPolicy(RetryPolicy policy) {
      this.retryPolicy = Objects.requireNonNull(policy, "retryPolicy");
      return this;
    }

    /**
     * The process's limiter; if not set, the client makes its own {@link WixRateLimiter#perAccountDefault()}.
     * Pass the same instance to every client of a process (or use one client and its views).
     */
    public Builder rateLimiter(WixRateLimiter limiter) {
      this.rateLimiter = Objects.requireNonNull(limiter, "rateLimiter");
      return this;
    }

    public Builder listener(WixCallListener callListener) {
      this.listener = Objects.requireNonNull(callListener, "listener");
      return this;
    }

    /** Used for Retry-After HTTP-dates and {@code maxElapsed}. */
    public Builder clock(Clock c) {
      this.clock = Objects.requireNonNull(c, "clock");
      return this;
    }

    /** How backoff waits happen ({@link Sleeper#system()}); tests may record or skip them. */
    public Builder sleeper(Sleeper s) {
      this.sleeper = Objects.requireNonNull(s, "sleeper");
      return this;
    }

    /**
     * Share the process's OkHttpClient: the client derives its own settings from it with
     * {@link OkHttpClient#newBuilder()}, which keeps the same connection pool and dispatcher.
     * The timeouts of this builder, {@code retryOnConnectionFailure(false)} and no redirects are applied.
     */
    public Builder okHttpClient(OkHttpClient client) {
      this.okHttpClient = Objects.requireNonNull(client, "okHttpClient");
      return this;
    }

    public Builder userAgent(String ua) {
      this.userAgent = Objects.requireNonNull(ua, "userAgent");
      return this;
    }

    public WixClient build() {
      if (apiKey == null) {
        throw new IllegalStateException("WixClient needs an apiKey");
      }
      HttpUrl base = HttpUrl.parse(baseUrl);
      if (base == null) {
        throw new IllegalArgumentException("baseUrl is not an http(s) URL: " + baseUrl);
      }
      OkHttpClient http = (okHttpClient == null ? new OkHttpClient.Builder() : okHttpClient.newBuilder())
          .connectTimeout(connectTimeout)
          .readTimeout(readTimeout)
          .writeTimeout(writeTimeout)
          .callTimeout(callTimeout)
          .retryOnConnectionFailure(false)
          .followRedirects(false)
          .followSslRedirects(false)
          .build();
      ObjectMapper mapper = WixJson.newMapper();
      Shared shared = new Shared(http, okHttpClient == null, base, apiKey,
          rateLimiter == null ? WixRateLimiter.perAccountDefault() : rateLimiter,
          listener, clock, sleeper, userAgent, mapper, new WixErrors(mapper, apiKey, clock));
      return new WixClient(shared, retryPolicy, true);
    }

    private static Duration positive(Duration d, String what) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive");
      }
      return d;
    }
  }
}
