package io.domainlink.wix.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DomainNamesTest {
    @Test
    void decidesRootAndSubdomainByThePublicSuffixList() {
        assertThat(DomainNames.isRoot("example.com")).isTrue();
        assertThat(DomainNames.isRoot("shop.example.com")).isFalse();
        assertThat(DomainNames.isRoot("example.co.uk")).isTrue();
        assertThat(DomainNames.isRoot("shop.example.co.uk")).isFalse();
        assertThat(DomainNames.rootOf("a.b.example.co.uk")).hasValue("example.co.uk");
    }

    @Test
    void treatsAnUnknownSuffixAsOneLabel() {
        assertThat(DomainNames.isRoot("example.test")).isTrue();
        assertThat(DomainNames.isRoot("shop.example.test")).isFalse();
        assertThat(DomainNames.rootOf("a.shop.example.test")).hasValue("example.test");
    }

    @Test
    void refusesPublicSuffixesSingleLabelsAndInvalidNames() {
        assertThat(DomainNames.isConnectable("com")).isFalse();
        assertThat(DomainNames.isConnectable("co.uk")).isFalse();
        assertThat(DomainNames.isConnectable("test")).isFalse();
        assertThat(DomainNames.isConnectable("bad name.com")).isFalse();
        assertThat(DomainNames.isConnectable("")).isFalse();
        assertThat(DomainNames.isConnectable(null)).isFalse();
    }

    @Test
    void normalizesCaseAndTrailingDot() {
        assertThat(DomainNames.normalize("WWW.Example.COM.")).isEqualTo("www.example.com");
        assertThat(DomainNames.isRoot("Example.COM.")).isTrue();
    }
}
