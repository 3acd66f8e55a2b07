package io.domainlink.tools;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Time arguments: an ISO-8601 instant, a date (midnight UTC), {@code now}, or a duration ago ({@code 90m}, {@code 24h}, {@code 7d}, {@code PT1H}). */
final class Times {

    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private Times() {
    }

    static Instant parse(String text, Clock clock) {
        String t = text.trim();
        if (t.equalsIgnoreCase("now")) {
            return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        }
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException ignored) {
            // not an instant
        }
        try {
            return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException ignored) {
            // not a date
        }
        return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).minus(duration(t));
    }

    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = SHORT.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a time: use an ISO-8601 instant (2026-11-27T10:00:00Z), "
                    + "a date (2026-11-27), now, or a duration ago (90m, 24h, 7d, PT1H)");
        }
    }

    static String seconds(long millis) {
        return millis < 60_000 ? String.format(Locale.ROOT, "%.1fs", millis / 1000.0)
                : millis < 3_600_000 ? String.format(Locale.ROOT, "%dm%02ds", millis / 60_000, millis / 1000 % 60)
                : String.format(Locale.ROOT, "%dh%02dm", millis / 3_600_000, millis / 60_000 % 60);
    }
}
