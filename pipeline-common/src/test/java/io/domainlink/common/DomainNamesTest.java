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
