package io.domainlink.wix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.domainlink.wix.sandbox.CallRecord;
import io.domainlink.wix.sandbox.Effect;
import io.domainlink.wix.sandbox.Endpoint;
import io.domainlink.wix.sandbox.Faults;
import io.domainlink.wix.sandbox.SandboxConfig;
import io.domainlink.wix.sandbox.Scenario;
import io.domainlink.wix.sandbox.WixSandbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Contract test: the real {@link WixClient} against the real {@code wix-sandbox} (docs/wix-choices.md is the
 * contract both follow). Every endpoint, every documented error code the sandbox produces, and the three seed
 * flows call by call.
 */
class WixClientSandboxContractIT {

  static final String ACCOUNT = "3f2b8c1e-7a4d-4e9b-9c21-5d6f8a0b1c2d";
  static final String OTHER_ACCOUNT = "a81c4d2f-0b7e-4c3a-8f19-2e6d5b4c3a10";
  static final String SITE = "9d4e2a7b-1c3f-4b8e-a6d5-0f1e2d3c4b5a";
  static final String FREE_SITE = "c7e1f3a9-5b2d-4d6c-9e8f-1a2b3c4d5e6f";
  static final String PREMIUM_PRODUCT = Scenario.DEFAULT_PREMIUM_PRODUCT;
  static final List<String> WIX_A = List.of("185.230.63.107", "185.230.63.171", "185.230.63.186");
  static final String WIX_CNAME = "pointing.wixdns.net";

  static WixSandbox sandbox;
  static WixClient client;      // short retries
  static WixClient noRetry;     // a single attempt

  @BeforeAll
  static void start() {
    sandbox = WixSandbox.start(SandboxConfig.defaults().withScenario(
        new Scenario().premiumSite(SITE).propagationDelayMs(200)));
    client = WixClient.builder()
        .baseUrl(sandbox.baseUrl())
        .apiKey(ApiKey.of(Scenario.DEFAULT_API_KEY))
        .rateLimiter(WixRateLimiter.unlimited())
        .retryPolicy(RetryPolicy.defaults().withMaxAttempts(4)
            .withBackoff(Duration.ofMillis(5), Duration.ofMillis(40), 2.0))
        .build();
    noRetry = client.withRetryPolicy(RetryPolicy.none());
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @BeforeEach
  void reset() {
    sandbox.reset();
  }

  // ------------------------------------------------------------------ helpers

  static WixApiException wixError(ThrowingCallable call) {
    WixApiException e = catchThrowableOfType(call, WixApiException.class);
    assertThat(e).as("expected a WixApiException").isNotNull();
    return e;
  }

  static void assertError(WixApiException e, int status, String code, boolean retryable) {
    assertThat(e.httpStatus()).as("httpStatus of %s", e).isEqualTo(status);
    assertThat(e.wixCode()).as("wixCode of %s", e).isEqualTo(code);
    assertThat(e.retryable()).as("retryable of %s", e).isEqualTo(retryable);
  }

  static ConnectedDomain connect(String domain, ConnectionType type) {
    return client.createConnectedDomain(ACCOUNT, SITE, ConnectedDomain.toCreate(domain, type, AssignmentType.PRIMARY));
  }

  static DnsPropagationStatus awaitStatus(String domain, DnsPropagationStatus wanted) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    DnsPropagationStatus s;
    do {
      s = noRetry.getConnectedDomain(ACCOUNT, domain).dnsPropagationStatus();
      if (s == wanted) {
        return s;
      }
      Thread.sleep(40);
    } while (System.nanoTime() < deadline);
    return s;
  }

  static List<String> endpointsCalled() {
    return sandbox.calls().stream().map(c -> c.endpoint() + " " + c.status()).toList();
  }

  static CreatePackageRequest premiumPlan(String key, String siteId) {
    return new CreatePackageRequest(key, "req-" + key,
        List.of(ProductInstance.toOrder(PREMIUM_PRODUCT, siteId, Cycle.recurring(CycleUnit.YEAR, 1), "US")));
  }

  // ------------------------------------------------------------------ every endpoint

