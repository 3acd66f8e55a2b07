package io.domainlink.wix.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The Wix behaviour of the sandbox: in-memory state and the logic of every endpoint, following the reference and
 * the choices of {@code docs/wix-choices.md}. HTTP-free: the server turns requests into {@link Call}s and
 * {@link Reply}s into responses. Every public-facing method is synchronized on this object, so the state needs no
 * other locking; injected latency is slept outside the lock.
 */
final class WixApi {
    static final List<String> A_VALUES = List.of("185.230.63.107", "185.230.63.171", "185.230.63.186");
    static final String CNAME_TARGET = "pointing.wixdns.net";
    static final List<String> NS_VALUES = List.of("ns12.wixdns.net", "ns13.wixdns.net");
    static final String PARKED_A = "192.0.2.1";
    static final String SOA_VALUE = "ns12.wixdns.net. hostmaster.wixdns.net. 1 10800 3600 604800 3600";
    static final int POINTING_TTL = 3600;
    static final int NS_TTL = 86400;

    static final int MAX_ADDITIONS = 10;
    static final int MAX_DELETIONS = 10;
    static final int MAX_VALUES = 50;
    static final int MAX_ZONE_RECORDS = 5000;
    static final int DEFAULT_PAGE = 50;
    static final int MAX_PAGE = 100;
    static final Duration IDEMPOTENCY_WINDOW = Duration.ofHours(24);

    private static final Pattern GUID =
            Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    private static final Pattern MX_VALUE = Pattern.compile("^\\d{1,5}\\s+\\S+$");
    private static final Set<String> RECORD_TYPES =
            Set.of("A", "AAAA", "NS", "SOA", "CNAME", "MX", "TXT", "SPF", "SRV", "PTR", "NAPTR");

    /** A request as the endpoint logic sees it. */
    record Call(Endpoint endpoint, String method, String path, Map<String, String> query, String authorization,
                String accountId, String siteId, JsonNode body, String bodyError, String domain,
                String idempotencyKey, String packageId) {
    }

    /** An answer: status, JSON body, optional Retry-After, and what goes into the call log. */
    record Reply(int status, String body, Integer retryAfterSeconds, String code, Effect effect, String fault) {
        static Reply ok(JsonNode body, Effect effect) {
            return new Reply(200, Json.write(body), null, null, effect, null);
        }

        static Reply of(WixError e) {
            return new Reply(e.status, Json.write(e.body), e.retryAfterSeconds, e.code, Effect.NONE, e.fault);
        }
    }

    /** What the dice decided for one call before it is served. */
    record FaultDecision(long latencyMs, boolean drop, WixError error) {
        static final FaultDecision NONE = new FaultDecision(0, false, null);
    }

    /** Propagation of one domain at one instant (C10). */
    record PropagationState(String status, Instant recordsInPlaceAt, Instant doneAt, Scenario.Rule rule,
                            long delayMs, Long autoOwnerRecordsAfterMs, Scenario.Outcome outcome) {
        boolean terminal() {
            return status.equals("COMPLETED") || status.equals("FAILED");
        }
    }

    private static final class DomainState {
        final String domain;
        final boolean root;
        final String accountId;
        final String siteId;
        final String connectionType;
        final String assignmentType;
        final boolean suppressNotifications;
        final Instant createdAt;
        final long seq;
        Instant updatedAt;
        List<DnsRecord> zone;
        Instant zoneReadyAt;
        Instant ownerRecordsAt;

        DomainState(String domain, boolean root, String accountId, String siteId, String connectionType,
                    String assignmentType, boolean suppressNotifications, Instant createdAt, long seq) {
            this.domain = domain;
            this.root = root;
            this.accountId = accountId;
            this.siteId = siteId;
            this.connectionType = connectionType;
            this.assignmentType = assignmentType;
            this.suppressNotifications = suppressNotifications;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
            this.seq = seq;
        }

        boolean nameservers() {
            return connectionType.equals("NAMESERVERS");
        }
    }

    /** A Create Package request remembered under its idempotency key (C17): the body and the package it made. */
    private record StoredRequest(JsonNode request, String packageId, Instant at) {
    }

    /** A package as created (C17, C18, C22) and, after Cancel Package, cancelled (C23). */
    private static final class PackageState {
        final String id;
        final String accountId;
        final String idempotencyKey;
        /** The {@code package} object as Wix answers it; cancelling changes its statuses and dates in place. */
        final ObjectNode json;
        /** Sites a premium-catalog product of this package was assigned to, lower case. */
        final Set<String> premiumSites;
        final long seq;
        Instant canceledAt;

        PackageState(String id, String accountId, String idempotencyKey, ObjectNode json, Set<String> premiumSites,
                     long seq) {
            this.id = id;
            this.accountId = accountId;
            this.idempotencyKey = idempotencyKey;
            this.json = json;
            this.premiumSites = premiumSites;
            this.seq = seq;
        }
    }

    private final Clock clock;
    private final Scenario initialScenario;
    private Scenario scenario;
    private Random random;
    private final Map<String, DomainState> domains = new HashMap<>();
    private final Map<String, PackageState> packages = new HashMap<>();
    private final Map<String, StoredRequest> idempotency = new HashMap<>();
    private final Map<String, Deque<Instant>> rateWindows = new HashMap<>();
    private final Map<String, Integer> scriptedCounts = new HashMap<>();
    private final List<CallRecord> calls = new ArrayList<>();
    private long domainSeq;
    private long packageSeq;
    private long callSeq;

    WixApi(Scenario scenario, Clock clock) {
        this.clock = clock;
        this.initialScenario = scenario.copy();
        this.scenario = scenario.copy();
        this.random = newRandom(this.scenario.faults.seed);
    }

