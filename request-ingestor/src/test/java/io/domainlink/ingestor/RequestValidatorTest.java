package io.domainlink.ingestor;

import static io.domainlink.ingestor.Requests.apex;
import static io.domainlink.ingestor.Requests.plan;
import static io.domainlink.ingestor.Requests.subdomain;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.domainlink.events.AssignmentType;
import io.domainlink.events.BillingCycle;
import io.domainlink.events.ConnectionAccepted;
import io.domainlink.events.ConnectionRequested;
import io.domainlink.events.ConnectionType;
import io.domainlink.events.CycleType;
import io.domainlink.events.CycleUnit;
import io.domainlink.events.Flow;
import io.domainlink.ingestor.RequestValidator.Invalid;
import io.domainlink.ingestor.RequestValidator.Valid;
import io.domainlink.ingestor.RequestValidator.Verdict;

class RequestValidatorTest {

    static final long NOW = Instant.parse("2026-01-02T00:00:00Z").toEpochMilli();
    final RequestValidator validator = new RequestValidator(IngestorSettings.Limits.defaults());

    Verdict validate(ConnectionRequested.Builder b) {
        return validator.validate(b.build(), NOW);
    }

    Invalid invalid(ConnectionRequested.Builder b) {
        Verdict v = validate(b);
        assertThat(v).isInstanceOf(Invalid.class);
        return (Invalid) v;
    }

    @ParameterizedTest(name = "{0} {1} is {2} keyed {3}")
    @CsvSource({
            "example.com,      NAMESERVERS, NAMESERVERS, example.com",
            "Example.COM.,     POINTING,    POINTING,    example.com",
            "shop.example.com, ,            SUBDOMAIN,   shop.example.com",
            "bücher.example,   POINTING,    POINTING,    xn--bcher-kva.example",
            "shop.bücher.de,   ,            SUBDOMAIN,   shop.xn--bcher-kva.de",
            "example.co.uk,    NAMESERVERS, NAMESERVERS, example.co.uk",
            "www.example.co.uk, ,           SUBDOMAIN,   www.example.co.uk",
    })
    void normalizesTheDomainAndDecidesTheFlow(String domain, ConnectionType type, Flow flow, String key) {
        Verdict v = validate(apex("r-1", domain, type));

        assertThat(v).isInstanceOf(Valid.class);
        Valid valid = (Valid) v;
        assertThat(valid.key()).isEqualTo(key);
        assertThat(valid.flow()).isEqualTo(flow);
        ConnectionAccepted accepted = valid.accepted();
        assertThat(accepted.getContext().getDomain()).isEqualTo(key);
        assertThat(accepted.getContext().getFlow()).isEqualTo(flow);
        assertThat(accepted.getConnectionType()).isEqualTo(type);
        assertThat(accepted.getContext().getCorrelation()).containsEntry("ticket", "T-r-1");
        assertThat(accepted.getRequestedAt()).isEqualTo(Requests.REQUESTED_AT);
    }

