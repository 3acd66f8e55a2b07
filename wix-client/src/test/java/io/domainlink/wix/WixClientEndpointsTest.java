package io.domainlink.wix;

import static io.domainlink.wix.Fixtures.ACCOUNT;
import static io.domainlink.wix.Fixtures.SECRET;
import static io.domainlink.wix.Fixtures.SITE;
import static io.domainlink.wix.Fixtures.bodyOf;
import static io.domainlink.wix.Fixtures.json;
import static io.domainlink.wix.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every endpoint: the request on the wire, and the reference's example responses parsed verbatim. */
class WixClientEndpointsTest {

  @StartStop
  public final MockWebServer server = new MockWebServer();

  private WixClient client;

  @BeforeEach
  void setUp() {
    client = Fixtures.client(server).build();
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  /** Reference 2.3, NAMESERVERS example response, verbatim. */
  static final String CREATED_NAMESERVERS = """
      {"connectedDomain": {
        "id": "mysite.com",
        "domain": "mysite.com",
        "connectionType": "NAMESERVERS",
        "siteInfo": { "id": "<SITE_ID>", "assignmentType": "PRIMARY" },
        "suppressNotifications": false,
        "dnsPropagationStatus": "UNKNOWN_DNS_PROPAGATION_STATUS"
      }}""";

  private void assertCommonHeaders(RecordedRequest r) {
    assertThat(r.getHeaders().get("Authorization")).isEqualTo(SECRET);
    assertThat(r.getHeaders().get("wix-account-id")).isEqualTo(ACCOUNT);
    assertThat(r.getHeaders().get("Content-Type")).isEqualTo("application/json");
  }

  @Test
  void createConnectedDomainPostsTheBodyWithAccountAndSiteHeaders() throws Exception {
    server.enqueue(json(200, CREATED_NAMESERVERS));

    ConnectedDomain created = client.createConnectedDomain(ACCOUNT, SITE,
        ConnectedDomain.toCreate("mysite.com", ConnectionType.NAMESERVERS, AssignmentType.PRIMARY));

    RecordedRequest r = server.takeRequest();
    assertThat(r.getMethod()).isEqualTo("POST");
    assertThat(r.getTarget()).isEqualTo("/domains/v1/connected-domains");
    assertCommonHeaders(r);
    assertThat(r.getHeaders().get("wix-site-id")).isEqualTo(SITE);
    assertThat(bodyOf(r)).isEqualTo(tree("""
        {"connectedDomain": {"domain": "mysite.com", "connectionType": "NAMESERVERS",
         "siteInfo": {"assignmentType": "PRIMARY"}}}"""));

    assertThat(created).isEqualTo(new ConnectedDomain("mysite.com", "mysite.com", ConnectionType.NAMESERVERS,
        new SiteInfo("<SITE_ID>", AssignmentType.PRIMARY, null), false,
        DnsPropagationStatus.UNKNOWN_DNS_PROPAGATION_STATUS, null, null));
    assertThat(created.siteId()).isEqualTo("<SITE_ID>");
  }

  @Test
  void createSubdomainSendsNoConnectionTypeAndReadsUnknownConnectionType() throws Exception {
    server.enqueue(json(200, """
        {"connectedDomain": {"id": "sub.mysite.com", "domain": "sub.mysite.com", "connectionType": "UNKNOWN_CONNECTION_TYPE",
         "siteInfo": {"id": "<SITE_ID>", "assignmentType": "PRIMARY"}, "suppressNotifications": true,
         "dnsPropagationStatus": "UNKNOWN_DNS_PROPAGATION_STATUS"}}"""));

    ConnectedDomain created = client.createConnectedDomain(ACCOUNT, SITE,
        ConnectedDomain.subdomainToCreate("sub.mysite.com", true));

    assertThat(bodyOf(server.takeRequest()))
        .isEqualTo(tree("{\"connectedDomain\": {\"domain\": \"sub.mysite.com\", \"suppressNotifications\": true}}"));
    assertThat(created.connectionType()).isEqualTo(ConnectionType.UNKNOWN_CONNECTION_TYPE);
    assertThat(created.suppressNotifications()).isTrue();
  }

  @Test
  void getConnectedDomainReadsDatesUnknownEnumsAndUnknownFields() throws Exception {
    server.enqueue(json(200, """
        {"connectedDomain": {"id": "mysite.com", "domain": "mysite.com", "connectionType": "ENTRI_MAGIC",
         "siteInfo": {"id": "s1", "assignmentType": "SOMETHING_NEW", "redirectInfo": {"primaryDomain": "main.com"}},
         "dnsPropagationStatus": "IN_PROGRESS", "createdDate": "2021-12-02T15:45:30.941Z",
         "updatedDate": "2021-12-02T15:45:31.815Z", "connectedByEntri": true, "futureObject": {"a": [1, 2]}}}"""));

    ConnectedDomain d = client.getConnectedDomain(ACCOUNT, "mysite.com");

    RecordedRequest r = server.takeRequest();
    assertThat(r.getMethod()).isEqualTo("GET");
    assertThat(r.getTarget()).isEqualTo("/domains/v1/connected-domains/mysite.com");
    assertCommonHeaders(r);
    assertThat(r.getHeaders().get("wix-site-id")).isNull();
    assertThat(d.connectionType()).isEqualTo(ConnectionType.UNKNOWN_CONNECTION_TYPE);
    assertThat(d.assignmentType()).isEqualTo(AssignmentType.UNKNOWN_ASSIGNMENT_TYPE);
    assertThat(d.siteInfo().redirectInfo().primaryDomain()).isEqualTo("main.com");
    assertThat(d.dnsPropagationStatus()).isEqualTo(DnsPropagationStatus.IN_PROGRESS);
    assertThat(d.createdDate()).isEqualTo(Instant.parse("2021-12-02T15:45:30.941Z"));
    assertThat(d.suppressNotifications()).isNull();
  }

  @Test
  void getConnectedDomainToleratesMissingFields() {
    server.enqueue(json(200, "{\"connectedDomain\": {\"domain\": \"mysite.com\"}}"));

    ConnectedDomain d = client.getConnectedDomain(ACCOUNT, "mysite.com");

    assertThat(d.domain()).isEqualTo("mysite.com");
    assertThat(d.siteInfo()).isNull();
    assertThat(d.siteId()).isNull();
    assertThat(d.assignmentType()).isNull();
    assertThat(d.dnsPropagationStatus()).isNull();
  }

  @Test
  void listConnectedDomainsSendsPagingParametersAndReadsTheReferenceExample() throws Exception {
    server.enqueue(json(200, """
        {
          "pagingMetadata": { "count": 1, "cursors": { "next": null, "prev": null }, "hasNext": false },
          "connectedDomains": [ {
            "id": "mysite.com", "domain": "mysite.com", "connectionType": "NAMESERVERS",
            "siteInfo": { "id": "<SITE_ID>", "assignmentType": "PRIMARY" },
            "suppressNotifications": false, "dnsPropagationStatus": "UNKNOWN_DNS_PROPAGATION_STATUS"
          } ]
        }"""));
    server.enqueue(json(200, "{\"pagingMetadata\": {\"count\": 0, \"cursors\": {\"next\": \"NTA=\"}, \"hasNext\": true}}"));

    ConnectedDomainPage first = client.listConnectedDomains(ACCOUNT, 100, "Y3Vyc29y");
    ConnectedDomainPage second = client.listConnectedDomains(ACCOUNT, null, null);

    RecordedRequest r1 = server.takeRequest();
    assertThat(r1.getMethod()).isEqualTo("GET");
    assertThat(r1.getTarget()).isEqualTo("/domains/v1/connected-domains?paging.limit=100&paging.cursor=Y3Vyc29y");
    assertCommonHeaders(r1);
    assertThat(server.takeRequest().getTarget()).isEqualTo("/domains/v1/connected-domains");
    assertThat(first.connectedDomains()).singleElement().extracting(ConnectedDomain::domain).isEqualTo("mysite.com");
    assertThat(first.hasNext()).isFalse();
    assertThat(first.nextCursor()).isEmpty();
    assertThat(second.connectedDomains()).isEmpty();
    assertThat(second.hasNext()).isTrue();
    assertThat(second.nextCursor()).contains("NTA=");
    assertThatThrownBy(() -> client.listConnectedDomains(ACCOUNT, 101, null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void deleteConnectedDomainSendsDeleteAndAcceptsEmptyObjectOrEmptyBody() throws Exception {
    server.enqueue(json(200, "{}"));
    server.enqueue(new mockwebserver3.MockResponse.Builder().code(200).build());

    client.deleteConnectedDomain(ACCOUNT, "mysite.com");
    client.deleteConnectedDomain(ACCOUNT, "mysite.com");

    RecordedRequest r = server.takeRequest();
    assertThat(r.getMethod()).isEqualTo("DELETE");
    assertThat(r.getTarget()).isEqualTo("/domains/v1/connected-domains/mysite.com");
    assertCommonHeaders(r);
    assertThat(r.getBodySize()).isZero();
  }

  @Test
  void setupInfoReadsTheReferenceExampleWithItsRegistrarNameQuirk() throws Exception {
    server.enqueue(json(200, """
        {"connectedDomainSetupInfo": {
          "connectedDomainId": "mysite.com",
          "registrarName": "GO_DADDY",
          "nameserverRecord": {"nsRecord": {
            "hostName": "mysite.com",
            "ttl": 86400,
            "values": ["ns13.wixdns.net", "ns12.wixdns.net"]
          }}
        }}"""));

    ConnectedDomainSetupInfo info = client.getConnectedDomainSetupInfo(ACCOUNT, "mysite.com");

    RecordedRequest r = server.takeRequest();
    assertThat(r.getMethod()).isEqualTo("GET");
    assertThat(r.getTarget()).isEqualTo("/domains/v1/connected-domain-setup-info/mysite.com");
    assertCommonHeaders(r);
    assertThat(info.connectedDomainId()).isEqualTo("mysite.com");
    assertThat(info.registrar()).isNull();
    assertThat(info.effectiveRegistrarName()).isEqualTo("GO_DADDY");
    assertThat(info.nameserverRecord().nsRecord())
        .isEqualTo(new NsRecord("mysite.com", 86400, List.of("ns13.wixdns.net", "ns12.wixdns.net")));
    assertThat(info.pointingRecords()).isNull();
    assertThat(info.subdomainRecords()).isNull();
  }

  @Test
  void setupInfoReadsThePointingAndSubdomainShapes() {
    server.enqueue(json(200, """
        {"connectedDomainSetupInfo": {
          "connectedDomainId": "mybusiness.com",
          "registrar": { "name": "GoDaddy", "nameServers": ["ns01.domaincontrol.com", "ns02.domaincontrol.com"] },
          "pointingRecords": {
            "aRecord":     { "hostName": "mybusiness.com",     "ttl": 3600, "values": ["185.230.63.107"] },
            "cnameRecord": { "hostName": "www.mybusiness.com", "ttl": 3600, "value": "pointing.wixdns.net" }
          }
        }}"""));
    server.enqueue(json(200, """
        {"connectedDomainSetupInfo": {
          "connectedDomainId": "shop.mybusiness.com",
          "subdomainRecords": { "cnameRecords": [ { "hostName": "shop.mybusiness.com", "ttl": 3600, "value": "pointing.wixdns.net" } ] }
        }}"""));

    ConnectedDomainSetupInfo pointing = client.getConnectedDomainSetupInfo(ACCOUNT, "mybusiness.com");
    ConnectedDomainSetupInfo sub = client.getConnectedDomainSetupInfo(ACCOUNT, "shop.mybusiness.com");

    assertThat(pointing.effectiveRegistrarName()).isEqualTo("GoDaddy");
    assertThat(pointing.registrar().nameServers()).containsExactly("ns01.domaincontrol.com", "ns02.domaincontrol.com");
    assertThat(pointing.pointingRecords().aRecord().values()).containsExactly("185.230.63.107");
    assertThat(pointing.pointingRecords().cnameRecord().value()).isEqualTo("pointing.wixdns.net");
    assertThat(sub.subdomainRecords().cnameRecords())
        .containsExactly(new CnameRecord("shop.mybusiness.com", 3600, "pointing.wixdns.net"));
  }

  @Test
  void getDnsZoneReadsTheReferenceExampleAndUnknownRecordTypes() throws Exception {
    server.enqueue(json(200, """
        {"dnsZone": {"records": [{"values": ["10 aspmx.l.google.com"], "ttl": 3600, "hostName": "mysite.com", "type": "MX"}], "domainName": "mysite.com"}}"""));
    server.enqueue(json(200, """
        {"dnsZone": {"id": "mysite.com", "domainName": "mysite.com", "dnssecEnabled": true, "dnssecInfo": {"keyTag": 7, "digest": "ab"},
         "records": [{"type": "CAA", "hostName": "mysite.com", "values": ["0 issue \\"x\\""]}, {"type": "A", "hostName": "mysite.com"}]}}"""));

    DnsZone zone = client.getDnsZone(ACCOUNT, "mysite.com");
    DnsZone odd = client.getDnsZone(ACCOUNT, "mysite.com");

    RecordedRequest r = server.takeRequest();
    assertThat(r.getMethod()).isEqualTo("GET");
    assertThat(r.getTarget()).isEqualTo("/domains/v1/dns-zones/mysite.com");
    assertCommonHeaders(r);
    assertThat(zone.domainName()).isEqualTo("mysite.com");
    assertThat(zone.records()).containsExactly(
        new DnsRecord(RecordType.MX, "mysite.com", 3600, List.of("10 aspmx.l.google.com")));
    assertThat(odd.records().get(0).type()).isEqualTo(RecordType.UNKNOWN);
    assertThat(odd.records().get(1).values()).isEmpty();
    assertThat(odd.records().get(1).ttl()).isNull();
    assertThat(odd.dnssecInfo().keyTag()).isEqualTo(7);
  }

  @Test
  void previewDnsZoneGetsThePreviewPath() throws Exception {
    server.enqueue(json(200, "{\"dnsZone\": {\"domainName\": \"mysite.com\", \"records\": []}}"));

    DnsZone preview = client.previewDnsZone(ACCOUNT, "mysite.com");

    RecordedRequest r = server.takeRequest();
    assertThat(r.getMethod()).isEqualTo("GET");
    assertThat(r.getTarget()).isEqualTo("/domains/v1/dns-zones/mysite.com/preview");
    assertCommonHeaders(r);
    assertThat(preview.records()).isEmpty();
  }

  @Test
  void updateDnsZonePatchesAdditionsAndDeletionsWithValuesAsArrays() throws Exception {
    server.enqueue(json(200, """
        {"dnsZone": {"records": [{"values": ["10 aspmx.l.google.com"], "ttl": 3600, "hostName": "mysite.com", "type": "MX"}], "domainName": "mysite.com"}}"""));

    DnsZone zone = client.updateDnsZone(ACCOUNT, "mysite.com",
        List.of(DnsRecord.of(RecordType.MX, "mysite.com", 3600, List.of("10 aspmx.l.google.com"))),
        List.of(DnsRecord.of(RecordType.TXT, "mysite.com", 3600,
            List.of("google-site-verification=epsWybsHVqJqkw0dD2xrIaSO_jYJAmczAU7IqLWToVM"))));

    RecordedRequest r = server.takeRequest();
    assertThat(r.getMethod()).isEqualTo("PATCH");
    assertThat(r.getTarget()).isEqualTo("/domains/v1/dns-zones/mysite.com");
    assertCommonHeaders(r);
    assertThat(bodyOf(r)).isEqualTo(tree("""
        {"domainName": "mysite.com",
         "additions": [{"type": "MX", "hostName": "mysite.com", "ttl": 3600, "values": ["10 aspmx.l.google.com"]}],
         "deletions": [{"type": "TXT", "hostName": "mysite.com", "ttl": 3600,
                        "values": ["google-site-verification=epsWybsHVqJqkw0dD2xrIaSO_jYJAmczAU7IqLWToVM"]}]}"""));
    assertThat(zone.records()).hasSize(1);
  }

  @Test
  void updateDnsZoneRefusesMoreThanTenChangesBeforeCallingWix() {
    List<DnsRecord> eleven = java.util.stream.IntStream.range(0, 11)
        .mapToObj(i -> DnsRecord.of(RecordType.TXT, "mysite.com", 60, List.of("v" + i))).toList();
    assertThatThrownBy(() -> client.updateDnsZone(ACCOUNT, "mysite.com", eleven, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void createPackagePostsToV2WithCamelCaseFieldsAndReadsTheReferenceExample() throws Exception {
    server.enqueue(json(200, """
        {"package": {
          "id": "828b98fb-7114-4b3c-90fd-8d0db76aa72b",
          "accountId": "<ACCOUNT_ID>",
          "externalId": "some-external-id",
          "productInstances": [ {
            "instanceId": "d3b88a39-f62e-4164-8b29-08369b9ea71c",
            "siteId": "918aa943-ab4f-40bc-88c3-8dfd02fae7cd",
            "catalogProductId": "00ba7923-2655-402a-852d-2b2100568bcf",
            "status": "PENDING",
            "billingInfo": { "type": "RECURRING", "cycleDuration": { "unit": "YEAR", "count": 1 } },
            "countryCode": "BR",
            "createdDate": "2021-12-02T15:45:30.941Z",
            "updatedDate": "2021-12-02T15:45:30.941Z"
          } ],
          "createdDate": "2021-12-02T15:45:31.815Z",
          "updatedDate": "2021-12-02T15:45:31.815Z"
        }}"""));

    CreatePackageResponse response = client.createPackage(ACCOUNT, new CreatePackageRequest("req-42", "some-external-id",
        List.of(ProductInstance.toOrder("00ba7923-2655-402a-852d-2b2100568bcf", SITE,
            Cycle.recurring(CycleUnit.YEAR, 1), "BR"))));

    RecordedRequest r = server.takeRequest();
    assertThat(r.getMethod()).isEqualTo("POST");
    assertThat(r.getTarget()).isEqualTo("/resellers/v2/packages");
    assertCommonHeaders(r);
    assertThat(r.getHeaders().get("wix-site-id")).isNull();
    assertThat(bodyOf(r)).isEqualTo(tree("""
        {"idempotencyKey": "req-42", "externalId": "some-external-id",
         "products": [{"catalogProductId": "00ba7923-2655-402a-852d-2b2100568bcf",
                       "siteId": "918aa943-ab4f-40bc-88c3-8dfd02fae7cd",
                       "billingInfo": {"type": "RECURRING", "cycleDuration": {"unit": "YEAR", "count": 1}},
                       "countryCode": "BR"}]}"""));

    assertThat(response.idempotencyKey()).isNull();
    ResellerPackage pkg = response.resellerPackage();
    assertThat(pkg.id()).isEqualTo("828b98fb-7114-4b3c-90fd-8d0db76aa72b");
    assertThat(pkg.externalId()).isEqualTo("some-external-id");
    ProductInstance pi = pkg.productInstances().get(0);
    assertThat(pi.status()).isEqualTo(ProductInstanceStatus.PENDING);
    assertThat(pi.billingInfo()).isEqualTo(Cycle.recurring(CycleUnit.YEAR, 1));
    assertThat(pi.failure()).isNull();
    assertThat(pkg.createdDate()).isEqualTo(Instant.parse("2021-12-02T15:45:31.815Z"));
  }

  @Test
  void createPackageReadsUnknownStatusesAndFailures() {
    server.enqueue(json(200, """
        {"idempotencyKey": "", "package": {"id": "p", "productInstances": [
          {"instanceId": "i1", "status": "ACTIVE", "billingInfo": {"type": "LIFETIME"}},
          {"instanceId": "i2", "status": "FAILED", "failure": {"code": "DELIVERY_TIMEOUT", "message": "late"}}]}}"""));

    CreatePackageResponse r = client.createPackage(ACCOUNT, new CreatePackageRequest(null, null,
        List.of(ProductInstance.toOrder("00ba7923-2655-402a-852d-2b2100568bcf", null, Cycle.oneTime(), "US"))));

    assertThat(r.idempotencyKey()).isEmpty();
    assertThat(r.resellerPackage().productInstances().get(0).status()).isEqualTo(ProductInstanceStatus.UNKNOWN_STATUS);
    assertThat(r.resellerPackage().productInstances().get(0).billingInfo().type()).isEqualTo(CycleType.UNKNOWN);
    assertThat(r.resellerPackage().productInstances().get(1).failure())
        .isEqualTo(new ProductInstance.Failure(ProductInstanceFailureCode.DELIVERY_TIMEOUT, "late"));
  }

  @Test
  void cancelPackageDeletesTheV1PackageWithoutABodyAndReadsTheCancelledPackage() throws Exception {
    server.enqueue(json(200, """
        {"package": {
          "id": "828b98fb-7114-4b3c-90fd-8d0db76aa72b",
          "accountId": "<ACCOUNT_ID>",
          "productInstances": [ {
            "instanceId": "d3b88a39-f62e-4164-8b29-08369b9ea71c",
            "siteId": "918aa943-ab4f-40bc-88c3-8dfd02fae7cd",
            "catalogProductId": "00ba7923-2655-402a-852d-2b2100568bcf",
            "status": "CANCELED",
            "countryCode": "BR",
            "updatedDate": "2021-12-03T10:00:00.000Z"
          } ],
          "createdDate": "2021-12-02T15:45:31.815Z",
          "updatedDate": "2021-12-03T10:00:00.000Z",
          "somethingNew": true
        }}"""));

    ResellerPackage pkg = client.cancelPackage(ACCOUNT, "828b98fb-7114-4b3c-90fd-8d0db76aa72b");

    RecordedRequest r = server.takeRequest();
    assertThat(r.getMethod()).isEqualTo("DELETE");
    assertThat(r.getTarget()).isEqualTo("/resellers/v1/packages/828b98fb-7114-4b3c-90fd-8d0db76aa72b");
    assertCommonHeaders(r);
    assertThat(r.getHeaders().get("wix-site-id")).isNull();
    assertThat(r.getBodySize()).isZero();
    assertThat(pkg.id()).isEqualTo("828b98fb-7114-4b3c-90fd-8d0db76aa72b");
    assertThat(pkg.productInstances()).singleElement()
        .satisfies(p -> assertThat(p.status()).isEqualTo(ProductInstanceStatus.CANCELED));
    assertThat(pkg.updatedDate()).isEqualTo(Instant.parse("2021-12-03T10:00:00.000Z"));
    assertThat(pkg.canceled()).isTrue();
  }

  @Test
  void aPackageIsCancelledOnlyWhenEveryProductInstanceIs() {
    ProductInstance canceled = new ProductInstance("i1", null, "p", ProductInstanceStatus.CANCELED, null, null, null, null,
        "US", null, null, null);
    ProductInstance pending = new ProductInstance("i2", null, "p", ProductInstanceStatus.PENDING, null, null, null, null,
        "US", null, null, null);

    assertThat(new ResellerPackage("p", null, null, List.of(canceled), null, null).canceled()).isTrue();
    assertThat(new ResellerPackage("p", null, null, List.of(canceled, pending), null, null).canceled()).isFalse();
    assertThat(new ResellerPackage("p", null, null, List.of(), null, null).canceled()).isFalse();
  }

  @Test
  void cancelPackageWithoutThePackageInTheAnswerIsAnInvalidResponse() {
    server.enqueue(json(200, "{}"));

    assertThatThrownBy(() -> client.cancelPackage(ACCOUNT, "p-1"))
        .isInstanceOfSatisfying(WixApiException.class, e -> {
          assertThat(e.wixCode()).isEqualTo("INVALID_RESPONSE");
          assertThat(e.endpoint()).isEqualTo(WixEndpoint.CANCEL_PACKAGE);
          assertThat(e.retryable()).isFalse();
        });
  }

  @Test
  void cancelPackageRefusesIdsThatWouldBendThePath() {
    for (String bad : new String[] {"..", ".", "a/b", "p?x=1", "", "p\r\nX-Evil: 1"}) {
      assertThatThrownBy(() -> client.cancelPackage(ACCOUNT, bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> client.cancelPackage(ACCOUNT, null)).isInstanceOf(IllegalArgumentException.class);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void expectedRecordsComeFromSetupInfoPointingRecordsWithoutAnotherCall() {
    ConnectedDomainSetupInfo info = new ConnectedDomainSetupInfo("mysite.com", null, null, null,
        new PointingRecords(new ARecord("mysite.com", 3600, List.of("185.230.63.107")),
            new CnameRecord("www.mysite.com", 3600, "pointing.wixdns.net")), null);

    ExpectedRecords expected = client.expectedNameserverRecords(ACCOUNT, "mysite.com", info);

    assertThat(server.getRequestCount()).isZero();
    assertThat(expected.source()).isEqualTo(ExpectedRecords.Source.SETUP_INFO_POINTING_RECORDS);
    assertThat(expected.toDnsRecords()).containsExactly(
        DnsRecord.of(RecordType.A, "mysite.com", 3600, List.of("185.230.63.107")),
        DnsRecord.of(RecordType.CNAME, "www.mysite.com", 3600, List.of("pointing.wixdns.net")));
  }

  @Test
  void expectedRecordsComeFromTheZonePreviewWhenSetupInfoHasOnlyNameservers() throws Exception {
    ConnectedDomainSetupInfo schemaShape = new ConnectedDomainSetupInfo("mysite.com", new Registrar("OTHER", null), null,
        new NameserverRecord(new NsRecord("mysite.com", 86400, List.of("ns12.wixdns.net", "ns13.wixdns.net"))), null, null);
    server.enqueue(json(200, """
        {"dnsZone": {"domainName": "mysite.com", "records": [
          {"type": "NS", "hostName": "mysite.com", "ttl": 86400, "values": ["ns12.wixdns.net", "ns13.wixdns.net"]},
          {"type": "SOA", "hostName": "mysite.com", "ttl": 3600, "values": ["ns12.wixdns.net. hostmaster 1 2 3 4 5"]},
          {"type": "A", "hostName": "MySite.com.", "ttl": 3600, "values": ["185.230.63.107", "185.230.63.171", "185.230.63.186"]},
          {"type": "CNAME", "hostName": "www.mysite.com", "ttl": 3600, "values": ["pointing.wixdns.net"]}]}}"""));

    ExpectedRecords expected = client.expectedNameserverRecords(ACCOUNT, "mysite.com", schemaShape);

    assertThat(server.takeRequest().getTarget()).isEqualTo("/domains/v1/dns-zones/mysite.com/preview");
    assertThat(expected.source()).isEqualTo(ExpectedRecords.Source.DNS_ZONE_PREVIEW);
    assertThat(expected.aValues()).containsExactly("185.230.63.107", "185.230.63.171", "185.230.63.186");
    assertThat(expected.wwwCnameTarget()).isEqualTo("pointing.wixdns.net");
    assertThat(expected.wwwCname().hostName()).isEqualTo("www.mysite.com");
  }

  @Test
  void expectedRecordsFailClearlyWhenThePreviewLacksThem() {
    server.enqueue(json(200, "{\"dnsZone\": {\"domainName\": \"mysite.com\", \"records\": [{\"type\": \"A\", \"hostName\": \"mysite.com\", \"values\": [\"1.2.3.4\"]}]}}"));

    assertThatThrownBy(() -> client.expectedNameserverRecords(ACCOUNT, "mysite.com", null))
        .isInstanceOfSatisfying(WixApiException.class, e -> {
          assertThat(e.wixCode()).isEqualTo(WixApiException.EXPECTED_RECORDS_MISSING);
          assertThat(e.retryable()).isFalse();
          assertThat(e.getMessage()).contains("www.mysite.com");
        });
  }

  @Test
  void refusesDomainsAndIdsThatWouldBendTheUrlOrHeaders() {
    assertThatThrownBy(() -> client.getConnectedDomain(ACCOUNT, "..")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.getConnectedDomain(ACCOUNT, "a.com/../../resellers")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.getConnectedDomain(ACCOUNT, "a.com?x=1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.getConnectedDomain("acc\r\nX-Evil: 1", "a.com")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.getConnectedDomain(null, "a.com")).isInstanceOf(IllegalArgumentException.class);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void aViewWithAnotherRetryPolicySharesTheHttpClientAndTheRateLimiter() {
    WixClient view = client.withRetryPolicy(RetryPolicy.none());

    assertThat(view.httpClient()).isSameAs(client.httpClient());
    assertThat(view.rateLimiter()).isSameAs(client.rateLimiter());
    assertThat(view.retryPolicy()).isEqualTo(RetryPolicy.none());
    view.close();
    server.enqueue(json(200, CREATED_NAMESERVERS));
    assertThat(client.getConnectedDomain(ACCOUNT, "mysite.com").domain()).isEqualTo("mysite.com");
  }

  @Test
  void theHttpClientNeverRetriesOrRedirectsByItselfAndHasAllFourTimeouts() {
    WixClient c = Fixtures.client(server)
        .connectTimeout(java.time.Duration.ofSeconds(1)).readTimeout(java.time.Duration.ofSeconds(2))
        .writeTimeout(java.time.Duration.ofSeconds(3)).callTimeout(java.time.Duration.ofSeconds(4)).build();

    assertThat(c.httpClient().retryOnConnectionFailure()).isFalse();
    assertThat(c.httpClient().followRedirects()).isFalse();
    assertThat(c.httpClient().connectTimeoutMillis()).isEqualTo(1000);
    assertThat(c.httpClient().readTimeoutMillis()).isEqualTo(2000);
    assertThat(c.httpClient().writeTimeoutMillis()).isEqualTo(3000);
    assertThat(c.httpClient().callTimeoutMillis()).isEqualTo(4000);
    c.close();
  }

  @Test
  void aSharedOkHttpClientKeepsItsPoolButGetsTheClientsSafetySettings() {
    okhttp3.OkHttpClient processClient = new okhttp3.OkHttpClient();
    WixClient c = Fixtures.client(server).okHttpClient(processClient).build();

    assertThat(c.httpClient().connectionPool()).isSameAs(processClient.connectionPool());
    assertThat(c.httpClient().dispatcher()).isSameAs(processClient.dispatcher());
    assertThat(c.httpClient().retryOnConnectionFailure()).isFalse();
    c.close();
    assertThat(processClient.dispatcher().executorService().isShutdown()).isFalse();
  }
}
