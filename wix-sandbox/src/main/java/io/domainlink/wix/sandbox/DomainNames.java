package io.domainlink.wix.sandbox;

import com.google.common.net.InternetDomainName;
import java.util.Locale;
import java.util.Optional;

/**
 * Root domain or subdomain, decided with the public suffix list (Guava's {@link InternetDomainName}).
 *
 * <ul>
 *   <li>A name under a known public suffix is a root domain when it is its own top private domain
 *       ({@code example.com}, {@code example.co.uk}); otherwise it is a subdomain ({@code shop.example.com}).</li>
 *   <li>A name that is itself a public suffix ({@code com}, {@code co.uk}) can't be connected.</li>
 *   <li>A name whose suffix is not in the list (the test TLDs {@code .test}, {@code .example}, {@code .invalid},
 *       {@code .localhost} and any made-up TLD) is treated as having a one-label public suffix:
 *       {@code example.test} is a root domain, {@code shop.example.test} a subdomain of it.</li>
 * </ul>
 */
public final class DomainNames {
    private DomainNames() {
    }

    /** Lower case, without a trailing dot; {@code null} stays {@code null}. */
    public static String normalize(String domain) {
        if (domain == null) {
            return null;
        }
        String d = domain.trim().toLowerCase(Locale.ROOT);
        return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
    }

    /**
     * The root (registrable) domain of {@code domain}, or empty when the name is not a valid host name, has a single
     * label, or is itself a public suffix.
     */
    public static Optional<String> rootOf(String domain) {
        String d = normalize(domain);
        if (d == null || d.isEmpty() || !InternetDomainName.isValid(d)) {
            return Optional.empty();
        }
        InternetDomainName name = InternetDomainName.from(d);
        if (name.isUnderPublicSuffix()) {
            return Optional.of(name.topPrivateDomain().toString());
        }
        if (name.hasPublicSuffix()) {
            return Optional.empty(); // the name is a public suffix itself
        }
        // Unknown suffix: treat the last label as the suffix.
        var parts = name.parts();
        if (parts.size() < 2) {
            return Optional.empty();
        }
        return Optional.of(parts.get(parts.size() - 2) + "." + parts.get(parts.size() - 1));
    }

    /** Whether {@code domain} can be connected at all (valid, two labels or more, not a public suffix). */
    public static boolean isConnectable(String domain) {
        return rootOf(domain).isPresent();
    }

    /** Whether {@code domain} is a root domain (as opposed to a subdomain). False for names that can't be connected. */
    public static boolean isRoot(String domain) {
        String d = normalize(domain);
        return rootOf(d).map(root -> root.equals(d)).orElse(false);
    }
}
