package io.domainlink.common;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.google.common.net.InternetDomainName;
import com.ibm.icu.text.IDNA;
import com.ibm.icu.text.Normalizer2;
import com.ibm.icu.text.SpoofChecker;
import com.ibm.icu.text.UnicodeSet;

/**
 * Normalizes and classifies domain names. The normalized form (lower case, ASCII/punycode, no trailing dot) is the
 * Kafka key of every pipeline topic. Apex versus subdomain is decided by the public suffix list (Guava's copy);
 * a TLD the list does not name is a one-label public suffix, as the list's own implicit {@code *} rule says.
 *
 * <p>Internationalized names follow UTS-46 (ICU4J) with non-transitional processing, as IDNA2008 registries and
 * browsers do: {@code faß.de} is {@code xn--fa-hia.de}, not {@code fass.de}. Case folding and width mapping are
 * applied; a name is refused when UTS-46 reports any error (disallowed character, STD3 rules, hyphen placement,
 * BiDi rule, ContextJ rule, invalid punycode), when the mapping would silently remove a character (an "ignored"
 * code point such as U+200B ZERO WIDTH SPACE or U+00AD SOFT HYPHEN: {@code exam\u200Bple.com} is not quietly
 * turned into another domain), or when an {@code xn--} label does not survive a round trip to Unicode and back.
 */
public final class DomainNames {

    public static final int MAX_LENGTH = 253;
    public static final int MAX_LABEL = 63;
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
    private static final String ACE_PREFIX = "xn--";
    /** The characters UTS-46 treats as label separators (full stop, ideographic and full-width full stops). */
    private static final Pattern SEPARATORS = Pattern.compile("[.\u3002\uFF0E\uFF61]");

    private static final IDNA UTS46 = IDNA.getUTS46Instance(IDNA.NONTRANSITIONAL_TO_ASCII | IDNA.NONTRANSITIONAL_TO_UNICODE
            | IDNA.CHECK_BIDI | IDNA.CHECK_CONTEXTJ | IDNA.USE_STD3_RULES);
    /** UTS-46's mapping (case folding, NFKC, ignored code points mapped to nothing), as ICU's UTS-46 uses it. */
    private static final Normalizer2 UTS46_MAPPING = Normalizer2.getInstance(null, "uts46", Normalizer2.Mode.COMPOSE);
    /** Errors this class reports with its own, older messages after UTS-46 processing. */
    private static final Set<IDNA.Error> CHECKED_HERE = EnumSet.of(IDNA.Error.EMPTY_LABEL, IDNA.Error.DOMAIN_NAME_TOO_LONG);
    /**
     * UTS-39 restriction level "highly restrictive": one script per label, or Latin with Han and Hiragana/Katakana,
     * Bopomofo or Hangul. Every character is allowed here: which characters a label may hold at all is IDNA's
     * decision, so a flag means script mixing only.
     */
    private static final SpoofChecker MIXED_SCRIPT = new SpoofChecker.Builder()
            .setRestrictionLevel(SpoofChecker.RestrictionLevel.HIGHLY_RESTRICTIVE)
            .setAllowedChars(new UnicodeSet(0, 0x10FFFF))
            .setChecks(SpoofChecker.RESTRICTION_LEVEL)
            .build();

    /** Where a normalized domain sits relative to its public suffix. */
    public enum Kind { APEX, SUBDOMAIN }

    private DomainNames() {
    }