    private static Random newRandom(Long seed) {
        return seed != null ? new Random(seed) : new Random();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    // ------------------------------------------------------------------ scenario, faults, admin state

    synchronized Scenario scenario() {
        return scenario.copy();
    }

    synchronized void setScenario(Scenario newScenario) {
        newScenario.validate();
        Long oldSeed = scenario.faults.seed;
        scenario = newScenario.copy();
        scriptedCounts.clear();
        if (scenario.faults.seed != null && !scenario.faults.seed.equals(oldSeed)) {
            random = newRandom(scenario.faults.seed);
        }
    }

    synchronized Faults faults() {
        return scenario.faults.copy();
    }

    synchronized void setFaults(Faults faults) {
        faults.validate();
        scenario.faults = faults.copy();
        if (faults.seed != null) {
            random = newRandom(faults.seed);
        }
    }

    synchronized void reset() {
        domains.clear();
        packages.clear();
        packageSeq = 0;
        idempotency.clear();
        rateWindows.clear();
        scriptedCounts.clear();
        calls.clear();
        callSeq = 0;
        domainSeq = 0;
        scenario = initialScenario.copy();
        random = newRandom(scenario.faults.seed);
    }

    synchronized List<CallRecord> calls() {
        return List.copyOf(calls);
    }

    synchronized void clearCalls() {
        calls.clear();
    }

    synchronized CallRecord record(Call call, int status, String code, Effect effect, String fault, long latencyMs) {
        CallRecord r = new CallRecord(++callSeq, Json.date(now()), call.method(), call.path(), call.endpoint(),
                call.accountId(), call.siteId(), call.domain(), call.idempotencyKey(), call.packageId(), status, code,
                effect, fault, latencyMs);
        calls.add(r);
        return r;
    }

    /** "The owner set the records at the registrar": starts propagation of a POINTING domain or subdomain. */
    synchronized Optional<DomainSnapshot> ownerSetRecords(String domain) {
        DomainState d = domains.get(DomainNames.normalize(domain));
        if (d == null) {
            return Optional.empty();
        }
        if (d.ownerRecordsAt == null) {
            d.ownerRecordsAt = now();
        }
        return Optional.of(snapshot(d, now()));
    }

    synchronized Optional<DomainSnapshot> snapshot(String domain) {
        DomainState d = domains.get(DomainNames.normalize(domain));
        return d == null ? Optional.empty() : Optional.of(snapshot(d, now()));
    }

    synchronized List<DomainSnapshot> snapshots() {
        Instant now = now();
        return domains.values().stream().sorted(Comparator.comparingLong(d -> d.seq))
                .map(d -> snapshot(d, now)).toList();
    }

    synchronized Optional<PackageSnapshot> packageSnapshot(String id) {
        PackageState p = packages.get(id);
        return p == null ? Optional.empty() : Optional.of(snapshot(p));
    }

    synchronized List<PackageSnapshot> packageSnapshots() {
        return packages.values().stream().sorted(Comparator.comparingLong(p -> p.seq)).map(WixApi::snapshot).toList();
    }

    private static PackageSnapshot snapshot(PackageState p) {
        List<String> sites = new ArrayList<>();
        List<String> statuses = new ArrayList<>();
        for (JsonNode instance : p.json.path("productInstances")) {
            String site = Json.text(instance, "siteId");
            if (site != null) {
                sites.add(site);
            }
            statuses.add(Json.text(instance, "status"));
        }
        return new PackageSnapshot(p.id, p.accountId, Json.text(p.json, "externalId"), p.idempotencyKey,
                List.copyOf(sites), List.copyOf(statuses), p.canceledAt != null, Json.text(p.json, "createdDate"),
                Json.text(p.json, "updatedDate"), Json.date(p.canceledAt));
    }

    private DomainSnapshot snapshot(DomainState d, Instant now) {
        PropagationState p = propagation(d, now);
        return new DomainSnapshot(d.domain, d.accountId, d.siteId, d.connectionType, d.assignmentType,
                d.suppressNotifications, d.root, p.status(), Json.date(d.createdAt), Json.date(updatedAt(d, p, now)),
                Json.date(d.ownerRecordsAt), Json.date(p.recordsInPlaceAt()), Json.date(p.doneAt()),
                d.zone != null && zoneHasExpectedRecords(d.domain, d.zone), p.delayMs(), p.autoOwnerRecordsAfterMs(),
                p.outcome(), p.rule() == null ? null : p.rule().pattern, d.zone == null ? null : List.copyOf(d.zone));
    }

    // ------------------------------------------------------------------ faults

    synchronized FaultDecision decideFaults(Call call) {
        FaultProfile p = scenario.faults.profileFor(call.accountId(), call.domain(), call.endpoint());
        if (p.isQuiet()) {
            return FaultDecision.NONE;
        }
        long latency = p.latencyMs + (p.latencyJitterMs > 0 ? random.nextLong(p.latencyJitterMs + 1) : 0);
        double roll = random.nextDouble();
        if (roll < p.dropConnectionRate) {
            return new FaultDecision(latency, true, null);
        }
        roll -= p.dropConnectionRate;
        if (roll < p.serverErrorRate) {
            int status = p.serverErrorStatuses.get(random.nextInt(p.serverErrorStatuses.size()));
            return new FaultDecision(latency, false, WixError.system(status).fault("SERVER_ERROR"));
        }
        roll -= p.serverErrorRate;
        if (roll < p.tooManyRequestsRate) {
            return new FaultDecision(latency, false,
                    WixError.tooManyRequests("Too many requests.", p.retryAfterSeconds).fault("TOO_MANY_REQUESTS"));
        }
        return new FaultDecision(latency, false, null);
    }

    // ------------------------------------------------------------------ serving

    synchronized Reply serve(Call call) {
        try {
            authenticate(call);
            enforceRateLimit(call);
            applyScriptedError(call);
            return switch (call.endpoint()) {
                case CREATE_CONNECTED_DOMAIN -> createConnectedDomain(call);
                case LIST_CONNECTED_DOMAINS -> listConnectedDomains(call);
                case GET_CONNECTED_DOMAIN -> Reply.ok(wrap("connectedDomain", connectedDomainJson(owned(call))),
                        Effect.NONE);
                case DELETE_CONNECTED_DOMAIN -> deleteConnectedDomain(call);
                case GET_CONNECTED_DOMAIN_SETUP_INFO -> Reply.ok(wrap("connectedDomainSetupInfo",
                        setupInfoJson(owned(call))), Effect.NONE);
                case CREATE_DNS_ZONE -> createDnsZone(call);
                case GET_DNS_ZONE -> getDnsZone(call);
                case UPDATE_DNS_ZONE -> updateDnsZone(call);
                case DELETE_DNS_ZONE -> deleteDnsZone(call);
                case PREVIEW_DNS_ZONE -> previewDnsZone(call);
                case CREATE_PACKAGE -> createPackage(call);
                case CANCEL_PACKAGE -> cancelPackage(call);
            };
        } catch (WixError e) {
            return Reply.of(e);
        }
    }

    /** C3, C4: Authorization is the raw key; wix-account-id must be a GUID the key may act for. */
    private void authenticate(Call call) {
        String key = call.authorization();
        List<String> allowed = key == null ? null : scenario.apiKeys.get(key.trim());
        if (allowed == null) {
            throw WixError.application(401, "UNAUTHENTICATED", "Missing or invalid Authorization header.");
        }
        String account = call.accountId();
        if (account == null || account.isBlank()) {
            throw WixError.application(403, "DOMAINS_GUID_NOT_FOUND", "Wix account ID is missing.");
        }
        if (!GUID.matcher(account).matches()) {
            throw WixError.application(400, "DOMAINS_GUID_NOT_VALID", "Wix site id and/or Wix account ID is invalid.");
        }
        if (!allowed.contains("*") && allowed.stream().noneMatch(a -> a.equalsIgnoreCase(account))) {
            throw WixError.application(403, "DOMAINS_PERMISSION_DENIED",
                    "Permission denied for account ID " + account + ".");
        }
    }

    /** C15: sliding 60 s window per account, off unless rateLimitPerMinute is set. */
    private void enforceRateLimit(Call call) {
        Integer limit = scenario.rateLimitPerMinute;
        if (limit == null || limit <= 0) {
            return;
        }
        Instant now = now();
        Deque<Instant> window = rateWindows.computeIfAbsent(call.accountId().toLowerCase(Locale.ROOT),
                k -> new ArrayDeque<>());
        Instant windowStart = now.minusSeconds(60);
        while (!window.isEmpty() && !window.peekFirst().isAfter(windowStart)) {
            window.pollFirst();
        }
        if (window.size() >= limit) {
            long waitMs = Duration.between(now, window.peekFirst().plusSeconds(60)).toMillis();
            int retryAfter = (int) Math.max(1, (waitMs + 999) / 1000);
            throw WixError.tooManyRequests("Rate limit of " + limit + " requests per minute exceeded for account "
                    + call.accountId() + ".", retryAfter).fault("RATE_LIMIT");
        }
        window.addLast(now);
    }

    private void applyScriptedError(Call call) {
        Scenario.Rule rule = scenario.ruleFor(call.domain());
        if (rule == null) {
            return;
        }
        for (int i = 0; i < rule.errors.size(); i++) {
            Scenario.ScriptedError e = rule.errors.get(i);
            if (e.endpoint != call.endpoint()) {
                continue;
            }
            if (e.times != null) {
                String key = scenario.rules.indexOf(rule) + "/" + i + "/" + call.domain();
                int n = scriptedCounts.merge(key, 1, Integer::sum);
                if (n > e.times) {
                    continue;
                }
            }
            String message = e.message != null ? e.message : e.code + " (scripted)";
            throw WixError.scripted(e.status, e.code, message, e.retryAfterSeconds).fault("SCRIPTED");
        }
    }

    // ------------------------------------------------------------------ connected domains

    private Reply createConnectedDomain(Call call) {
        String site = call.siteId();
        if (site == null || site.isBlank()) { // C19
            throw WixError.application(400, "DOMAINS_GUID_NOT_VALID",
                    "Wix site id and/or Wix account ID is invalid: a site id is required.");
        }
        if (!GUID.matcher(site).matches()) {
            throw WixError.application(400, "DOMAINS_GUID_NOT_VALID", "Wix site id and/or Wix account ID is invalid.");
        }
        JsonNode cd = requireObject(call, "connectedDomain");
        String domain = call.domain();
        if (domain == null || domain.isEmpty()) {
            throw WixError.validation("Domain is required.", "connectedDomain.domain", "REQUIRED_FIELD",
                    "INVALID_DOMAIN", null);
        }
        Optional<String> root = DomainNames.rootOf(domain);
        if (root.isEmpty()) {
            throw WixError.validation("Domain " + domain + " is not a valid domain name.", "connectedDomain.domain",
                    "CUSTOM", "INVALID_DOMAIN", null);
        }
        boolean isRoot = root.get().equals(domain);
        JsonNode typeNode = cd.get("connectionType");
        String type = typeNode == null || typeNode.isNull() ? null : typeNode.asText();
        if (isRoot) {
            if (!"POINTING".equals(type) && !"NAMESERVERS".equals(type)) {
                throw invalidConnectionType(type, "a root domain is connected by POINTING or NAMESERVERS");
            }
        } else {
            if (type != null && !type.equals("UNKNOWN_CONNECTION_TYPE")) {
                throw invalidConnectionType(type, "no connection type may be passed for a subdomain");
            }
            type = "UNKNOWN_CONNECTION_TYPE";
        }
        String assignment = Json.text(cd.get("siteInfo"), "assignmentType");
        if (assignment == null || assignment.equals("UNKNOWN_ASSIGNMENT_TYPE")) {
            assignment = "PRIMARY";
        } else if (!assignment.equals("PRIMARY") && !assignment.equals("REDIRECT")) {
            throw WixError.validation("Invalid assignment type " + assignment + ".",
                    "connectedDomain.siteInfo.assignmentType", "CUSTOM", "INVALID_ASSIGNMENT_TYPE", null);
        }
        boolean suppress = cd.path("suppressNotifications").asBoolean(false);

        DomainState existing = domains.get(domain);
        if (existing != null) {
            if (!existing.accountId.equalsIgnoreCase(call.accountId())) { // C6
                throw notPermitted(domain);
            }
            if (!existing.connectionType.equals(type)) {
                throw WixError.application(409, "DOMAINS_ALREADY_EXISTS",
                        "Domain " + domain + " with different connection type is already connected.");
            }
            if (!existing.siteId.equalsIgnoreCase(site) || !existing.assignmentType.equals(assignment)) {
                throw WixError.application(409, "DOMAINS_ALREADY_EXISTS",
                        "Domain " + domain + " with different settings is already connected.");
            }
            if (scenario.identicalRecreate == Scenario.IdenticalRecreate.CONFLICT) { // C5, switchable
                throw WixError.application(409, "DOMAINS_ALREADY_EXISTS",
                        "Domain " + domain + " is already connected.");
            }
            return Reply.ok(wrap("connectedDomain", connectedDomainJson(existing)), Effect.NONE);
        }
        if (!isPremium(site)) { // C18
            throw WixError.application(403, "NON_PREMIUM_SITE",
                    "Domain " + domain + " can't be assigned to free Wix site " + site + ".");
        }
        DomainState d = new DomainState(domain, isRoot, call.accountId(), site, type, assignment, suppress, now(),
                ++domainSeq);
        if (d.nameservers()) { // C13: Wix's zone starts with NS, SOA and the registrar's parked A record
            d.zone = new ArrayList<>(List.of(
                    new DnsRecord("NS", domain, NS_TTL, NS_VALUES),
                    new DnsRecord("SOA", domain, POINTING_TTL, List.of(SOA_VALUE)),
                    new DnsRecord("A", domain, POINTING_TTL, List.of(PARKED_A))));
        }
        domains.put(domain, d);
        return Reply.ok(wrap("connectedDomain", connectedDomainJson(d)), Effect.DOMAIN_CREATED);
    }

    private static WixError invalidConnectionType(String type, String why) {
        return WixError.validation("Invalid connection type " + (type == null ? "(none)" : type) + ": " + why + ".",
                "connectedDomain.connectionType", "CUSTOM", "INVALID_CONNECTION_TYPE", null);
    }

    /** C18, C23: premium by the scenario, or by a package for the site that is not cancelled. */
    private boolean isPremium(String siteId) {
        String site = siteId.toLowerCase(Locale.ROOT);
        return scenario.allSitesPremium
                || scenario.premiumSites.stream().anyMatch(s -> s.equalsIgnoreCase(siteId))
                || packages.values().stream().anyMatch(p -> p.canceledAt == null && p.premiumSites.contains(site));
    }

    private Reply listConnectedDomains(Call call) {
        int limit = DEFAULT_PAGE;
        String rawLimit = call.query().get("paging.limit");
        if (rawLimit != null) {
            try {
                limit = Integer.parseInt(rawLimit.trim());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 0 || limit > MAX_PAGE) {
                throw WixError.validation("paging.limit must be between 0 and " + MAX_PAGE + ".", "paging.limit",
                        "MAX", null, Map.of("threshold", MAX_PAGE));
            }
        }
        int offset = 0;
        String cursor = call.query().get("paging.cursor");
        if (cursor != null && !cursor.isEmpty()) {
            offset = decodeCursor(cursor);
        }
        List<DomainState> mine = domains.values().stream()
                .filter(d -> d.accountId.equalsIgnoreCase(call.accountId()))
                .sorted(Comparator.comparing((DomainState d) -> d.createdAt).thenComparingLong(d -> d.seq).reversed())
                .toList();
        List<DomainState> page = mine.subList(Math.min(offset, mine.size()), Math.min(offset + limit, mine.size()));
        boolean hasNext = offset + page.size() < mine.size();
        ObjectNode body = Json.object();
        ObjectNode paging = body.putObject("pagingMetadata");
        paging.put("count", page.size());
        ObjectNode cursors = paging.putObject("cursors");
        if (hasNext && limit > 0) {
            cursors.put("next", encodeCursor(offset + page.size()));
        } else {
            cursors.putNull("next");
        }
        if (offset > 0) {
            cursors.put("prev", encodeCursor(Math.max(0, offset - Math.max(limit, 1))));
        } else {
            cursors.putNull("prev");
        }
        paging.put("hasNext", hasNext);
        ArrayNode items = body.putArray("connectedDomains");
        page.forEach(d -> items.add(connectedDomainJson(d)));
        return Reply.ok(body, Effect.NONE);
    }

    /** C9: the cursor is base64 of the offset. */
    static String encodeCursor(int offset) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("offset:" + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static int decodeCursor(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.startsWith("offset:")) {
                int offset = Integer.parseInt(text.substring("offset:".length()));
                if (offset >= 0) {
                    return offset;
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through to the validation error
        }
        throw WixError.validation("paging.cursor is not a cursor returned by this API.", "paging.cursor", "FORMAT",
                null, null);
    }

    private Reply deleteConnectedDomain(Call call) {
        DomainState d = owned(call);
        domains.remove(d.domain);
        return Reply.ok(Json.object(), Effect.DOMAIN_DELETED); // C8
    }

    /** The caller's domain, else 404 NOT_FOUND (C7) or 403 for another account's domain (C6). */
    private DomainState owned(Call call) {
        DomainState d = domains.get(call.domain());
        if (d == null) {
            throw WixError.application(404, "NOT_FOUND", "Domain name " + call.domain() + " wasn't found.");
        }
        if (!d.accountId.equalsIgnoreCase(call.accountId())) {
            throw notPermitted(d.domain);
        }
        return d;
    }

    private static WixError notPermitted(String domain) {
        return WixError.application(403, "DOMAINS_DOMAIN_NOT_PERMITTED",
                "Domain " + domain + " isn't permitted for the account.");
    }

    private ObjectNode connectedDomainJson(DomainState d) {
        Instant now = now();
        PropagationState p = propagation(d, now);
        ObjectNode o = Json.object();
        o.put("id", d.domain);
        o.put("domain", d.domain);
        o.put("connectionType", d.connectionType);
        ObjectNode site = o.putObject("siteInfo");
        site.put("id", d.siteId);
        site.put("assignmentType", d.assignmentType);
        if (d.assignmentType.equals("REDIRECT")) {
            domains.values().stream()
                    .filter(other -> other.siteId.equalsIgnoreCase(d.siteId)
                            && other.assignmentType.equals("PRIMARY"))
                    .min(Comparator.comparingLong(other -> -other.seq))
                    .ifPresent(primary -> site.putObject("redirectInfo").put("primaryDomain", primary.domain));
        }
        o.put("suppressNotifications", d.suppressNotifications);
        o.put("dnsPropagationStatus", p.status());
        o.put("createdDate", Json.date(d.createdAt));
        o.put("updatedDate", Json.date(updatedAt(d, p, now)));
        return o;
    }

    /** The last change visible to a reader: the later of the last write and the last status change. */
    private static Instant updatedAt(DomainState d, PropagationState p, Instant now) {
        Instant updated = d.updatedAt;
        for (Instant t : new Instant[] {p.recordsInPlaceAt(), p.doneAt()}) {
            if (t != null && !t.isAfter(now) && t.isAfter(updated)) {
                updated = t;
            }
        }
        return updated;
    }

    /** C11, C12. */
    private ObjectNode setupInfoJson(DomainState d) {
        ObjectNode o = Json.object();
        o.put("connectedDomainId", d.domain);
        ObjectNode registrar = o.putObject("registrar");
        registrar.put("name", scenario.registrar.name);
        ArrayNode ns = registrar.putArray("nameServers");
        scenario.registrar.nameServers.forEach(ns::add);
        if (d.nameservers()) {
            o.putObject("nameserverRecord").set("nsRecord", recordJson("hostName", d.domain, NS_TTL, NS_VALUES));
            if (scenario.nameserversSetupInfo == Scenario.NameserversSetupInfo.SAMPLE_FLOW) {
                o.set("pointingRecords", pointingRecordsJson(d.domain));
            }
        } else if (d.root) {
            o.set("pointingRecords", pointingRecordsJson(d.domain));
        } else {
            ObjectNode cname = Json.object();
            cname.put("hostName", d.domain);
            cname.put("ttl", POINTING_TTL);
            cname.put("value", CNAME_TARGET);
            o.putObject("subdomainRecords").putArray("cnameRecords").add(cname);
        }
        return o;
    }

    private static ObjectNode pointingRecordsJson(String domain) {
        ObjectNode pointing = Json.object();
        pointing.set("aRecord", recordJson("hostName", domain, POINTING_TTL, A_VALUES));
        ObjectNode cname = pointing.putObject("cnameRecord");
        cname.put("hostName", "www." + domain);
        cname.put("ttl", POINTING_TTL);
        cname.put("value", CNAME_TARGET);
        return pointing;
    }

    private static ObjectNode recordJson(String hostField, String host, int ttl, List<String> values) {
        ObjectNode r = Json.object();
        r.put(hostField, host);
        r.put("ttl", ttl);
        ArrayNode v = r.putArray("values");
        values.forEach(v::add);
        return r;
    }

    // ------------------------------------------------------------------ propagation (C10)

    private PropagationState propagation(DomainState d, Instant now) {
        Scenario.Rule rule = scenario.ruleFor(d.domain);
        long delay = rule != null && rule.propagationDelayMs != null ? rule.propagationDelayMs
                : scenario.propagation.delayMs;
        Long auto = rule != null && rule.autoOwnerRecordsAfterMs != null ? rule.autoOwnerRecordsAfterMs
                : scenario.propagation.autoOwnerRecordsAfterMs;
        Scenario.Outcome outcome = rule != null && rule.propagation != null ? rule.propagation
                : Scenario.Outcome.COMPLETED;
        Instant inPlace;
        if (d.nameservers()) {
            inPlace = d.zoneReadyAt;
        } else {
            Instant automatic = auto == null ? null : d.createdAt.plusMillis(auto);
            inPlace = earliest(d.ownerRecordsAt, automatic);
        }
        Instant done = inPlace == null || outcome == Scenario.Outcome.NEVER ? null : inPlace.plusMillis(delay);
        String status;
        if (inPlace == null || now.isBefore(inPlace)) {
            status = "UNKNOWN_DNS_PROPAGATION_STATUS";
        } else if (done == null || now.isBefore(done)) {
            status = "IN_PROGRESS";
        } else {
            status = outcome == Scenario.Outcome.FAILED ? "FAILED" : "COMPLETED";
        }
        return new PropagationState(status, inPlace, done, rule, delay, auto, outcome);
    }

    private static Instant earliest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }

    /** NAMESERVERS: exactly the setup A values at the apex and www.<domain> CNAME → pointing.wixdns.net. */
    static boolean zoneHasExpectedRecords(String domain, List<DnsRecord> zone) {
        boolean a = false;
        boolean cname = false;
        for (DnsRecord r : zone) {
            String host = DomainNames.normalize(r.hostName());
            Set<String> values = new HashSet<>();
            r.values().forEach(v -> values.add(DomainNames.normalize(v)));
            if (r.type().equals("A") && host.equals(domain)) {
                a = values.equals(Set.copyOf(A_VALUES)) && r.values().size() == A_VALUES.size();
            }
            if (r.type().equals("CNAME") && host.equals("www." + domain)) {
                cname = values.equals(Set.of(CNAME_TARGET));
            }
        }
        return a && cname;
    }

    /** After a zone change: start the clock when the records become right; stop it if they go wrong in time. */
    private void zoneChanged(DomainState d, Instant now) {
        boolean ready = d.zone != null && zoneHasExpectedRecords(d.domain, d.zone);
        if (ready) {
            if (d.zoneReadyAt == null) {
                d.zoneReadyAt = now;
            }
        } else if (d.zoneReadyAt != null && !propagation(d, now).terminal()) {
            d.zoneReadyAt = null;
        }
    }

    // ------------------------------------------------------------------ DNS zones (C13, C14, C20, C21)

    /** The caller's NAMESERVERS domain that has a zone. */
    private DomainState zoneOwner(Call call) {
        DomainState d = domains.get(call.domain());
        if (d == null) {
            throw zoneNotFound(call.domain());
        }
        if (!d.accountId.equalsIgnoreCase(call.accountId())) {
            throw notPermitted(d.domain);
        }
        if (!d.nameservers()) {
            throw domainNotPermitted(d.domain);
        }
        if (d.zone == null) {
            throw zoneNotFound(d.domain);
        }
        return d;
    }

    private static WixError zoneNotFound(String domain) {
        return WixError.application(404, "DNS_ZONE_NOT_FOUND", "No dns zone found for domain name " + domain + ".");
    }

    private static WixError domainNotPermitted(String domain) {
        return WixError.application(428, "DOMAIN_NOT_PERMITTED",
                "Domain " + domain + " is not permitted to target account.");
    }

    private Reply createDnsZone(Call call) {
        JsonNode zone = requireObject(call, "dnsZone");
        String domain = call.domain();
        if (domain == null || domain.isEmpty()) {
            throw WixError.validation("dnsZone.domainName is required.", "dnsZone.domainName", "REQUIRED_FIELD",
                    null, null);
        }
        DomainState d = domains.get(domain);
        if (d == null) {
            throw domainNotPermitted(domain);
        }
        if (!d.accountId.equalsIgnoreCase(call.accountId())) {
            throw notPermitted(domain);
        }
        if (!d.nameservers()) {
            throw domainNotPermitted(domain);
        }
        if (d.zone != null) {
            throw WixError.application(428, "DOMAIN_ALREADY_EXISTS", "Domain " + domain + " already exists.");
        }
        List<DnsRecord> records = new ArrayList<>();
        JsonNode list = zone.get("records");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw WixError.validation("dnsZone.records must be an array.", "dnsZone.records", "FORMAT", null,
                        null);
            }
            if (list.size() > MAX_ZONE_RECORDS) {
                throw WixError.validation("A zone holds at most " + MAX_ZONE_RECORDS + " records.",
                        "dnsZone.records", "MAX", null, Map.of("threshold", MAX_ZONE_RECORDS));
            }
            for (int i = 0; i < list.size(); i++) {
                DnsRecord r = parseRecord(list.get(i), "dnsZone.records[" + i + "]", domain, true);
                addUnique(records, r);
            }
        }
        d.zone = records;
        zoneChanged(d, now());
        return Reply.ok(zoneJson(domain, d.zone), Effect.ZONE_CREATED);
    }

    private Reply updateDnsZone(Call call) {
        DomainState d = zoneOwner(call);
        if (call.bodyError() != null) {
            throw malformed(call.bodyError());
        }
        JsonNode body = call.body() == null ? Json.object() : call.body();
        List<JsonNode> additions = recordList(body, "additions", MAX_ADDITIONS);
        List<JsonNode> deletions = recordList(body, "deletions", MAX_DELETIONS);
        List<DnsRecord> toDelete = new ArrayList<>();
        for (int i = 0; i < deletions.size(); i++) {
            toDelete.add(parseRecord(deletions.get(i), "deletions[" + i + "]", d.domain, false));
        }
        List<DnsRecord> toAdd = new ArrayList<>();
        for (int i = 0; i < additions.size(); i++) {
            toAdd.add(parseRecord(additions.get(i), "additions[" + i + "]", d.domain, true));
        }
        if (toAdd.isEmpty() && toDelete.isEmpty()) {
            return Reply.ok(zoneJson(d.domain, d.zone), Effect.NONE);
        }
        List<DnsRecord> records = new ArrayList<>(d.zone);
        for (DnsRecord del : toDelete) { // deletions first, so a type's record can be replaced in one call
            for (int i = 0; i < records.size(); i++) {
                DnsRecord r = records.get(i);
                if (!sameKey(r, del)) {
                    continue;
                }
                if (del.values().isEmpty()) {
                    records.remove(i);
                } else {
                    Set<String> gone = new HashSet<>();
                    del.values().forEach(v -> gone.add(DomainNames.normalize(v)));
                    List<String> kept = r.values().stream().filter(v -> !gone.contains(DomainNames.normalize(v)))
                            .toList();
                    if (kept.isEmpty()) {
                        records.remove(i);
                    } else {
                        records.set(i, new DnsRecord(r.type(), r.hostName(), r.ttl(), kept));
                    }
                }
                break;
            }
        }
        for (DnsRecord add : toAdd) {
            addUnique(records, add);
        }
        d.zone = records;
        zoneChanged(d, now());
        return Reply.ok(zoneJson(d.domain, d.zone), Effect.ZONE_UPDATED); // C14: the whole zone
    }

    private Reply getDnsZone(Call call) {
        DomainState d = zoneOwner(call);
        return Reply.ok(zoneJson(d.domain, d.zone), Effect.NONE);
    }

    private Reply deleteDnsZone(Call call) {
        DomainState d = zoneOwner(call);
        d.zone = null;
        zoneChanged(d, now());
        return Reply.ok(Json.object(), Effect.ZONE_DELETED);
    }

    /** The zone with Wix's calculated A (apex), CNAME (www), NS and SOA in place of the current ones. */
    private Reply previewDnsZone(Call call) {
        DomainState d = zoneOwner(call);
        String www = "www." + d.domain;
        List<DnsRecord> preview = new ArrayList<>(List.of(
                new DnsRecord("A", d.domain, POINTING_TTL, A_VALUES),
                new DnsRecord("CNAME", www, POINTING_TTL, List.of(CNAME_TARGET)),
                new DnsRecord("NS", d.domain, NS_TTL, NS_VALUES),
                new DnsRecord("SOA", d.domain, POINTING_TTL, List.of(SOA_VALUE))));
        for (DnsRecord r : d.zone) {
            if (preview.stream().noneMatch(p -> sameKey(p, r))) {
                preview.add(r);
            }
        }
        return Reply.ok(zoneJson(d.domain, preview), Effect.NONE);
    }

    private static List<JsonNode> recordList(JsonNode body, String field, int max) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw WixError.validation(field + " must be an array of records.", field, "FORMAT", null, null);
        }
        if (node.size() > max) {
            throw WixError.validation("Max " + max + " " + field + " per update.", field, "MAX", null,
                    Map.of("threshold", max));
        }
        List<JsonNode> out = new ArrayList<>();
        node.forEach(out::add);
        return out;
    }

    private static DnsRecord parseRecord(JsonNode node, String field, String domain, boolean addition) {
        if (node == null || !node.isObject()) {
            throw WixError.validation(field + " must be a record object.", field, "FORMAT", null, null);
        }
        String type = Json.text(node, "type");
        if (type == null) {
            throw WixError.validation(field + ".type is required.", field + ".type", "REQUIRED_FIELD", null, null);
        }
        if (!RECORD_TYPES.contains(type)) {
            throw WixError.validation("Record type " + type + " can't be used.", field + ".type", "CUSTOM", null,
                    null);
        }
        String host = DomainNames.normalize(Json.text(node, "hostName"));
        if (host == null || host.isEmpty()) {
            throw WixError.validation(field + ".hostName is required.", field + ".hostName", "REQUIRED_FIELD", null,
                    null);
        }
        JsonNode ttlNode = node.get("ttl");
        int ttl = POINTING_TTL;
        if (ttlNode != null && !ttlNode.isNull()) {
            if (!ttlNode.canConvertToInt() || ttlNode.asInt() < 0) {
                throw WixError.validation(field + ".ttl must be a non-negative integer.", field + ".ttl", "FORMAT",
                        null, null);
            }
            ttl = ttlNode.asInt();
        }
        List<String> values = new ArrayList<>();
        JsonNode valuesNode = node.get("values");
        if (valuesNode != null && !valuesNode.isNull()) {
            if (!valuesNode.isArray()) { // C14: the doc example's bare string is rejected
                throw WixError.validation(field + ".values must be an array of strings.", field + ".values",
                        "FORMAT", null, null);
            }
            for (JsonNode v : valuesNode) {
                if (!v.isTextual()) {
                    throw WixError.validation(field + ".values must be an array of strings.", field + ".values",
                            "FORMAT", null, null);
                }
                values.add(v.asText().trim());
            }
        }
        if (addition) {
            if (values.isEmpty() || values.stream().anyMatch(String::isEmpty)) {
                throw WixError.application(428, "DOMAIN_DNS_EMPTY_RECORD_VALUE", "Value of record " + type
                        + " is empty.");
            }
            if (values.size() > MAX_VALUES) {
                throw WixError.validation("Wix limits DNS records to " + MAX_VALUES + " values per type.",
                        field + ".values", "MAX", null, Map.of("threshold", MAX_VALUES));
            }
            if (type.equals("MX")) {
                for (String v : values) {
                    if (!MX_VALUE.matcher(v).matches()) {
                        throw WixError.application(428, "DOMAIN_MX_RECORD_VALUE_INVALID", "Value of MX record " + v
                                + " is invalid, it should start with a priority and then the mail server, for"
                                + " example \"5 aspmx.l.google.com\".");
                    }
                }
            }
            if (type.equals("CNAME") && !host.endsWith("." + domain)) {
                throw WixError.application(428, "DOMAIN_CNAME_RECORD_HOSTNAME_INVALID", "Host name of the CNAME"
                        + " record " + host + " is invalid, it should end with the domain name but not equal to it,"
                        + " for example \"en." + domain + "\".");
            }
        }
        return new DnsRecord(type, host, ttl, values);
    }

    private static boolean sameKey(DnsRecord a, DnsRecord b) {
        return a.type().equals(b.type()) && a.hostName().equals(b.hostName());
    }

    /** C21: one record object per type and host name. */
    private static void addUnique(List<DnsRecord> records, DnsRecord r) {
        if (records.stream().anyMatch(existing -> sameKey(existing, r))) {
            throw WixError.application(428, "DOMAIN_MX_RECORD_VALUE_INVALID", "Multiple " + r.type() + " records"
                    + " with the same hostName " + r.hostName() + " not supported, the multiple values belong to the"
                    + " same hostName should be combined under one " + r.type() + ".");
        }
        records.add(r);
    }

    private static ObjectNode zoneJson(String domain, List<DnsRecord> records) {
        ObjectNode zone = Json.object();
        ArrayNode list = zone.putArray("records");
        for (DnsRecord r : records) {
            ObjectNode o = list.addObject();
            o.put("type", r.type());
            o.put("hostName", r.hostName());
            o.put("ttl", r.ttl());
            ArrayNode v = o.putArray("values");
            r.values().forEach(v::add);
        }
        zone.put("domainName", domain);
        return wrap("dnsZone", zone);
    }

    // ------------------------------------------------------------------ Resellers: Create Package V2 (C17, C18)

    private Reply createPackage(Call call) {
        JsonNode body = requireBody(call);
        String key = call.idempotencyKey() == null ? "" : call.idempotencyKey();
        Instant now = now();
        String storeKey = call.accountId().toLowerCase(Locale.ROOT) + "\n" + key;
        if (!key.isEmpty()) {
            StoredRequest stored = idempotency.get(storeKey);
            if (stored != null && now.isBefore(stored.at().plus(IDEMPOTENCY_WINDOW))) {
                if (stored.request().equals(body)) { // the package as it is now: cancelled, once it was (C23)
                    return new Reply(200, packageResponse(key, packages.get(stored.packageId())), null, null,
                            Effect.NONE, null);
                }
                throw WixError.application(409, "IDEMPOTENCY_KEY_CONFLICT",
                        "Idempotency key " + key + " was already used with a different request.");
            }
        }
        JsonNode products = body.get("products");
        if (products == null || !products.isArray() || products.isEmpty()) {
            throw WixError.validation("products is required.", "products", "REQUIRED_FIELD", null, null);
        }
        String externalId = Json.text(body, "externalId");
        if (externalId != null && externalId.length() > 100) {
            throw WixError.validation("externalId is longer than 100 characters.", "externalId", "MAX", null,
                    Map.of("threshold", 100));
        }
        String date = Json.date(now);
        List<ObjectNode> instances = new ArrayList<>();
        Set<String> newlyPremium = new HashSet<>();
        for (int i = 0; i < products.size(); i++) {
            JsonNode p = products.get(i);
            String field = "products[" + i + "]";
            if (!p.isObject()) {
                throw WixError.validation(field + " must be an object.", field, "FORMAT", null, null);
            }
            String productId = Json.text(p, "catalogProductId");
            if (productId == null || productId.isBlank()) {
                throw WixError.validation(field + ".catalogProductId is required.", field + ".catalogProductId",
                        "REQUIRED_FIELD", null, null);
            }
            String country = Json.text(p, "countryCode");
            if (country == null || country.isBlank()) {
                throw WixError.validation(field + ".countryCode is required.", field + ".countryCode",
                        "REQUIRED_FIELD", null, null);
            }
            String siteId = Json.text(p, "siteId");
            if (siteId != null && !GUID.matcher(siteId).matches()) {
                throw WixError.validation(field + ".siteId must be a GUID.", field + ".siteId", "FORMAT", null, null);
            }
            boolean premium = scenario.premiumCatalog.stream().anyMatch(productId::equalsIgnoreCase);
            boolean known = premium || scenario.otherProducts.stream().anyMatch(productId::equalsIgnoreCase);
            if (!known) {
                throw WixError.application(404, "PRODUCT_NOT_FOUND", "Product id not found in catalog.");
            }
            JsonNode billing = p.get("billingInfo");
            if (billing == null || billing.isNull() || billing.isEmpty()) {
                throw WixError.application(428, "MISSING_BILLING_CYCLE",
                        "Product " + productId + " must receive a cycle upon creating.");
            }
            ObjectNode instance = Json.object();
            instance.put("instanceId", UUID.randomUUID().toString());
            if (siteId != null) {
                instance.put("siteId", siteId);
            }
            instance.put("catalogProductId", productId);
            instance.put("status", "PENDING");
            instance.set("billingInfo", billing.deepCopy());
            instance.put("countryCode", country);
            for (String optional : List.of("discountCode", "referenceProductInstanceId")) {
                String v = Json.text(p, optional);
                if (v != null) {
                    instance.put(optional, v);
                }
            }
            instance.put("createdDate", date);
            instance.put("updatedDate", date);
            instances.add(instance);
            if (premium && siteId != null) {
                newlyPremium.add(siteId.toLowerCase(Locale.ROOT));
            }
        }
        ObjectNode pkg = Json.object();
        String id = UUID.randomUUID().toString();
        pkg.put("id", id);
        pkg.put("accountId", call.accountId());
        if (externalId != null) {
            pkg.put("externalId", externalId);
        }
        pkg.putArray("productInstances").addAll(instances);
        pkg.put("createdDate", date);
        pkg.put("updatedDate", date);
        PackageState state = new PackageState(id, call.accountId(), key, pkg, Set.copyOf(newlyPremium), ++packageSeq);
        packages.put(id, state);
        if (!key.isEmpty()) {
            idempotency.put(storeKey, new StoredRequest(body, id, now));
        }
        return new Reply(200, packageResponse(key, state), null, null, Effect.PACKAGE_CREATED, null);
    }

    /** {@code {"idempotencyKey": key, "package": {...}}}: the same bytes on every replay while the package is unchanged. */
    private static String packageResponse(String key, PackageState p) {
        ObjectNode response = Json.object();
        response.put("idempotencyKey", key);
        response.set("package", p.json.deepCopy());
        return Json.write(response);
    }

    // ------------------------------------------------------------------ Resellers: Cancel Package (C23)

    /**
     * Every product instance goes to {@code CANCELED}; the sites it made premium are premium no longer (unless another
     * live package or the scenario makes them so); connected domains stay. A cancelled package answers 200 unchanged.
     * Unknown, or another account's: 404 {@code PACKAGE_NOT_FOUND} (the Resellers API answers 404 for another account's
     * site too, reference 5.3 {@code SITE_NOT_FOUND}).
     */
    private Reply cancelPackage(Call call) {
        PackageState p = packages.get(call.packageId());
        if (p == null || !p.accountId.equalsIgnoreCase(call.accountId())) {
            throw WixError.application(404, "PACKAGE_NOT_FOUND", "Package with id " + call.packageId()
                    + " was not found.");
        }
        if (p.canceledAt != null) {
            return Reply.ok(wrap("package", p.json.deepCopy()), Effect.NONE);
        }
        Instant now = now();
        String date = Json.date(now);
        for (JsonNode instance : p.json.path("productInstances")) {
            ((ObjectNode) instance).put("status", "CANCELED");
            ((ObjectNode) instance).put("updatedDate", date);
        }
        p.json.put("updatedDate", date);
        p.canceledAt = now;
        return Reply.ok(wrap("package", p.json.deepCopy()), Effect.PACKAGE_CANCELED);
    }

    // ------------------------------------------------------------------ helpers

    private static JsonNode requireBody(Call call) {
        if (call.bodyError() != null) {
            throw malformed(call.bodyError());
        }
        if (call.body() == null || !call.body().isObject()) {
            throw WixError.validation("A JSON object body is required.", "", "REQUIRED_FIELD", null, null);
        }
        return call.body();
    }

    private static JsonNode requireObject(Call call, String field) {
        JsonNode node = requireBody(call).get(field);
        if (node == null || !node.isObject()) {
            throw WixError.validation(field + " is required.", field, "REQUIRED_FIELD", null, null);
        }
        return node;
    }

    private static WixError malformed(String detail) {
        return WixError.validation("The body is not valid JSON: " + detail, "", "FORMAT", null, null);
    }

    private static ObjectNode wrap(String name, ObjectNode value) {
        ObjectNode o = Json.object();
        o.set(name, value);
        return o;
    }

    /** The body fields the call log and fault matching need before the call is served. */
    static String domainOf(Endpoint endpoint, String pathParam, JsonNode body) {
        if (endpoint.pathNamesDomain() && pathParam != null && !pathParam.isEmpty()) {
            return DomainNames.normalize(pathParam);
        }
        if (body == null) {
            return null;
        }
        return switch (endpoint) {
            case CREATE_CONNECTED_DOMAIN -> DomainNames.normalize(Json.text(body.get("connectedDomain"), "domain"));
            case CREATE_DNS_ZONE -> DomainNames.normalize(Json.text(body.get("dnsZone"), "domainName"));
            default -> null;
        };
    }

    static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            query.putIfAbsent(java.net.URLDecoder.decode(k, StandardCharsets.UTF_8),
                    java.net.URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return query;
    }
}
