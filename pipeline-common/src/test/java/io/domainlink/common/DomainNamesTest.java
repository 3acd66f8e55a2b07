package io.domainlink.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DomainNamesTest {

    @Test
    void lowerCasesStripsTheTrailingDotAndConvertsIdnToPunycode() {
        assertThat(DomainNames.normalize(" Example.COM. ")).isEqualTo("example.com");
        assertThat(DomainNames.normalize("bücher.de")).isEqualTo("xn--bcher-kva.de");
        assertThat(DomainNames.normalize("SHOP.Bücher.DE")).isEqualTo("shop.xn--bcher-kva.de");
    }

    @Test
    void rejectsBadSyntaxNamingTheRule() {
        assertThatThrownBy(() -> DomainNames.normalize("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> DomainNames.normalize("localhost")).hasMessageContaining("two labels");
        assertThatThrownBy(() -> DomainNames.normalize("a..com")).hasMessageContaining("empty label");
        assertThatThrownBy(() -> DomainNames.normalize("-a.com")).hasMessageContaining("label");
        assertThatThrownBy(() -> DomainNames.normalize("a_b.com")).hasMessageContaining("label");
        assertThatThrownBy(() -> DomainNames.normalize("x".repeat(64) + ".com")).hasMessageContaining("longer than 63");
        assertThatThrownBy(() -> DomainNames.normalize(("a".repeat(60) + ".").repeat(5) + "com")).hasMessageContaining("more than 253");
        assertThatThrownBy(() -> DomainNames.normalize("1.2.3.4")).hasMessageContaining("numeric");
        assertThatThrownBy(() -> DomainNames.normalize("a\nb.com")).hasMessageContaining("label 1 holds a character not allowed");
        assertThatThrownBy(() -> DomainNames.normalize("a.-b.com")).hasMessageContaining("label 2 must not start with a hyphen");
    }

    @Test
    void keepsTheSharpSAsUts46NonTransitionalProcessingDoesInsteadOfMappingItToSs() {
        assertThat(DomainNames.normalize("faß.de")).isEqualTo("xn--fa-hia.de");
        assertThat(DomainNames.normalize("xn--fa-hia.de")).isEqualTo("xn--fa-hia.de");
    }

    @Test
    void foldsCaseAndWidthButRefusesAnInvisibleCharacterTheMappingWouldRemove() {
        assertThat(DomainNames.normalize("ＥＸＡＭＰＬＥ.com")).isEqualTo("example.com");
        assertThatThrownBy(() -> DomainNames.normalize("exam\u200Bple.com"))
                .hasMessageContaining("label 1 holds U+200B").hasMessageContaining("silently remove");
        assertThatThrownBy(() -> DomainNames.normalize("shop.exam\u00ADple.com")).hasMessageContaining("label 2 holds U+00AD");
        assertThatThrownBy(() -> DomainNames.normalize("example.co\uFEFFm")).hasMessageContaining("U+FEFF");
    }

    @Test
    void acceptsAValidPunycodeLabelAndRefusesOneThatDoesNotDecode() {
        assertThat(DomainNames.normalize("XN--BCHER-KVA.de")).isEqualTo("xn--bcher-kva.de");
        assertThatThrownBy(() -> DomainNames.normalize("xn--a.com")).hasMessageContaining("label 1 is not valid punycode");
        assertThatThrownBy(() -> DomainNames.normalize("shop.xn--ab.com")).hasMessageContaining("label 2 is not valid punycode");
        assertThatThrownBy(() -> DomainNames.normalize("xn--.com")).hasMessageContaining("not valid punycode");
    }

    @Test
    void refusesALabelThatBreaksTheBidiRule() {
        // Arabic letters followed by a Latin letter in one label: RFC 5893 forbids it
        assertThatThrownBy(() -> DomainNames.normalize("\u0645\u0631\u062D\u0628\u0627a.com"))
                .hasMessageContaining("label 1 breaks the IDNA BiDi rule");
        // an all-Arabic label is fine
        assertThat(DomainNames.normalize("\u0627\u0644\u0639\u0631\u0628\u064A\u0629.com")).isEqualTo("xn--mgbcd4a2b0d2b.com");
    }

    @Test
    void refusesAZeroWidthJoinerOrNonJoinerOutsideTheContextJRuleAndKeepsOneInside() {
        assertThatThrownBy(() -> DomainNames.normalize("a\u200Db.com")).hasMessageContaining("label 1 has a zero-width joiner");
        assertThatThrownBy(() -> DomainNames.normalize("ab\u200C.com")).hasMessageContaining("ContextJ");
        // after a virama (Devanagari KA + VIRAMA + ZWJ + SSA) the joiner is allowed and kept, not dropped
        String kssa = DomainNames.normalize("\u0915\u094D\u200D\u0937.com");
        assertThat(kssa).isNotEqualTo(DomainNames.normalize("\u0915\u094D\u0937.com"));
    }

    @Test
    void refusesHyphensInPositionsThreeAndFourOutsideAPunycodeLabel() {
        assertThatThrownBy(() -> DomainNames.normalize("ab--cd.com")).hasMessageContaining("label 1 must not have hyphens in positions 3 and 4");
    }

    @Test
    void flagsALabelMixingScriptsButNotJapaneseOrASingleScript() {
        // Latin p, Cyrillic а, Latin ypal
        String spoof = DomainNames.normalize("p\u0430ypal.com");
        assertThat(spoof).isEqualTo("xn--pypal-4ve.com");
        assertThat(DomainNames.mixedScriptLabels(spoof)).containsExactly("p\u0430ypal");
        assertThat(DomainNames.mixedScriptLabels(DomainNames.normalize("shop.p\u0430ypal.xn--bcher-kva.de"))).containsExactly("p\u0430ypal");

        assertThat(DomainNames.mixedScriptLabels(DomainNames.normalize("例え.テスト"))).isEmpty();
        assertThat(DomainNames.mixedScriptLabels(DomainNames.normalize("例えtest.jp"))).isEmpty();
        assertThat(DomainNames.mixedScriptLabels(DomainNames.normalize("παράδειγμα.gr"))).isEmpty();
        assertThat(DomainNames.mixedScriptLabels(DomainNames.normalize("bücher.de"))).isEmpty();
        assertThat(DomainNames.mixedScriptLabels("example.com")).isEmpty();
    }

    @Test
    void classifiesApexAndSubdomainByThePublicSuffixList() {
        assertThat(DomainNames.classify("example.com")).isEqualTo(DomainNames.Kind.APEX);
        assertThat(DomainNames.classify("example.co.uk")).isEqualTo(DomainNames.Kind.APEX);
        assertThat(DomainNames.classify("shop.example.co.uk")).isEqualTo(DomainNames.Kind.SUBDOMAIN);
        assertThat(DomainNames.classify("www.example.com")).isEqualTo(DomainNames.Kind.SUBDOMAIN);
        // a TLD the list does not name is a one-label suffix (the list's implicit "*" rule)
        assertThat(DomainNames.classify("example.test")).isEqualTo(DomainNames.Kind.APEX);
        assertThat(DomainNames.classify("shop.example.test")).isEqualTo(DomainNames.Kind.SUBDOMAIN);
    }

    @Test
    void aBarePublicSuffixIsNotADomainOneCanConnect() {
        assertThatThrownBy(() -> DomainNames.classify("co.uk")).hasMessageContaining("public suffix");
        assertThatThrownBy(() -> DomainNames.classify("github.io")).hasMessageContaining("public suffix");
    }
}
