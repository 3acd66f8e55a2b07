package io.domainlink.ingestor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import io.domainlink.common.DomainNames;
import io.domainlink.events.AssignmentType;
import io.domainlink.events.BillingCycle;
import io.domainlink.events.ConnectionAccepted;
import io.domainlink.events.ConnectionRequested;
import io.domainlink.events.ConnectionType;
import io.domainlink.events.CycleType;
import io.domainlink.events.CycleUnit;
import io.domainlink.events.Flow;
import io.domainlink.events.PremiumPlan;
import io.domainlink.events.RequestContext;

/**
 * Validates and normalizes one {@link ConnectionRequested}: a pure function of the request, the limits and the
 * current time. It decides the {@link Flow} and the Kafka key (the normalized domain). Every rule that fails is
 * named in the verdict's message as {@code field: rule}, separated by {@code "; "}. What is worth a look but breaks
 * no rule (a label mixing scripts, {@link #MIXED_SCRIPT_LABEL}) goes into the accepted event's {@code domainWarnings}.
 */
public final class RequestValidator {

    /** Key of a rejection whose domain is empty. */
    public static final String INVALID_KEY = "invalid";
    /** Prefix of the {@code domainWarnings} entry for a label mixing scripts; the label (Unicode form) follows. */
    public static final String MIXED_SCRIPT_LABEL = "MIXED_SCRIPT_LABEL:";
    static final int MAX_MESSAGE = 2_000;

    private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    private static final String GUID_RULE = "must be a GUID (8-4-4-4-12 hexadecimal digits)";

    private final IngestorSettings.Limits limits;

    public RequestValidator(IngestorSettings.Limits limits) {
        this.limits = limits;
    }

    /** The result: {@link Valid} (with the accepted event, generation still 0) or {@link Invalid}. */
    public sealed interface Verdict permits Valid, Invalid {
        /** The Kafka key of whatever is published about this request. */
        String key();

        /** The context every event about this request carries (generation 0 until admitted). */
        RequestContext context();
    }

    /** A valid request, normalized: the accepted event as it will be published, generation not yet assigned. */
    public record Valid(String key, Flow flow, ConnectionAccepted accepted) implements Verdict {
        @Override
        public RequestContext context() {
            return accepted.getContext();
        }
    }

    /** An invalid request: the best key available, a context safe to echo (flow UNKNOWN), and what was wrong. */
    public record Invalid(String key, RequestContext context, String message) implements Verdict {
    }

    /** Whether {@code requestId} can be used to de-duplicate (non-blank, within the limit, no control characters). */
    public boolean usableRequestId(String requestId) {
        return requestIdProblem(requestId) == null;
    }

    public Verdict validate(ConnectionRequested request, long now) {
        List<String> problems = new ArrayList<>();

        String idProblem = requestIdProblem(request.getRequestId());
        if (idProblem != null) {
            problems.add("requestId: " + idProblem);
        }

        // domain: size first, then syntax (DomainNames), then apex/subdomain by the public suffix list
        String rawDomain = request.getDomain() == null ? "" : request.getDomain();
        String normalized = null;
        DomainNames.Kind kind = null;
        if (rawDomain.length() > limits.maxString()) {
            problems.add("domain: is " + rawDomain.length() + " characters, more than the limit of " + limits.maxString());
        } else {
            try {
                normalized = DomainNames.normalize(rawDomain);
                kind = DomainNames.classify(normalized);
            } catch (IllegalArgumentException e) {
                problems.add("domain: " + e.getMessage());
            }
        }

        // connection type allowed for that kind of domain; decides the flow
        Flow flow = Flow.UNKNOWN;
        ConnectionType type = request.getConnectionType();
        if (kind == DomainNames.Kind.APEX) {
            if (type == null) {
                problems.add("connectionType: is required for a root domain (NAMESERVERS or POINTING)");
            } else if (type == ConnectionType.NAMESERVERS) {
                flow = Flow.NAMESERVERS;
            } else if (type == ConnectionType.POINTING) {
                flow = Flow.POINTING;
            } else {
                problems.add("connectionType: " + type + " is not allowed, use NAMESERVERS or POINTING for a root domain");
            }
        } else if (kind == DomainNames.Kind.SUBDOMAIN) {
            if (type != null) {
                problems.add("connectionType: must be absent for a subdomain (Wix rejects a connection type for subdomains)");
            } else {
                flow = Flow.SUBDOMAIN;
            }
        }

        guid(problems, "accountId", request.getAccountId());
        guid(problems, "siteId", request.getSiteId());
        if (request.getAssignment() == null || request.getAssignment() == AssignmentType.UNKNOWN) {
            problems.add("assignment: must be PRIMARY or REDIRECT");
        }
        plan(problems, request.getPremiumPlan());

        Map<String, String> correlation = request.getCorrelation() == null ? Map.of() : request.getCorrelation();
        boolean correlationFits = correlation(problems, correlation);

        if (problems.isEmpty()) {
            RequestContext context = RequestContext.newBuilder()
                    .setRequestId(request.getRequestId())
                    .setDomain(normalized)
                    .setFlow(flow)
                    .setAccountId(request.getAccountId())
                    .setSiteId(request.getSiteId())
                    .setCorrelation(new LinkedHashMap<>(correlation))
                    .setGeneration(0L)
                    .build();
            ConnectionAccepted accepted = ConnectionAccepted.newBuilder()
                    .setContext(context)
                    .setOccurredAt(java.time.Instant.ofEpochMilli(now))
                    .setRequestedAt(request.getRequestedAt())
                    .setConnectionType(flow == Flow.SUBDOMAIN ? null : type)
                    .setAssignment(request.getAssignment())
                    .setSuppressNotifications(request.getSuppressNotifications())
                    .setPremiumPlan(request.getPremiumPlan())
                    .setDomainWarnings(DomainNames.mixedScriptLabels(normalized).stream().map(l -> MIXED_SCRIPT_LABEL + l).toList())
                    .build();
            return new Valid(normalized, flow, accepted);
        }

        String key = normalized != null ? normalized : fallbackKey(rawDomain);
        Map<String, String> echoed = correlationFits ? new LinkedHashMap<>(correlation) : truncated(correlation);
        if (!correlationFits) {
            problems.add("(correlation truncated in this event to at most " + limits.maxCorrelationEntries() + " entries of "
                    + limits.maxCorrelationKey() + "/" + limits.maxCorrelationValue() + " characters)");
        }
        RequestContext context = RequestContext.newBuilder()
                .setRequestId(cut(nullToEmpty(request.getRequestId()), limits.maxRequestId()))
                .setDomain(key)
                .setFlow(Flow.UNKNOWN)
                .setAccountId(cut(nullToEmpty(request.getAccountId()), limits.maxString()))
                .setSiteId(cut(nullToEmpty(request.getSiteId()), limits.maxString()))
                .setCorrelation(echoed)
                .setGeneration(0L)
                .build();
        return new Invalid(key, context, cut("invalid request: " + String.join("; ", problems), MAX_MESSAGE));
    }

