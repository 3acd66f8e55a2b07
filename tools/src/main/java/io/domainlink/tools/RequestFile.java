package io.domainlink.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.domainlink.events.AssignmentType;
import io.domainlink.events.BillingCycle;
import io.domainlink.events.ConnectionRequested;
import io.domainlink.events.ConnectionType;
import io.domainlink.events.CycleType;
import io.domainlink.events.CycleUnit;
import io.domainlink.events.PremiumPlan;

/**
 * Connection requests written as plain JSON (one object, or an array of them), turned into {@link ConnectionRequested}
 * events with the generated builders. Field names are those of the event; enums are their symbol names:
 *
 * <pre>{@code
 * {"requestId": "my-1", "domain": "example.com", "connectionType": "POINTING",
 *  "accountId": "<GUID>", "siteId": "<GUID>", "assignment": "PRIMARY", "suppressNotifications": false,
 *  "premiumPlan": {"catalogProductId": "<GUID>", "countryCode": "US",
 *                  "billingCycle": {"type": "RECURRING", "unit": "MONTH", "count": 1}},
 *  "correlation": {"ticket": "T-1"}, "requestedAt": "2026-11-27T10:00:00Z",
 *  "expect": "CONNECTED"}
 * }</pre>
 *
 * <p>{@code requestId} defaults to a random UUID and {@code requestedAt} to now. {@code {run}} anywhere in a string
 * value is replaced by the run token (the demo uses it so every run has fresh request ids and domains). {@code expect}
 * is not part of the event: it is what the summary checks the outcome against ({@code CONNECTED}, or {@code FAILED}
 * optionally followed by {@code :<reason>}). Unknown fields are rejected so that a typo does not go unnoticed.
 */
public final class RequestFile {

    public static final String CONNECTED = "CONNECTED";
    public static final String FAILED = "FAILED";

    /**
     * One request to submit and, optionally, the outcome it should end with.
     *
     * @param requestedAtGiven false when the file left {@code requestedAt} out: {@link #stamped} sets it at submission
     */
    public record Planned(ConnectionRequested request, Expectation expect, boolean requestedAtGiven) {

        /** The request to publish at {@code now}: {@code requestedAt} is now unless the file gave one. */
        public ConnectionRequested stamped(Instant now) {
            return requestedAtGiven ? request : ConnectionRequested.newBuilder(request).setRequestedAt(now).build();
        }
    }

    /** {@code CONNECTED} or {@code FAILED[:REASON]}. */
    public record Expectation(String outcome, String reason) {
        public static Expectation parse(String text) {
            if (text == null || text.isBlank()) {
                return null;
            }
            String[] parts = text.trim().toUpperCase(Locale.ROOT).split(":", 2);
            if (!parts[0].equals(CONNECTED) && !parts[0].equals(FAILED)) {
                throw new IllegalArgumentException("expect must be CONNECTED or FAILED[:REASON], was " + text);
            }
            return new Expectation(parts[0], parts.length > 1 ? parts[1] : null);
        }

        public boolean matches(String actualOutcome, String actualReason) {
            return outcome.equals(actualOutcome) && (reason == null || reason.equals(actualReason));
        }