    /**
     * The normalized form of {@code raw}.
     *
     * @throws IllegalArgumentException with a message naming the rule that failed (and the label, counted from 1)
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
        String[] rawLabels = SEPARATORS.split(s, -1);
        for (int i = 0; i < rawLabels.length; i++) {
            if (rawLabels[i].length() > MAX_LABEL) {
                throw new IllegalArgumentException("label '" + rawLabels[i] + "' is longer than " + MAX_LABEL + " characters");
            }
            refuseRemovedCharacters(rawLabels[i], i + 1);
        }
        IDNA.Info info = new IDNA.Info();
        String ascii = UTS46.nameToASCII(s, new StringBuilder(), info).toString();
        if (!CHECKED_HERE.containsAll(info.getErrors())) {
            throw new IllegalArgumentException(describe(rawLabels, info.getErrors()));
        }
        if (ascii.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("domain is " + ascii.length() + " characters, more than " + MAX_LENGTH);
        }
        String[] labels = ascii.split("\\.", -1);
        if (labels.length < 2) {
            throw new IllegalArgumentException("domain must have at least two labels");
        }
        for (int i = 0; i < labels.length; i++) {
            String label = labels[i];
            if (label.isEmpty()) {
                throw new IllegalArgumentException("domain has an empty label");
            }
            if (label.length() > MAX_LABEL) {
                throw new IllegalArgumentException("label " + (i + 1) + " is longer than " + MAX_LABEL + " characters in its ASCII form");
            }
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("label " + (i + 1) + " may hold only letters, digits and inner hyphens");
            }
            if (label.startsWith(ACE_PREFIX)) {
                roundTrip(label, i + 1);
            }
        }
        if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("top-level label must not be numeric");
        }
        return ascii;
    }

    /**
     * The labels of a normalized domain, in their Unicode form, that mix scripts beyond UTS-39's "highly restrictive"
     * level (Latin with Cyrillic {@code а} in {@code pаypal}; not Japanese Han with Kana, nor Latin with either): a
     * warning sign of a look-alike, not a rule the domain breaks. Empty for an all-ASCII domain.
     */
    public static List<String> mixedScriptLabels(String normalized) {
        List<String> mixed = new ArrayList<>();
        for (String label : normalized.split("\\.")) {
            if (label.startsWith(ACE_PREFIX)) {
                String unicode = UTS46.labelToUnicode(label, new StringBuilder(), new IDNA.Info()).toString();
                if (MIXED_SCRIPT.failsChecks(unicode)) {
                    mixed.add(unicode);
                }
            }
        }
        return mixed;
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
            List<String> parts = name.parts();
            registrable = parts.get(parts.size() - 2) + "." + parts.get(parts.size() - 1);
        }
        return registrable.equals(normalized) ? Kind.APEX : Kind.SUBDOMAIN;
    }

    /** Refuses a label holding a code point that UTS-46 maps to nothing (it would name another domain unseen). */
    private static void refuseRemovedCharacters(String label, int position) {
        label.codePoints().forEach(cp -> {
            if (UTS46_MAPPING.normalize(Character.toString(cp)).isEmpty()) {
                throw new IllegalArgumentException(String.format("label %d holds U+%04X, an invisible character that IDNA "
                        + "mapping would silently remove", position, cp));
            }
        });
    }

    /** Refuses an {@code xn--} label that does not decode to valid Unicode and encode back to itself. */
    private static void roundTrip(String label, int position) {
        IDNA.Info decoded = new IDNA.Info();
        String unicode = UTS46.labelToUnicode(label, new StringBuilder(), decoded).toString();
        IDNA.Info encoded = new IDNA.Info();
        String again = UTS46.labelToASCII(unicode, new StringBuilder(), encoded).toString();
        if (decoded.hasErrors() || encoded.hasErrors() || !again.equals(label)) {
            throw new IllegalArgumentException("label " + position + " is not valid punycode");
        }
    }

    /** The message for a name UTS-46 refused: the first label with an error (counted from 1), else the whole name. */
    private static String describe(String[] rawLabels, Set<IDNA.Error> nameErrors) {
        for (int i = 0; i < rawLabels.length; i++) {
            IDNA.Info info = new IDNA.Info();
            UTS46.labelToASCII(rawLabels[i], new StringBuilder(), info);
            if (info.hasErrors()) {
                return "label " + (i + 1) + " " + phrases(info.getErrors());
            }
        }
        return "domain " + phrases(nameErrors);
    }

    private static String phrases(Set<IDNA.Error> errors) {
        return errors.stream().map(DomainNames::phrase).distinct().collect(Collectors.joining(" and "));
    }

    private static String phrase(IDNA.Error error) {
        return switch (error) {
            case EMPTY_LABEL -> "is empty";
            case LABEL_TOO_LONG -> "is longer than " + MAX_LABEL + " characters in its ASCII form";
            case DOMAIN_NAME_TOO_LONG -> "is longer than " + MAX_LENGTH + " characters in its ASCII form";
            case LEADING_HYPHEN -> "must not start with a hyphen";
            case TRAILING_HYPHEN -> "must not end with a hyphen";
            case HYPHEN_3_4 -> "must not have hyphens in positions 3 and 4 unless it is a valid xn-- label";
            case LEADING_COMBINING_MARK -> "must not start with a combining mark";
            case DISALLOWED -> "holds a character not allowed in a domain name (may hold only letters, digits and inner hyphens)";
            case PUNYCODE, INVALID_ACE_LABEL -> "is not valid punycode";
            case LABEL_HAS_DOT -> "decodes to a name with a dot";
            case BIDI -> "breaks the IDNA BiDi rule (RFC 5893: right-to-left and left-to-right text mixed in a way that displays ambiguously)";
            case CONTEXTJ -> "has a zero-width joiner or non-joiner where the IDNA ContextJ rule (RFC 5892) does not allow one";
            case CONTEXTO_PUNCTUATION, CONTEXTO_DIGITS -> "breaks an IDNA ContextO rule (RFC 5892)";
        };
    }
}