    private String requestIdProblem(String requestId) {
        if (requestId == null || requestId.isBlank()) {
            return "must not be empty";
        }
        if (requestId.length() > limits.maxRequestId()) {
            return "is " + requestId.length() + " characters, more than the limit of " + limits.maxRequestId();
        }
        if (requestId.chars().anyMatch(Character::isISOControl)) {
            return "must not contain control characters";
        }
        return null;
    }

    private void guid(List<String> problems, String field, String value) {
        if (value == null || value.isEmpty()) {
            problems.add(field + ": is required and " + GUID_RULE);
        } else if (value.length() > limits.maxString()) {
            problems.add(field + ": is " + value.length() + " characters, more than the limit of " + limits.maxString());
        } else if (!GUID.matcher(value).matches()) {
            problems.add(field + ": " + GUID_RULE);
        }
    }

    private void plan(List<String> problems, PremiumPlan plan) {
        if (plan == null) {
            return;
        }
        guid(problems, "premiumPlan.catalogProductId", plan.getCatalogProductId());
        String country = plan.getCountryCode();
        if (country == null || !COUNTRY.matcher(country).matches()) {
            problems.add("premiumPlan.countryCode: must be an ISO-3166 alpha-2 code (two upper-case letters)");
        }
        BillingCycle cycle = plan.getBillingCycle();
        if (cycle == null) {
            problems.add("premiumPlan.billingCycle: is required when a plan is requested (ONE_TIME or RECURRING)");
        } else if (cycle.getType() == CycleType.RECURRING) {
            if (cycle.getUnit() == null || cycle.getUnit() == CycleUnit.UNKNOWN) {
                problems.add("premiumPlan.billingCycle.unit: is required for RECURRING (DAY, WEEK, MONTH or YEAR)");
            }
            if (cycle.getCount() == null || cycle.getCount() <= 0) {
                problems.add("premiumPlan.billingCycle.count: must be greater than 0 for RECURRING");
            }
        } else if (cycle.getType() != CycleType.ONE_TIME) {
            problems.add("premiumPlan.billingCycle.type: must be ONE_TIME or RECURRING");
        }
    }

    /** Adds the correlation problems; true when the map is within every limit. */
    private boolean correlation(List<String> problems, Map<String, String> correlation) {
        boolean fits = true;
        if (correlation.size() > limits.maxCorrelationEntries()) {
            problems.add("correlation: has " + correlation.size() + " entries, more than the limit of " + limits.maxCorrelationEntries());
            fits = false;
        }
        for (Map.Entry<String, String> e : new TreeMap<>(correlation).entrySet()) {
            if (e.getKey().length() > limits.maxCorrelationKey()) {
                problems.add("correlation: key '" + cut(e.getKey(), 32) + "...' is " + e.getKey().length()
                        + " characters, more than the limit of " + limits.maxCorrelationKey());
                fits = false;
                break;
            }
            if (e.getValue() != null && e.getValue().length() > limits.maxCorrelationValue()) {
                problems.add("correlation: value of '" + cut(e.getKey(), 32) + "' is " + e.getValue().length()
                        + " characters, more than the limit of " + limits.maxCorrelationValue());
                fits = false;
                break;
            }
        }
        return fits;
    }

    private Map<String, String> truncated(Map<String, String> correlation) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : new TreeMap<>(correlation).entrySet()) {
            if (out.size() >= limits.maxCorrelationEntries()) {
                break;
            }
            out.putIfAbsent(cut(e.getKey(), limits.maxCorrelationKey()), cut(nullToEmpty(e.getValue()), limits.maxCorrelationValue()));
        }
        return out;
    }

    private String fallbackKey(String rawDomain) {
        String s = cut(rawDomain.strip().toLowerCase(Locale.ROOT), limits.maxString());
        return s.isEmpty() ? INVALID_KEY : s;
    }

    static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