  @Test
  void createGetRecreateAndDeleteConnectedDomain() {
    ConnectedDomain created = connect("crud.test", ConnectionType.POINTING);
    assertThat(created.domain()).isEqualTo("crud.test");
    assertThat(created.connectionType()).isEqualTo(ConnectionType.POINTING);
    assertThat(created.siteId()).isEqualTo(SITE);
    assertThat(created.assignmentType()).isEqualTo(AssignmentType.PRIMARY);
    assertThat(created.dnsPropagationStatus()).isEqualTo(DnsPropagationStatus.UNKNOWN_DNS_PROPAGATION_STATUS);
    assertThat(created.id()).isNotBlank();
    assertThat(created.createdDate()).isNotNull();

    ConnectedDomain got = client.getConnectedDomain(ACCOUNT, "crud.test");
    assertThat(got.id()).isEqualTo(created.id());
    assertThat(got.siteId()).isEqualTo(SITE);

    ConnectedDomain again = connect("crud.test", ConnectionType.POINTING); // C5: identical re-create
    assertThat(again.id()).isEqualTo(created.id());
    assertThat(sandbox.count(Effect.DOMAIN_CREATED, "crud.test")).isEqualTo(1);

    client.deleteConnectedDomain(ACCOUNT, "crud.test");
    assertThat(sandbox.count(Effect.DOMAIN_DELETED, "crud.test")).isEqualTo(1);
    assertError(wixError(() -> noRetry.getConnectedDomain(ACCOUNT, "crud.test")), 404, "NOT_FOUND", false);
    // a repeated delete answers 404 NOT_FOUND (README: treat it as done)
    assertError(wixError(() -> noRetry.deleteConnectedDomain(ACCOUNT, "crud.test")), 404, "NOT_FOUND", false);
  }

  @Test
  void listConnectedDomainsPagesThroughEveryDomainNewestFirst() {
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      names.add("list" + i + ".test");
      connect("list" + i + ".test", ConnectionType.POINTING);
    }
    client.createConnectedDomain(OTHER_ACCOUNT, SITE,
        ConnectedDomain.toCreate("someone-else.test", ConnectionType.POINTING, AssignmentType.PRIMARY));

    List<String> seen = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    String cursor = null;
    ConnectedDomainPage page;
    do {
      page = client.listConnectedDomains(ACCOUNT, 2, cursor);
      sizes.add(page.connectedDomains().size());
      page.connectedDomains().forEach(d -> seen.add(d.domain()));
      cursor = page.nextCursor().orElse(null);
      assertThat(page.hasNext()).isEqualTo(cursor != null);
    } while (cursor != null);

    assertThat(sizes).containsExactly(2, 2, 1);
    assertThat(seen).containsExactly("list5.test", "list4.test", "list3.test", "list2.test", "list1.test");