        @Override
        public String toString() {
            return reason == null ? outcome : outcome + ":" + reason;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("requestId", "domain", "connectionType", "accountId", "siteId",
            "assignment", "suppressNotifications", "premiumPlan", "correlation", "requestedAt", "expect");

    private RequestFile() {
    }

    public static List<Planned> read(Path file, String run, Instant now) throws IOException {
        try {
            return parse(Files.readString(file), run, now);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    public static List<Planned> parse(String json, String run, Instant now) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
        }
        List<JsonNode> items = new ArrayList<>();
        if (root != null && root.isArray()) {
            root.forEach(items::add);
        } else if (root != null && root.isObject()) {
            items.add(root);
        } else {
            throw new IllegalArgumentException("expected a JSON object or an array of objects");
        }
        List<Planned> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String where = items.size() == 1 && root.isObject() ? "request" : "request[" + i + "]";
            try {
                out.add(toPlanned(items.get(i), run, now));
            } catch (IllegalArgumentException e) {
                problems.add(where + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return out;
    }

    private static Planned toPlanned(JsonNode n, String run, Instant now) {
        if (!n.isObject()) {
            throw new IllegalArgumentException("must be a JSON object");
        }
        List<String> problems = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                problems.add("unknown field '" + f + "' (known: " + String.join(", ", new java.util.TreeSet<>(FIELDS)) + ")");
            }
        }
        String domain = text(n, "domain", run, problems, true);
        String accountId = text(n, "accountId", run, problems, true);
        String siteId = text(n, "siteId", run, problems, true);
        String requestId = text(n, "requestId", run, problems, false);
        ConnectionType type = symbol(n, "connectionType", ConnectionType.class, problems);
        AssignmentType assignment = symbol(n, "assignment", AssignmentType.class, problems);
        Instant requestedAt = now;
        if (n.hasNonNull("requestedAt")) {
            try {
                requestedAt = Instant.parse(n.get("requestedAt").asText());
            } catch (DateTimeParseException e) {
                problems.add("requestedAt must be an ISO-8601 instant such as 2026-11-27T10:00:00Z");
            }
        }
        Map<String, String> correlation = new LinkedHashMap<>();
        if (n.has("correlation")) {
            JsonNode c = n.get("correlation");
            if (!c.isObject()) {
                problems.add("correlation must be an object of strings");
            } else {
                c.fields().forEachRemaining(e -> correlation.put(e.getKey(), e.getValue().asText().replace("{run}", run)));
            }
        }
        PremiumPlan plan = n.hasNonNull("premiumPlan") ? plan(n.get("premiumPlan"), problems) : null;
        Expectation expect = null;
        try {
            expect = Expectation.parse(n.hasNonNull("expect") ? n.get("expect").asText() : null);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        ConnectionRequested request = ConnectionRequested.newBuilder()
                .setRequestId(requestId != null ? requestId : UUID.randomUUID().toString())
                .setDomain(domain)
                .setConnectionType(type)
                .setAccountId(accountId)
                .setSiteId(siteId)
                .setAssignment(assignment != null ? assignment : AssignmentType.PRIMARY)
                .setSuppressNotifications(n.path("suppressNotifications").asBoolean(false))
                .setPremiumPlan(plan)
                .setCorrelation(correlation)
                .setRequestedAt(requestedAt)
                .build();
        return new Planned(request, expect, n.hasNonNull("requestedAt"));
    }

    private static PremiumPlan plan(JsonNode p, List<String> problems) {
        BillingCycle cycle = null;
        if (p.hasNonNull("billingCycle")) {
            JsonNode b = p.get("billingCycle");
            cycle = BillingCycle.newBuilder()
                    .setType(symbolOr(b, "type", CycleType.class, CycleType.UNKNOWN, problems))
                    .setUnit(symbol(b, "unit", CycleUnit.class, problems))
                    .setCount(b.hasNonNull("count") ? b.get("count").asInt() : null)
                    .build();
        }
        return PremiumPlan.newBuilder()
                .setCatalogProductId(p.path("catalogProductId").asText(""))
                .setCountryCode(p.path("countryCode").asText(""))
                .setBillingCycle(cycle)
                .build();
    }

    private static String text(JsonNode n, String field, String run, List<String> problems, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                problems.add(field + " is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            problems.add(field + " must be a string");
            return null;
        }
        return v.asText().replace("{run}", run);
    }

    private static <E extends Enum<E>> E symbol(JsonNode n, String field, Class<E> type, List<String> problems) {
        return symbolOr(n, field, type, null, problems);
    }

    private static <E extends Enum<E>> E symbolOr(JsonNode n, String field, Class<E> type, E fallback, List<String> problems) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, v.asText().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add(field + " must be one of " + java.util.Arrays.toString(type.getEnumConstants()) + ", was '" + v.asText() + "'");
            return fallback;
        }
    }
}