    @Test
    void rejectsABarePublicSuffixAsNotRegistrable() {
        Invalid v = invalid(apex("r-1", "co.uk", ConnectionType.POINTING));

        assertThat(v.message()).contains("domain:").contains("public suffix");
        assertThat(v.key()).isEqualTo("co.uk");
        assertThat(v.context().getFlow()).isEqualTo(Flow.UNKNOWN);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "exa mple.com | domain:",
            "-example.com | domain:",
            "example..com | domain: domain has an empty label",
            "localhost | domain: domain must have at least two labels",
            "example.123 | domain: top-level label must not be numeric",
    })
    void rejectsBadDomainSyntaxNamingTheRule(String domain, String expected) {
        Invalid v = invalid(apex("r-1", domain, ConnectionType.POINTING));

        assertThat(v.message()).contains(expected);
        assertThat(v.key()).isEqualTo(domain.toLowerCase());
    }

    @Test
    void rejectsALabelLongerThan63AndADomainLongerThan253() {
        String label = "a".repeat(64);
        assertThat(invalid(apex("r-1", label + ".com", ConnectionType.POINTING)).message())
                .contains("domain: label").contains("longer than 63");

        String longDomain = ("a".repeat(60) + ".").repeat(4) + "com"; // 247 chars is fine, push past 253
        String tooLong = "abcdefgh." + longDomain;
        assertThat(invalid(subdomain("r-1", tooLong)).message()).contains("domain: domain is").contains("more than 253");
    }

    @Test
    void rejectsAnOversizeDomainBeforeParsingItAndKeysByItsTruncatedLowerCaseForm() {
        String huge = "X".repeat(10_000) + ".com";

        Invalid v = invalid(apex("r-1", huge, ConnectionType.POINTING));

        assertThat(v.message()).contains("domain: is 10004 characters, more than the limit of 256");
        assertThat(v.key()).hasSize(256).isEqualTo("x".repeat(256));
    }

    @Test
    void keysAnEmptyDomainAsInvalid() {
        Invalid v = invalid(apex("r-1", "  ", ConnectionType.POINTING));

        assertThat(v.key()).isEqualTo("invalid");
        assertThat(v.message()).contains("domain: domain is empty");
    }

    @Test
    void requiresAConnectionTypeForAnApex() {
        assertThat(invalid(apex("r-1", "example.com", null)).message())
                .contains("connectionType: is required for a root domain (NAMESERVERS or POINTING)");
        assertThat(invalid(apex("r-1", "example.com", ConnectionType.UNKNOWN)).message())
                .contains("connectionType: UNKNOWN is not allowed");
    }

    @Test
    void rejectsAConnectionTypeForASubdomainAsWixDoes() {
        Invalid v = invalid(apex("r-1", "shop.example.com", ConnectionType.NAMESERVERS));

        assertThat(v.message()).contains("connectionType: must be absent for a subdomain");
        assertThat(v.key()).isEqualTo("shop.example.com");
    }

    @Test
    void requiresGuidAccountAndSiteIds() {
        Invalid v = invalid(apex("r-1", "example.com", ConnectionType.POINTING).setAccountId("acc-1").setSiteId(""));

        assertThat(v.message())
                .contains("accountId: must be a GUID (8-4-4-4-12 hexadecimal digits)")
                .contains("siteId: is required and must be a GUID");
        assertThat(v.context().getAccountId()).isEqualTo("acc-1");
    }

    @Test
    void rejectsAnUnknownAssignment() {
        assertThat(invalid(apex("r-1", "example.com", ConnectionType.POINTING).setAssignment(AssignmentType.UNKNOWN)).message())
                .contains("assignment: must be PRIMARY or REDIRECT");
    }

    @Test
    void acceptsACompletePremiumPlanAndCarriesIt() {
        Valid v = (Valid) validate(apex("r-1", "example.com", ConnectionType.POINTING).setPremiumPlan(plan().build()));

        assertThat(v.accepted().getPremiumPlan().getCatalogProductId()).isEqualTo(Requests.PRODUCT);
        assertThat(v.accepted().getPremiumPlan().getBillingCycle().getUnit()).isEqualTo(CycleUnit.YEAR);
    }

    @Test
    void acceptsAOneTimePlanWithoutUnitOrCount() {
        BillingCycle once = BillingCycle.newBuilder().setType(CycleType.ONE_TIME).build();

        assertThat(validate(apex("r-1", "example.com", ConnectionType.POINTING).setPremiumPlan(plan().setBillingCycle(once).build())))
                .isInstanceOf(Valid.class);
    }

    @Test
    void requiresEveryPlanFieldWhenAPlanIsAsked() {
        assertThat(invalid(apex("r-1", "example.com", ConnectionType.POINTING).setPremiumPlan(plan().setCatalogProductId("premium").build())).message())
                .contains("premiumPlan.catalogProductId: must be a GUID");
        assertThat(invalid(apex("r-1", "example.com", ConnectionType.POINTING).setPremiumPlan(plan().setCountryCode("us").build())).message())
                .contains("premiumPlan.countryCode: must be an ISO-3166 alpha-2 code (two upper-case letters)");
        assertThat(invalid(apex("r-1", "example.com", ConnectionType.POINTING).setPremiumPlan(plan().setCountryCode("USA").build())).message())
                .contains("premiumPlan.countryCode");
        assertThat(invalid(apex("r-1", "example.com", ConnectionType.POINTING).setPremiumPlan(plan().setBillingCycle(null).build())).message())
                .contains("premiumPlan.billingCycle: is required when a plan is requested");
        assertThat(invalid(apex("r-1", "example.com", ConnectionType.POINTING).setPremiumPlan(
                plan().setBillingCycle(BillingCycle.newBuilder().setType(CycleType.UNKNOWN).build()).build())).message())
                .contains("premiumPlan.billingCycle.type: must be ONE_TIME or RECURRING");
    }

    @Test
    void requiresUnitAndAPositiveCountForARecurringCycle() {
        BillingCycle noUnit = BillingCycle.newBuilder().setType(CycleType.RECURRING).setCount(1).build();
        BillingCycle zero = BillingCycle.newBuilder().setType(CycleType.RECURRING).setUnit(CycleUnit.MONTH).setCount(0).build();

        assertThat(invalid(apex("r-1", "example.com", ConnectionType.POINTING).setPremiumPlan(plan().setBillingCycle(noUnit).build())).message())
                .contains("premiumPlan.billingCycle.unit: is required for RECURRING");
        assertThat(invalid(apex("r-1", "example.com", ConnectionType.POINTING).setPremiumPlan(plan().setBillingCycle(zero).build())).message())
                .contains("premiumPlan.billingCycle.count: must be greater than 0 for RECURRING");
    }

    @Test
    void rejectsEmptyOverlongAndControlCharacterRequestIds() {
        assertThat(invalid(apex("", "example.com", ConnectionType.POINTING)).message()).contains("requestId: must not be empty");
        assertThat(invalid(apex("r\n1", "example.com", ConnectionType.POINTING)).message()).contains("requestId: must not contain control characters");
        Invalid longId = invalid(apex("r".repeat(129), "example.com", ConnectionType.POINTING));
        assertThat(longId.message()).contains("requestId: is 129 characters, more than the limit of 128");
        assertThat(longId.context().getRequestId()).hasSize(128);
        assertThat(validator.usableRequestId("r".repeat(128))).isTrue();
        assertThat(validator.usableRequestId("r".repeat(129))).isFalse();
    }

    @Test
    void enforcesTheStringLimitOnIdsAndPlanFields() {
        String big = "a".repeat(300);
        assertThat(invalid(apex("r-1", "example.com", ConnectionType.POINTING).setSiteId(big)).message())
                .contains("siteId: is 300 characters, more than the limit of 256");
        assertThat(invalid(apex("r-1", "example.com", ConnectionType.POINTING).setPremiumPlan(plan().setCatalogProductId(big).build())).message())
                .contains("premiumPlan.catalogProductId: is 300 characters");
    }

    @Test
    void rejectsAnOversizeCorrelationMapAndEchoesItTruncatedSayingSo() {
        Map<String, String> many = new LinkedHashMap<>();
        for (int i = 0; i < 40; i++) {
            many.put(String.format("k%02d", i), "v".repeat(300));
        }

        Invalid v = invalid(apex("r-1", "example.com", ConnectionType.POINTING).setCorrelation(many));

        assertThat(v.message()).contains("correlation: has 40 entries, more than the limit of 32")
                .contains("correlation truncated in this event");
        assertThat(v.context().getCorrelation()).hasSize(32).containsKey("k00").doesNotContainKey("k39");
        assertThat(v.context().getCorrelation().get("k00")).hasSize(256);
    }

    @Test
    void rejectsAnOverlongCorrelationKeyOrValue() {
        assertThat(invalid(apex("r-1", "example.com", ConnectionType.POINTING).setCorrelation(Map.of("k".repeat(65), "v"))).message())
                .contains("correlation: key").contains("more than the limit of 64");
        assertThat(invalid(apex("r-1", "example.com", ConnectionType.POINTING).setCorrelation(Map.of("k", "v".repeat(257)))).message())
                .contains("correlation: value of 'k' is 257 characters, more than the limit of 256");
    }

    @Test
    void echoesAFittingCorrelationUnchangedOnARejection() {
        Invalid v = invalid(apex("r-1", "example.com", null).setCorrelation(Map.of("a", "1", "b", "2")));

        assertThat(v.context().getCorrelation()).isEqualTo(Map.of("a", "1", "b", "2"));
        assertThat(v.message()).doesNotContain("truncated");
    }

    @Test
    void namesEveryFailedRuleInOneMessage() {
        Invalid v = invalid(apex("r-1", "shop.example.com", ConnectionType.POINTING).setAccountId("x").setSiteId("y"));

        assertThat(v.message()).contains("connectionType:").contains("accountId:").contains("siteId:");
    }

    @Test
    void keysAnInternationalDomainByItsUts46FormAndRefusesOneTheMappingWouldChangeUnseen() {
        Valid sharpS = (Valid) validate(apex("r-1", "faß.de", ConnectionType.POINTING));
        assertThat(sharpS.key()).isEqualTo("xn--fa-hia.de");

        Invalid zeroWidth = invalid(apex("r-2", "exam\u200Bple.com", ConnectionType.POINTING));
        assertThat(zeroWidth.message()).contains("domain: label 1 holds U+200B");
        Invalid punycode = invalid(apex("r-3", "xn--a.com", ConnectionType.POINTING));
        assertThat(punycode.message()).contains("domain: label 1 is not valid punycode");
    }

    @Test
    void acceptsALabelMixingScriptsWithAWarningInTheAcceptedEvent() {
        // Latin p, Cyrillic а, Latin ypal: a look-alike of paypal.com, still a domain someone may own
        Valid spoof = (Valid) validate(apex("r-1", "p\u0430ypal.com", ConnectionType.POINTING));
        assertThat(spoof.key()).isEqualTo("xn--pypal-4ve.com");
        assertThat(spoof.accepted().getDomainWarnings()).containsExactly("MIXED_SCRIPT_LABEL:p\u0430ypal");

        Valid plain = (Valid) validate(apex("r-2", "bücher.de", ConnectionType.POINTING));
        assertThat(plain.accepted().getDomainWarnings()).isEmpty();
    }
}