    ConnectedDomainPage all = client.listConnectedDomains(ACCOUNT, null, null); // C9: default 50
    assertThat(all.connectedDomains()).extracting(ConnectedDomain::domain).containsExactlyInAnyOrderElementsOf(names);
    assertThat(all.hasNext()).isFalse();
  }

  @Test
  void setupInfoOfAPointingDomain() {
    ConnectedDomain d = connect("point-info.test", ConnectionType.POINTING);
    ConnectedDomainSetupInfo info = client.getConnectedDomainSetupInfo(ACCOUNT, "point-info.test");
    assertThat(info.connectedDomainId()).isEqualTo(d.id());
    assertThat(info.effectiveRegistrarName()).isEqualTo("OTHER");
    assertThat(info.nameserverRecord()).isNull();
    assertThat(info.subdomainRecords()).isNull();
    assertThat(info.pointingRecords().aRecord().values()).containsExactlyElementsOf(WIX_A);
    assertThat(info.pointingRecords().aRecord().ttl()).isEqualTo(3600);
    assertThat(info.pointingRecords().cnameRecord().hostName()).isEqualTo("www.point-info.test");
    assertThat(info.pointingRecords().cnameRecord().value()).isEqualTo(WIX_CNAME);
  }

  @Test
  void setupInfoOfASubdomain() {
    ConnectedDomain d = client.createConnectedDomain(ACCOUNT, SITE, ConnectedDomain.subdomainToCreate("shop.sub-info.test", null));
    assertThat(d.connectionType()).isEqualTo(ConnectionType.UNKNOWN_CONNECTION_TYPE);
    ConnectedDomainSetupInfo info = client.getConnectedDomainSetupInfo(ACCOUNT, "shop.sub-info.test");
    assertThat(info.nameserverRecord()).isNull();
    assertThat(info.pointingRecords()).isNull();
    assertThat(info.subdomainRecords().cnameRecords()).singleElement().satisfies(c -> {
      assertThat(c.hostName()).isEqualTo("shop.sub-info.test"); // the full name, as the client fixture (C12 "<sub>")
      assertThat(c.value()).isEqualTo(WIX_CNAME);
    });
  }

  @Test
  void setupInfoOfANameserversDomainInBothShapesGivesTheSameExpectedRecords() {
    connect("ns-info.test", ConnectionType.NAMESERVERS);

    ConnectedDomainSetupInfo schema = client.getConnectedDomainSetupInfo(ACCOUNT, "ns-info.test");
    assertThat(schema.pointingRecords()).isNull();
    assertThat(schema.nameserverRecord().nsRecord().values()).containsExactly("ns12.wixdns.net", "ns13.wixdns.net");
    assertThat(schema.nameserverRecord().nsRecord().ttl()).isEqualTo(86400);
    assertThat(schema.registrar().name()).isEqualTo("OTHER");
    assertThat(schema.registrar().nameServers()).containsExactly("ns1.registrar.test", "ns2.registrar.test");
    ExpectedRecords fromPreview = client.expectedNameserverRecords(ACCOUNT, "ns-info.test", schema);
    assertThat(fromPreview.source()).isEqualTo(ExpectedRecords.Source.DNS_ZONE_PREVIEW);

    sandbox.updateScenario(s -> s.nameserversSetupInfo(Scenario.NameserversSetupInfo.SAMPLE_FLOW));
    ConnectedDomainSetupInfo sample = client.getConnectedDomainSetupInfo(ACCOUNT, "ns-info.test");
    assertThat(sample.nameserverRecord().nsRecord().values()).containsExactly("ns12.wixdns.net", "ns13.wixdns.net");
    assertThat(sample.pointingRecords()).isNotNull();
    ExpectedRecords fromSetupInfo = client.expectedNameserverRecords(ACCOUNT, "ns-info.test", sample);
    assertThat(fromSetupInfo.source()).isEqualTo(ExpectedRecords.Source.SETUP_INFO_POINTING_RECORDS);

    for (ExpectedRecords r : List.of(fromPreview, fromSetupInfo)) {
      assertThat(r.aValues()).containsExactlyInAnyOrderElementsOf(WIX_A);
      assertThat(DnsZone.normalizeHost(r.aRecord().hostName())).isEqualTo("ns-info.test");
      assertThat(DnsZone.normalizeHost(r.wwwCname().hostName())).isEqualTo("www.ns-info.test");
      assertThat(r.wwwCnameTarget()).isEqualTo(WIX_CNAME);
    }
    assertThat(fromSetupInfo.toDnsRecords()).isEqualTo(fromPreview.toDnsRecords());
  }

  @Test
  void getPreviewAndUpdateDnsZone() {
    connect("zone.test", ConnectionType.NAMESERVERS);
    DnsZone zone = client.getDnsZone(ACCOUNT, "zone.test");
    assertThat(zone.domainName()).isEqualTo("zone.test");
    assertThat(zone.find(RecordType.NS, "zone.test")).isPresent();
    assertThat(zone.find(RecordType.SOA, "zone.test")).isPresent();
    assertThat(zone.find(RecordType.A, "zone.test").orElseThrow().values()).containsExactly("192.0.2.1"); // C13 parked

    DnsZone preview = client.previewDnsZone(ACCOUNT, "zone.test");
    assertThat(preview.find(RecordType.A, "zone.test").orElseThrow().values()).containsExactlyInAnyOrderElementsOf(WIX_A);
    assertThat(preview.find(RecordType.CNAME, "www.zone.test").orElseThrow().values()).containsExactly(WIX_CNAME);

    DnsRecord mx = DnsRecord.of(RecordType.MX, "zone.test", 3600, List.of("5 aspmx.l.google.com", "10 alt1.aspmx.l.google.com"));
    DnsZone updated = client.updateDnsZone(ACCOUNT, "zone.test",
        List.of(DnsRecord.of(RecordType.A, "zone.test", 3600, WIX_A), mx),
        List.of(DnsRecord.of(RecordType.A, "zone.test", 3600, List.of("192.0.2.1"))));
    assertThat(updated.find(RecordType.A, "zone.test").orElseThrow().values()).containsExactlyInAnyOrderElementsOf(WIX_A);
    assertThat(updated.find(RecordType.MX, "zone.test").orElseThrow().values()).hasSize(2);
    assertThat(updated.find(RecordType.NS, "zone.test")).isPresent();  // C14: the whole zone
    assertThat(client.getDnsZone(ACCOUNT, "zone.test").records()).containsExactlyInAnyOrderElementsOf(updated.records());

    DnsZone unchanged = client.updateDnsZone(ACCOUNT, "zone.test", List.of(), List.of()); // C21
    assertThat(unchanged.records()).containsExactlyInAnyOrderElementsOf(updated.records());
  }

  @Test
  void createPackageAndReplayItWithTheSameIdempotencyKey() {
    CreatePackageRequest req = premiumPlan("5b1e7c3a-2d4f-4a6b-8c9d-0e1f2a3b4c5d", FREE_SITE);
    CreatePackageResponse first = client.createPackage(ACCOUNT, req);
    assertThat(first.idempotencyKey()).isEqualTo(req.idempotencyKey());
    ResellerPackage pkg = first.resellerPackage();
    assertThat(pkg.id()).isNotBlank();
    assertThat(pkg.externalId()).isEqualTo(req.externalId());
    assertThat(pkg.productInstances()).singleElement().satisfies(p -> {
      assertThat(p.catalogProductId()).isEqualTo(PREMIUM_PRODUCT);
      assertThat(p.siteId()).isEqualTo(FREE_SITE);
      assertThat(p.instanceId()).isNotBlank();
      assertThat(p.billingInfo()).isEqualTo(Cycle.recurring(CycleUnit.YEAR, 1));
    });

    CreatePackageResponse replay = client.createPackage(ACCOUNT, req); // C17
    assertThat(replay).isEqualTo(first);
    List<CallRecord> creates = sandbox.calls(Endpoint.CREATE_PACKAGE);
    assertThat(creates).extracting(CallRecord::effect).containsExactly(Effect.PACKAGE_CREATED, Effect.NONE);
    assertThat(creates).extracting(CallRecord::idempotencyKey).containsOnly(req.idempotencyKey());

    CreatePackageRequest otherBody = new CreatePackageRequest(req.idempotencyKey(), "another-external-id", req.products());
    assertError(wixError(() -> noRetry.createPackage(ACCOUNT, otherBody)), 409, "IDEMPOTENCY_KEY_CONFLICT", false);
  }

  @Test
  void cancelPackageCancelsOnceIsRepeatSafeAndOnlyForItsOwnAccount() {
    CreatePackageRequest req = premiumPlan("0c2e4a6b-8d1f-4b3c-9e5a-7f9b1d3e5a7c", FREE_SITE);
    ResellerPackage created = client.createPackage(ACCOUNT, req).resellerPackage();
    assertThat(created.canceled()).isFalse();
    connect("before-cancel.test", ConnectionType.POINTING); // SITE is premium by the scenario; FREE_SITE by the package
    client.createConnectedDomain(ACCOUNT, FREE_SITE,
        ConnectedDomain.toCreate("bought.test", ConnectionType.POINTING, AssignmentType.PRIMARY));

    assertError(wixError(() -> noRetry.cancelPackage(OTHER_ACCOUNT, created.id())), 404, "PACKAGE_NOT_FOUND", false);
    ResellerPackage canceled = client.cancelPackage(ACCOUNT, created.id());
    ResellerPackage again = client.cancelPackage(ACCOUNT, created.id()); // C23: repeat-safe
    ResellerPackage replayed = client.createPackage(ACCOUNT, req).resellerPackage();

    assertThat(canceled.id()).isEqualTo(created.id());
    assertThat(canceled.canceled()).isTrue();
    assertThat(canceled.productInstances()).extracting(ProductInstance::siteId).containsExactly(FREE_SITE);
    assertThat(again).isEqualTo(canceled);
    assertThat(replayed).isEqualTo(canceled);
    assertThat(sandbox.calls(Endpoint.CANCEL_PACKAGE)).extracting(CallRecord::effect)
        .containsExactly(Effect.NONE, Effect.PACKAGE_CANCELED, Effect.NONE);
    assertThat(sandbox.calls(Endpoint.CREATE_PACKAGE)).filteredOn(c -> c.effect() == Effect.PACKAGE_CREATED).hasSize(1);
    // the plan is gone: the site takes no new domain; the one connected while it was premium stays
    assertError(wixError(() -> noRetry.createConnectedDomain(ACCOUNT, FREE_SITE,
        ConnectedDomain.toCreate("after-cancel.test", ConnectionType.POINTING, AssignmentType.PRIMARY))),
        403, "NON_PREMIUM_SITE", false);
    assertThat(client.getConnectedDomain(ACCOUNT, "bought.test").siteId()).isEqualTo(FREE_SITE);
    assertError(wixError(() -> noRetry.cancelPackage(ACCOUNT, "7d9f1b3c-5e7a-4c2d-8f0b-2d4f6a8c0e1f")),
        404, "PACKAGE_NOT_FOUND", false);
  }

  // ------------------------------------------------------------------ every documented error code

  @Test
  void wrongApiKeyIsUnauthenticated() {
    try (WixClient wrong = WixClient.builder().baseUrl(sandbox.baseUrl()).apiKey(ApiKey.of("not-the-sandbox-key"))
        .rateLimiter(WixRateLimiter.unlimited()).retryPolicy(RetryPolicy.none()).build()) {
      assertError(wixError(() -> wrong.listConnectedDomains(ACCOUNT, null, null)), 401, "UNAUTHENTICATED", false);
    }
  }

  @Test
  void idsThatAreNotGuidsAreDomainsGuidNotValid() {
    assertError(wixError(() -> noRetry.listConnectedDomains("account-42", null, null)), 400, "DOMAINS_GUID_NOT_VALID", false);
    assertError(wixError(() -> noRetry.createConnectedDomain(ACCOUNT, "site-42",
        ConnectedDomain.toCreate("guid.test", ConnectionType.POINTING, AssignmentType.PRIMARY))),
        400, "DOMAINS_GUID_NOT_VALID", false);
  }

  @Test
  void invalidConnectionTypeIsAValidationErrorReadAsItsRuleName() {
    WixApiException hidden = wixError(() -> noRetry.createConnectedDomain(ACCOUNT, SITE,
        ConnectedDomain.toCreate("hidden.test", ConnectionType.HIDDEN, AssignmentType.PRIMARY)));
    assertError(hidden, 400, "INVALID_CONNECTION_TYPE", false);
    assertThat(hidden.fieldViolations()).isNotEmpty();
    assertThat(hidden.fieldViolations().get(0).field()).isEqualTo("connectedDomain.connectionType");

    assertError(wixError(() -> noRetry.createConnectedDomain(ACCOUNT, SITE,
        ConnectedDomain.toCreate("www.typed-sub.test", ConnectionType.POINTING, AssignmentType.PRIMARY))),
        400, "INVALID_CONNECTION_TYPE", false);
  }

  @Test
  void freeSiteIsNonPremiumSite() {
    assertError(wixError(() -> noRetry.createConnectedDomain(ACCOUNT, FREE_SITE,
        ConnectedDomain.toCreate("free.test", ConnectionType.POINTING, AssignmentType.PRIMARY))),
        403, "NON_PREMIUM_SITE", false);
  }

  @Test
  void differentConnectionTypeIsDomainsAlreadyExists() {
    connect("taken.test", ConnectionType.POINTING);
    assertError(wixError(() -> noRetry.createConnectedDomain(ACCOUNT, SITE,
        ConnectedDomain.toCreate("taken.test", ConnectionType.NAMESERVERS, AssignmentType.PRIMARY))),
        409, "DOMAINS_ALREADY_EXISTS", false);
  }

  @Test
  void anotherAccountsDomainIsDomainsDomainNotPermitted() {
    connect("mine.test", ConnectionType.NAMESERVERS);
    List<ThrowingCallable> calls = List.of(
        () -> noRetry.createConnectedDomain(OTHER_ACCOUNT, SITE,
            ConnectedDomain.toCreate("mine.test", ConnectionType.NAMESERVERS, AssignmentType.PRIMARY)),
        () -> noRetry.getConnectedDomain(OTHER_ACCOUNT, "mine.test"),
        () -> noRetry.getConnectedDomainSetupInfo(OTHER_ACCOUNT, "mine.test"),
        () -> noRetry.getDnsZone(OTHER_ACCOUNT, "mine.test"));
    for (ThrowingCallable call : calls) {
      assertError(wixError(call), 403, "DOMAINS_DOMAIN_NOT_PERMITTED", false);
    }
  }

  @Test
  void unknownDomainIsNotFound() {
    assertError(wixError(() -> noRetry.getConnectedDomain(ACCOUNT, "nowhere.test")), 404, "NOT_FOUND", false);
    assertError(wixError(() -> noRetry.getConnectedDomainSetupInfo(ACCOUNT, "nowhere.test")), 404, "NOT_FOUND", false);
    WixApiException delete = wixError(() -> noRetry.deleteConnectedDomain(ACCOUNT, "nowhere.test"));
    assertError(delete, 404, "NOT_FOUND", false);
    assertThat(delete.wixMessage()).contains("nowhere.test");
  }

  @Test
  void zoneOfAnUnknownDomainIsDnsZoneNotFoundAndOfAPointingDomainDomainNotPermitted() {
    assertError(wixError(() -> noRetry.getDnsZone(ACCOUNT, "no-zone.test")), 404, "DNS_ZONE_NOT_FOUND", false);
    connect("pointed.test", ConnectionType.POINTING);
    assertError(wixError(() -> noRetry.getDnsZone(ACCOUNT, "pointed.test")), 428, "DOMAIN_NOT_PERMITTED", false);
    assertError(wixError(() -> noRetry.previewDnsZone(ACCOUNT, "pointed.test")), 428, "DOMAIN_NOT_PERMITTED", false);
    assertError(wixError(() -> noRetry.updateDnsZone(ACCOUNT, "pointed.test",
        List.of(DnsRecord.of(RecordType.TXT, "pointed.test", 3600, List.of("v=spf1 -all"))), List.of())),
        428, "DOMAIN_NOT_PERMITTED", false);
  }

  @Test
  void invalidZoneAdditionsAre428() {
    connect("bad-records.test", ConnectionType.NAMESERVERS);
    assertError(wixError(() -> noRetry.updateDnsZone(ACCOUNT, "bad-records.test",
        List.of(DnsRecord.of(RecordType.MX, "bad-records.test", 3600, List.of("aspmx.l.google.com"))), List.of())),
        428, "DOMAIN_MX_RECORD_VALUE_INVALID", false);
    assertError(wixError(() -> noRetry.updateDnsZone(ACCOUNT, "bad-records.test",
        List.of(DnsRecord.of(RecordType.CNAME, "elsewhere.test", 3600, List.of(WIX_CNAME))), List.of())),
        428, "DOMAIN_CNAME_RECORD_HOSTNAME_INVALID", false);
    // C21: a second record object for the same type and host
    assertError(wixError(() -> noRetry.updateDnsZone(ACCOUNT, "bad-records.test",
        List.of(DnsRecord.of(RecordType.A, "bad-records.test", 3600, WIX_A)), List.of())),
        428, "DOMAIN_MX_RECORD_VALUE_INVALID", false);
    assertThat(sandbox.count(Effect.ZONE_UPDATED, "bad-records.test")).isZero();
  }

  @Test
  void unknownProductIsProductNotFoundAndNoBillingIsMissingBillingCycle() {
    CreatePackageRequest unknown = new CreatePackageRequest("e2a4c6b8-1d3f-4a5b-9c7d-8e0f1a2b3c4d", null,
        List.of(ProductInstance.toOrder("0f0f0f0f-0000-4000-8000-000000000000", SITE, Cycle.oneTime(), "US")));
    assertError(wixError(() -> noRetry.createPackage(ACCOUNT, unknown)), 404, "PRODUCT_NOT_FOUND", false);

    CreatePackageRequest noBilling = new CreatePackageRequest("f3b5d7c9-2e4a-4b6c-8d0e-9f1a2b3c4d5e", null,
        List.of(ProductInstance.toOrder(PREMIUM_PRODUCT, SITE, null, "US")));
    assertError(wixError(() -> noRetry.createPackage(ACCOUNT, noBilling)), 428, "MISSING_BILLING_CYCLE", false);
  }

  @Test
  void tooManyRequestsIsRetryableWithRetryAfter() {
    sandbox.setFaults(new Faults().tooManyRequestsRate(1.0, 1));
    WixApiException e = wixError(() -> noRetry.listConnectedDomains(ACCOUNT, null, null));
    assertError(e, 429, "RESOURCE_EXHAUSTED", true);
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(1));
    assertThat(e).isNotInstanceOf(WixRetriesExhaustedException.class);
  }

  @Test
  void scriptedTooManyRequestsIsRetriedAfterRetryAfter() {
    connect("busy.test", ConnectionType.POINTING);
    Scenario.ScriptedError tooMany = new Scenario.ScriptedError(Endpoint.GET_CONNECTED_DOMAIN, 429,
        "RESOURCE_EXHAUSTED", "Too many requests.").times(1);
    tooMany.retryAfterSeconds = 1;
    sandbox.updateScenario(s -> s.rule(new Scenario.Rule("busy.test").error(tooMany)));
    sandbox.clearCalls();
    long start = System.nanoTime();
    assertThat(client.getConnectedDomain(ACCOUNT, "busy.test").domain()).isEqualTo("busy.test");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
    assertThat(sandbox.calls()).extracting(CallRecord::status).containsExactly(429, 200);
  }

  @Test
  void serverErrorsAreRetried() {
    connect("flaky.test", ConnectionType.POINTING);
    sandbox.updateScenario(s -> s.rule(new Scenario.Rule("flaky.test").error(
        new Scenario.ScriptedError(Endpoint.GET_CONNECTED_DOMAIN, 503, "UNAVAILABLE", null).times(2))));
    sandbox.clearCalls();
    assertThat(client.getConnectedDomain(ACCOUNT, "flaky.test").domain()).isEqualTo("flaky.test");
    assertThat(sandbox.calls()).extracting(CallRecord::status).containsExactly(503, 503, 200);

    sandbox.setFaults(new Faults().serverErrorRate(1.0));
    WixApiException single = wixError(() -> noRetry.getConnectedDomain(ACCOUNT, "flaky.test"));
    assertThat(single).isNotInstanceOf(WixRetriesExhaustedException.class);
    assertThat(single.httpStatus()).isIn(500, 503);
    assertThat(single.wixCode()).isEqualTo(single.httpStatus() == 500 ? "INTERNAL" : "UNAVAILABLE");
    assertThat(single.retryable()).isTrue();

    sandbox.clearCalls();
    WixApiException exhausted = wixError(() -> client.getConnectedDomain(ACCOUNT, "flaky.test"));
    assertThat(exhausted).isInstanceOf(WixRetriesExhaustedException.class);
    assertThat(((WixRetriesExhaustedException) exhausted).attempts()).isEqualTo(4);
    assertThat(exhausted.httpStatus()).isIn(500, 503);
    assertThat(exhausted.retryable()).isTrue();
    assertThat(sandbox.calls()).hasSize(4);
  }

  // ------------------------------------------------------------------ the three seed flows

  @Test
  void nameserversFlowWithPlan() throws InterruptedException {
    String domain = "ns-flow.test";
    // 1. the plan makes the free site premium (C18)
    CreatePackageResponse plan = client.createPackage(ACCOUNT, premiumPlan("7c9e1a3b-5d7f-4b2c-9e4a-6b8d0f2a4c6e", FREE_SITE));
    assertThat(plan.resellerPackage().productInstances()).hasSize(1);
    // 2. connect
    ConnectedDomain created = client.createConnectedDomain(ACCOUNT, FREE_SITE,
        ConnectedDomain.toCreate(domain, ConnectionType.NAMESERVERS, AssignmentType.PRIMARY));
    assertThat(created.dnsPropagationStatus()).isEqualTo(DnsPropagationStatus.UNKNOWN_DNS_PROPAGATION_STATUS);
    // 3. setup info (schema shape) and the expected records (from the preview)
    ConnectedDomainSetupInfo info = client.getConnectedDomainSetupInfo(ACCOUNT, domain);
    assertThat(info.nameserverRecord().nsRecord().values()).containsExactly("ns12.wixdns.net", "ns13.wixdns.net");
    ExpectedRecords expected = client.expectedNameserverRecords(ACCOUNT, domain, info);
    // 4. read the zone, replace the parked A record and add the www CNAME
    DnsZone zone = client.getDnsZone(ACCOUNT, domain);
    DnsRecord parked = zone.find(RecordType.A, domain).orElseThrow();
    DnsZone updated = client.updateDnsZone(ACCOUNT, domain, expected.toDnsRecords(), List.of(parked));
    assertThat(updated.find(RecordType.A, domain).orElseThrow().values()).containsExactlyInAnyOrderElementsOf(WIX_A);
    assertThat(updated.find(RecordType.CNAME, "www." + domain).orElseThrow().values()).containsExactly(WIX_CNAME);
    // 5. propagation
    assertThat(noRetry.getConnectedDomain(ACCOUNT, domain).dnsPropagationStatus()).isEqualTo(DnsPropagationStatus.IN_PROGRESS);
    assertThat(awaitStatus(domain, DnsPropagationStatus.COMPLETED)).isEqualTo(DnsPropagationStatus.COMPLETED);

    List<String> calls = endpointsCalled();
    assertThat(calls.subList(0, 7)).containsExactly(
        "CREATE_PACKAGE 200", "CREATE_CONNECTED_DOMAIN 200", "GET_CONNECTED_DOMAIN_SETUP_INFO 200",
        "PREVIEW_DNS_ZONE 200", "GET_DNS_ZONE 200", "UPDATE_DNS_ZONE 200", "GET_CONNECTED_DOMAIN 200");
    assertThat(new HashSet<>(calls.subList(7, calls.size()))).containsOnly("GET_CONNECTED_DOMAIN 200");
    assertThat(sandbox.calls()).extracting(CallRecord::effect).filteredOn(e -> e != Effect.NONE)
        .containsExactly(Effect.PACKAGE_CREATED, Effect.DOMAIN_CREATED, Effect.ZONE_UPDATED);
    assertThat(sandbox.domain(domain).orElseThrow().dnsPropagationStatus()).isEqualTo("COMPLETED");
  }

  @Test
  void pointingFlow() throws InterruptedException {
    ownerFlow("point-flow.test", ConnectionType.POINTING);
  }

  @Test
  void subdomainFlow() throws InterruptedException {
    ownerFlow("blog.sub-flow.test", null);
  }

  private void ownerFlow(String domain, ConnectionType type) throws InterruptedException {
    ConnectedDomain created = type == null
        ? client.createConnectedDomain(ACCOUNT, SITE, ConnectedDomain.subdomainToCreate(domain, true))
        : connect(domain, type);
    assertThat(created.dnsPropagationStatus()).isEqualTo(DnsPropagationStatus.UNKNOWN_DNS_PROPAGATION_STATUS);

    ConnectedDomainSetupInfo info = client.getConnectedDomainSetupInfo(ACCOUNT, domain);
    if (type == null) {
      assertThat(info.subdomainRecords().cnameRecords()).extracting(CnameRecord::value).containsOnly(WIX_CNAME);
    } else {
      assertThat(info.pointingRecords().aRecord().values()).containsExactlyElementsOf(WIX_A);
    }
    // nothing moves until the owner sets the records at the registrar
    assertThat(noRetry.getConnectedDomain(ACCOUNT, domain).dnsPropagationStatus())
        .isEqualTo(DnsPropagationStatus.UNKNOWN_DNS_PROPAGATION_STATUS);
    sandbox.ownerSetRecords(domain);
    assertThat(noRetry.getConnectedDomain(ACCOUNT, domain).dnsPropagationStatus()).isEqualTo(DnsPropagationStatus.IN_PROGRESS);
    assertThat(awaitStatus(domain, DnsPropagationStatus.COMPLETED)).isEqualTo(DnsPropagationStatus.COMPLETED);

    List<String> calls = endpointsCalled();
    assertThat(calls.subList(0, 4)).containsExactly("CREATE_CONNECTED_DOMAIN 200",
        "GET_CONNECTED_DOMAIN_SETUP_INFO 200", "GET_CONNECTED_DOMAIN 200", "GET_CONNECTED_DOMAIN 200");
    assertThat(Set.copyOf(calls.subList(4, calls.size()))).containsOnly("GET_CONNECTED_DOMAIN 200");
    assertThat(sandbox.calls()).extracting(CallRecord::effect).filteredOn(e -> e != Effect.NONE)
        .containsExactly(Effect.DOMAIN_CREATED);
  }
}
