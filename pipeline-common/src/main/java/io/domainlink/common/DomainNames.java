package io.domainlink.common;

import java.net.IDN;
import java.util.Locale;
import java.util.regex.Pattern;

import com.google.common.net.InternetDomainName;

/**
 * Normalizes and classifies domain names. The normalized form (lower case, ASCII/punycode, no trailing dot) is the
 * Kafka key of every pipeline topic. Apex versus subdomain is decided by the public suffix list (Guava's copy);
 * a TLD the list does not name is a one-label public suffix, as the list's own implicit {@code *} rule says.
 */
public final class DomainNames {

    public static final int MAX_LENGTH = 253;
    public static final int MAX_LABEL = 63;
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");

    /** Where a normalized domain sits relative to its public suffix. */
    public enum Kind { APEX, SUBDOMAIN }

    private DomainNames() {
    }

    /**
     * The normalized form of {@code raw}.
     *
     * @throws IllegalArgumentException with a message naming the rule that failed
     */
    public static String normalize(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new IllegalArgumentException("domain is empty");
        }
        String s = raw.strip();
        if (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.startsWith(".") || s.contains("..")) {
            throw new IllegalArgumentException("domain has an empty label");
        }
        for (String label : s.split("\\.")) {
            if (label.length() > MAX_LABEL) {
                throw new IllegalArgumentException("label '" + label + "' is longer than " + MAX_LABEL + " characters");
            }
        }
        String ascii;
        try {
            ascii = IDN.toASCII(s, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a domain label is not valid under IDNA/STD3 rules: " + e.getMessage());
        }
        if (ascii.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("domain is " + ascii.length() + " characters, more than " + MAX_LENGTH);
        }
        String[] labels = ascii.split("\\.", -1);
        if (labels.length < 2) {
            throw new IllegalArgumentException("domain must have at least two labels");
        }
        for (String label : labels) {
            if (label.isEmpty()) {
                throw new IllegalArgumentException("domain has an empty label");
            }
            if (label.length() > MAX_LABEL) {
                throw new IllegalArgumentException("label '" + label + "' is longer than " + MAX_LABEL + " characters");
            }
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("label '" + label + "' may hold only letters, digits and inner hyphens");
            }
        }
        if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("top-level label must not be numeric");
        }
        return ascii;
    }

    /**
     * Apex (the registrable domain itself) or subdomain of a normalized domain.
     *
     * @throws IllegalArgumentException when the domain is itself a public suffix, such as {@code co.uk}
     */
    public static Kind classify(String normalized) {
        InternetDomainName name = InternetDomainName.from(normalized);
        if (name.isPublicSuffix()) {
            throw new IllegalArgumentException("domain '" + normalized + "' is a public suffix, not a registrable domain");
        }
        String registrable;
        if (name.isUnderPublicSuffix()) {
            registrable = name.topPrivateDomain().toString();
        } else {
            // not in the list: the implicit "*" rule makes the last label the public suffix
            java.util.List<String> parts = name.parts();
            registrable = parts.get(parts.size() - 2) + "." + parts.get(parts.size() - 1);
        }
        return registrable.equals(normalized) ? Kind.APEX : Kind.SUBDOMAIN;
    }
}
