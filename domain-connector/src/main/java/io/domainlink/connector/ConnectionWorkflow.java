package io.domainlink.connector;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.domainlink.events.ConnectionAccepted;
import io.domainlink.events.ConnectionConfigured;
import io.domainlink.events.DomainFailed;
import io.domainlink.events.FailureReason;
import io.domainlink.events.Flow;
import io.domainlink.events.OwnerAction;
import io.domainlink.events.OwnerActionRequired;
import io.domainlink.events.PremiumPlan;
import io.domainlink.events.PropagationStatus;
import io.domainlink.events.RequestContext;
import io.domainlink.events.Stage;
import io.domainlink.wix.AssignmentType;
import io.domainlink.wix.CnameRecord;
import io.domainlink.wix.ConnectedDomain;
import io.domainlink.wix.ConnectedDomainSetupInfo;
import io.domainlink.wix.ConnectionType;
import io.domainlink.wix.CreatePackageRequest;
import io.domainlink.wix.CreatePackageResponse;
import io.domainlink.wix.Cycle;
import io.domainlink.wix.DnsRecord;
import io.domainlink.wix.DnsZone;
import io.domainlink.wix.ExpectedRecords;
import io.domainlink.wix.ProductInstance;
import io.domainlink.wix.RecordType;
import io.domainlink.wix.ResellerPackage;
import io.domainlink.wix.SiteInfo;
import io.domainlink.wix.WixApiException;
import io.domainlink.wix.WixClient;
import io.domainlink.wix.WixRetriesExhaustedException;

/**
 * The Wix calls of one accepted request, as a pure handler: {@link ConnectionAccepted} in, {@link Outcome} out, no
 * Kafka types. Every call is safe to repeat after a crash (see README "Repeat-safety"):
 * <ul>
 *   <li>Create Package V2 carries {@link #packageIdempotencyKey(String)}, derived from the request id only;</li>
 *   <li>Create Connected Domain that meets {@code DOMAINS_ALREADY_EXISTS} reads the domain and adopts it when it
 *       is ours (same site, same connection type), else fails with {@code DOMAIN_OWNED_ELSEWHERE};</li>
 *   <li>the DNS zone is read first and only what differs is changed (nothing when it is already right).</li>
 * </ul>
 * Retryable Wix errors are retried inside the {@link WixClient} per its policy; when the budget is spent the
 * outcome is {@code DomainFailed(RETRIES_EXHAUSTED)} with the last Wix error.
 *
 * <p>Compensation: when the request bought a Premium package and then fails, the {@code DomainFailed} names the
 * package ({@code packageId}); with {@code cancelPackageOnFailure} the package is cancelled first (Wix Cancel Package,
 * choice C23) and {@code packageCanceled} says whether that worked. A re-delivered request whose package replays
 * already cancelled (a crash after the cancel, before the commit) fails at once without touching the domain, so
 * the retry ends with the same single {@code DomainFailed} and never connects a domain on a cancelled plan.
 * Thread-safe: one instance serves every worker.
 */
public final class ConnectionWorkflow {

    private static final Logger log = LoggerFactory.getLogger(ConnectionWorkflow.class);
    static final String ALREADY_EXISTS = "DOMAINS_ALREADY_EXISTS";
    static final String NOT_PERMITTED = "DOMAINS_DOMAIN_NOT_PERMITTED";
    static final String NON_PREMIUM_SITE = "NON_PREMIUM_SITE";
    private static final int MAX_EXTERNAL_ID = 100;

    private final WixClient wix;
    private final Clock clock;
    private final AfterWixCall afterWixCall;
    private final boolean cancelPackageOnFailure;

    /** Without compensation: a failed request's package is named in its DomainFailed and left as it is. */
    public ConnectionWorkflow(WixClient wix, Clock clock, AfterWixCall afterWixCall) {
        this(wix, clock, afterWixCall, false);
    }

    /**
     * @param cancelPackageOnFailure cancel the Premium package a request bought when the request then fails
     *     ({@code compensation.cancel.package})
     */
    public ConnectionWorkflow(WixClient wix, Clock clock, AfterWixCall afterWixCall, boolean cancelPackageOnFailure) {
        this.wix = Objects.requireNonNull(wix, "wix");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.afterWixCall = Objects.requireNonNull(afterWixCall, "afterWixCall");
        this.cancelPackageOnFailure = cancelPackageOnFailure;
    }

    /**
     * The idempotency key of the request's Create Package call: {@code domainlink-pkg-<UUIDv3 of the request id>}.
     * Deterministic, so a re-delivered request repeats the same key and Wix answers the first response again
     * (choice C17, within Wix's 24 h idempotency window). Other request fields are not part of it: the body they
     * produce is the same on every delivery of one request.
     */
    public static String packageIdempotencyKey(String requestId) {
        return "domainlink-pkg-" + UUID.nameUUIDFromBytes(("domainlink:package:" + requestId).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Runs the request's Wix calls.
     *
     * @param at where the request came from ({@code topic-partition@offset}), for log lines only
     * @throws CancellationException if the worker was interrupted (revoked partition, shutdown): no outcome
     */
    public Outcome connect(ConnectionAccepted request, String at) {
        RequestContext ctx = request.getContext();
        Call call = new Call(request, at);
        Optional<String> invalid = invalidContent(request);
        if (invalid.isPresent()) {
            log.warn("Invalid accepted request requestId={} domain={} at={} problem={}", ctx.getRequestId(), ctx.getDomain(),
                    at, invalid.get());
            return Outcome.failed(failed(ctx, FailureReason.INVALID_REQUEST, invalid.get(), null));
        }
        Outcome outcome;
        try {
            outcome = run(call, flowOf(request));
        } catch (WixApiException e) {
            outcome = Outcome.failed(wixFailure(ctx, at, e));
        }
        if (outcome.isFailed() && call.packageId != null && outcome.failed().getPackageId() == null) {
            return Outcome.failed(compensate(call, outcome.failed()));
        }
        return outcome;
    }

    /** The calls of the flow; a business failure found on the way is a failed outcome, Wix errors are thrown. */
    private Outcome run(Call call, Flow flow) {
        RequestContext ctx = call.ctx();
        if (call.request().getPremiumPlan() != null) {
            ResellerPackage pkg = createPackage(call, call.request().getPremiumPlan());
            if (pkg.canceled()) {
                return Outcome.failed(packageAlreadyCanceled(call));
            }
        }
        ConnectedDomain domain = createOrAdopt(call, flow);
        if (call.failure != null) {
            return Outcome.failed(call.failure);
        }
        ConnectedDomainSetupInfo setup = call.step(WixStep.GET_SETUP_INFO,
                () -> wix.getConnectedDomainSetupInfo(ctx.getAccountId(), ctx.getDomain()));
        PropagationStatus status = propagationStatusOf(domain);
        Outcome outcome = switch (flow) {
            case NAMESERVERS -> nameservers(call, setup, call.packageId, status);
            case POINTING -> pointing(call, setup, call.packageId, status);
            case SUBDOMAIN -> subdomain(call, setup, call.packageId, status);
            default -> throw new IllegalStateException("flow " + flow);
        };
        if (!outcome.isFailed()) {
            log.info("Connection configured requestId={} domain={} at={} flow={} packageId={} wixStatus={}", ctx.getRequestId(),
                    ctx.getDomain(), call.at(), flow, call.packageId, status);
        }
        return outcome;
    }

    // ------------------------------------------------------------------ steps

    /** Create Package V2 with the request's idempotency key; remembers the package id in {@code call}. */
    private ResellerPackage createPackage(Call call, PremiumPlan plan) {
        RequestContext ctx = call.ctx();
        String key = packageIdempotencyKey(ctx.getRequestId());
        String externalId = ctx.getRequestId().length() > MAX_EXTERNAL_ID ? null : ctx.getRequestId();
        CreatePackageRequest body = new CreatePackageRequest(key, externalId, List.of(ProductInstance.toOrder(
                plan.getCatalogProductId(), ctx.getSiteId(), cycleOf(plan), plan.getCountryCode())));
        CreatePackageResponse response = call.step(WixStep.CREATE_PACKAGE, () -> wix.createPackage(ctx.getAccountId(), body));
        ResellerPackage pkg = response.resellerPackage();
        call.packageId = pkg.id();
        log.info("Premium package created requestId={} domain={} at={} packageId={} idempotencyKey={}{}", ctx.getRequestId(),
                ctx.getDomain(), call.at(), pkg.id(), key, pkg.canceled() ? " canceled=true" : "");
        return pkg;
    }

    /**
     * The request's package replayed already cancelled: an earlier delivery of this request failed and cancelled it
     * (then crashed before publishing), or someone cancelled it at Wix. Connecting now would put the domain on a site
     * whose plan is gone, so the request ends here, without touching the domain.
     */
    private DomainFailed packageAlreadyCanceled(Call call) {
        RequestContext ctx = call.ctx();
        log.info("Premium package of this request is already cancelled, not connecting requestId={} domain={} at={} packageId={}",
                ctx.getRequestId(), ctx.getDomain(), call.at(), call.packageId);
        return DomainFailed.newBuilder(failed(ctx, FailureReason.PREMIUM_PLAN_REQUIRED, "The Premium package " + call.packageId
                        + " bought for this request is already cancelled (an earlier attempt at this request failed and cancelled"
                        + " it, or it was cancelled at Wix), so the domain was not connected; request again to buy a new plan.",
                        null))
                .setPackageId(call.packageId)
                .setPackageCanceled(cancelPackageOnFailure ? Boolean.TRUE : null)
                .build();
    }

    /**
     * The request failed after buying its package: name the package in the event and, with compensation on, cancel it
     * (repeat-safe, C23) through the shared client (rate limit and retry budget apply). A failed cancel never loses the
     * DomainFailed: it says so in {@code packageCanceled = false} and the message.
     */
    private DomainFailed compensate(Call call, DomainFailed failure) {
        RequestContext ctx = call.ctx();
        String id = call.packageId;
        DomainFailed.Builder b = DomainFailed.newBuilder(failure).setPackageId(id);
        if (!cancelPackageOnFailure) {
            log.info("Request failed after buying its Premium package, package left as it is (compensation off) requestId={}"
                    + " domain={} at={} packageId={} reason={}", ctx.getRequestId(), ctx.getDomain(), call.at(), id, failure.getReason());
            return b.setMessage(failure.getMessage() + " The Premium package " + id + " bought for this request was left as it is.")
                    .build();
        }
        try {
            call.step(WixStep.CANCEL_PACKAGE, () -> wix.cancelPackage(ctx.getAccountId(), id));
        } catch (WixApiException e) {
            if (WixApiException.INTERRUPTED.equals(e.wixCode())) {
                CancellationException c = new CancellationException("interrupted while cancelling package " + id);
                c.initCause(e);
                throw c;
            }
            WixApiException last = e instanceof WixRetriesExhaustedException r ? r.lastError() : e;
            log.error("Cancelling the Premium package of a failed request failed, the package is still live: cancel or reuse it"
                    + " requestId={} domain={} at={} packageId={} reason={} status={} code={}", ctx.getRequestId(), ctx.getDomain(),
                    call.at(), id, failure.getReason(), last.httpStatus(), last.wixCode());
            return b.setPackageCanceled(false)
                    .setMessage(failure.getMessage() + " Cancelling the Premium package " + id + " bought for this request failed"
                            + (e instanceof WixRetriesExhaustedException r ? " after " + r.attempts() + " attempts" : "")
                            + " (" + last.getMessage() + "): it is still live and must be cancelled or reused by hand.")
                    .build();
        }
        log.info("Premium package cancelled because the request failed requestId={} domain={} at={} packageId={} reason={}",
                ctx.getRequestId(), ctx.getDomain(), call.at(), id, failure.getReason());
        return b.setPackageCanceled(true)
                .setMessage(failure.getMessage() + " The Premium package " + id + " bought for this request was cancelled.")
                .build();
    }

    private static Cycle cycleOf(PremiumPlan plan) {
        var c = plan.getBillingCycle();
        if (c == null || c.getType() == null) {
            return null;
        }
        return switch (c.getType()) {
            case ONE_TIME -> Cycle.oneTime();
            case RECURRING -> new Cycle(io.domainlink.wix.CycleType.RECURRING, new Cycle.CycleDuration(
                    c.getUnit() == null ? null : io.domainlink.wix.CycleUnit.valueOf(c.getUnit().name()), c.getCount()));
            default -> null;
        };
    }

    /** Create Connected Domain, adopting our own domain on DOMAINS_ALREADY_EXISTS; sets {@code call.failure} otherwise. */
    private ConnectedDomain createOrAdopt(Call call, Flow flow) {
        RequestContext ctx = call.ctx();
        ConnectionAccepted request = call.request();
        ConnectionType type = switch (flow) {
            case NAMESERVERS -> ConnectionType.NAMESERVERS;
            case POINTING -> ConnectionType.POINTING;
            default -> null; // a subdomain is created without a connection type (reference 2.7)
        };
        AssignmentType assignment = request.getAssignment() == io.domainlink.events.AssignmentType.REDIRECT
                ? AssignmentType.REDIRECT : AssignmentType.PRIMARY;
        ConnectedDomain body = new ConnectedDomain(null, ctx.getDomain(), type, new SiteInfo(null, assignment, null),
                request.getSuppressNotifications() ? Boolean.TRUE : null, null, null, null);
        try {
            return call.step(WixStep.CREATE_CONNECTED_DOMAIN,
                    () -> wix.createConnectedDomain(ctx.getAccountId(), ctx.getSiteId(), body));
        } catch (WixApiException e) {
            if (e.retryable()) {
                throw e;
            }
            if (e.hasCode(NOT_PERMITTED)) {
                call.failure = failed(ctx, FailureReason.DOMAIN_OWNED_ELSEWHERE,
                        "Domain " + ctx.getDomain() + " is connected in another Wix account", e);
                return null;
            }
            if (e.hasCode(NON_PREMIUM_SITE)) {
                String message = request.getPremiumPlan() == null
                        ? "Site " + ctx.getSiteId() + " has no Premium plan: Wix connects domains only to Premium sites. "
                            + "Request again with premiumPlan set, or upgrade the site first."
                        : "Site " + ctx.getSiteId() + " is still not Premium after creating the requested package: "
                            + "the plan's catalogProductId is not a Premium plan.";
                call.failure = failed(ctx, FailureReason.PREMIUM_PLAN_REQUIRED, message, e);
                return null;
            }
            if (!e.hasCode(ALREADY_EXISTS)) {
                throw e;
            }
            ConnectedDomain existing = call.step(WixStep.GET_CONNECTED_DOMAIN,
                    () -> wix.getConnectedDomain(ctx.getAccountId(), ctx.getDomain()));
            boolean sameSite = existing.siteId() != null && existing.siteId().equalsIgnoreCase(ctx.getSiteId());
            boolean sameType = sameConnectionType(type, existing.connectionType());
            if (sameSite && sameType) {
                log.info("Domain already connected to this site, adopting it requestId={} domain={} at={} connectionType={}",
                        ctx.getRequestId(), ctx.getDomain(), call.at(), existing.connectionType());
                return existing;
            }
            call.failure = failed(ctx, FailureReason.DOMAIN_OWNED_ELSEWHERE,
                    "Domain " + ctx.getDomain() + " is already connected " + (sameSite ? "to this site with connection type "
                            + existing.connectionType() : "to another site") + "; it was not changed", e);
            return null;
        }
    }

    private static boolean sameConnectionType(ConnectionType wanted, ConnectionType actual) {
        if (wanted == null) {
            return actual == null || actual == ConnectionType.UNKNOWN_CONNECTION_TYPE;
        }
        return wanted == actual;
    }

    private Outcome nameservers(Call call, ConnectedDomainSetupInfo setup, String packageId, PropagationStatus status) {
        RequestContext ctx = call.ctx();
        ExpectedRecords expected = wix.expectedNameserverRecords(ctx.getAccountId(), ctx.getDomain(), setup);
        if (expected.source() == ExpectedRecords.Source.DNS_ZONE_PREVIEW) {
            afterWixCall.after(call.request(), WixStep.PREVIEW_DNS_ZONE);
        }
        List<DnsRecord> wanted = expected.toDnsRecords();
        DnsZone zone = call.step(WixStep.GET_DNS_ZONE, () -> wix.getDnsZone(ctx.getAccountId(), ctx.getDomain()));
        ZoneChange change = ZoneChange.between(zone, wanted);
        if (change.isEmpty()) {
            log.info("DNS zone already holds the expected records requestId={} domain={} at={}", ctx.getRequestId(),
                    ctx.getDomain(), call.at());
        } else {
            call.step(WixStep.UPDATE_DNS_ZONE,
                    () -> wix.updateDnsZone(ctx.getAccountId(), ctx.getDomain(), change.additions(), change.deletions()));
            log.info("DNS zone updated requestId={} domain={} at={} added={} deleted={}", ctx.getRequestId(), ctx.getDomain(),
                    call.at(), change.additions().size(), change.deletions().size());
        }
        List<String> nameservers = setup.nameserverRecord() != null && setup.nameserverRecord().nsRecord() != null
                ? setup.nameserverRecord().nsRecord().values() : List.of();
        int nsTtl = setup.nameserverRecord() != null && setup.nameserverRecord().nsRecord() != null
                && setup.nameserverRecord().nsRecord().ttl() != null ? setup.nameserverRecord().nsRecord().ttl() : 86400;
        if (nameservers.isEmpty()) {
            Optional<DnsRecord> ns = zone.find(RecordType.NS, ctx.getDomain());
            nameservers = ns.map(DnsRecord::values).orElse(List.of());
        }
        if (nameservers.isEmpty()) {
            return Outcome.failed(failed(ctx, FailureReason.WIX_REJECTED,
                    "Wix named no nameservers for " + ctx.getDomain() + " (setup info has no nameserverRecord)", null));
        }
        List<io.domainlink.events.DnsRecord> forOwner = List.of(record(io.domainlink.events.RecordType.NS, ctx.getDomain(), nsTtl,
                nameservers));
        io.domainlink.events.Registrar registrar = registrarOf(setup);
        String current = registrar == null || registrar.getNameServers().isEmpty() ? "its current nameservers"
                : String.join(", ", registrar.getNameServers());
        String instructions = "At your domain registrar" + (registrar != null && registrar.getName() != null ? " ("
                + registrar.getName() + ")" : "") + ", replace " + current + " with " + String.join(", ", nameservers) + ".";
        List<io.domainlink.events.DnsRecord> set = wanted.stream().map(ConnectionWorkflow::eventRecord).toList();
        return Outcome.configured(configured(call, packageId, registrar, set, forOwner, status),
                ownerAction(ctx, OwnerAction.SET_NAMESERVERS, forOwner, registrar, instructions));
    }

    private Outcome pointing(Call call, ConnectedDomainSetupInfo setup, String packageId, PropagationStatus status) {
        RequestContext ctx = call.ctx();
        var pr = setup.pointingRecords();
        List<io.domainlink.events.DnsRecord> forOwner = new ArrayList<>();
        if (pr != null && pr.aRecord() != null && !pr.aRecord().values().isEmpty()) {
            forOwner.add(record(io.domainlink.events.RecordType.A, hostOr(pr.aRecord().hostName(), ctx.getDomain()),
                    ttl(pr.aRecord().ttl()), pr.aRecord().values()));
        }
        if (pr != null && pr.cnameRecord() != null && pr.cnameRecord().value() != null) {
            forOwner.add(cname(pr.cnameRecord(), "www." + ctx.getDomain()));
        }
        if (forOwner.isEmpty()) {
            return Outcome.failed(failed(ctx, FailureReason.WIX_REJECTED,
                    "Wix's setup info for " + ctx.getDomain() + " has no pointingRecords to give the owner", null));
        }
        io.domainlink.events.Registrar registrar = registrarOf(setup);
        String instructions = "At your domain registrar, set " + describe(forOwner) + ".";
        return Outcome.configured(configured(call, packageId, registrar, List.of(), forOwner, status),
                ownerAction(ctx, OwnerAction.SET_RECORDS, forOwner, registrar, instructions));
    }

    private Outcome subdomain(Call call, ConnectedDomainSetupInfo setup, String packageId, PropagationStatus status) {
        RequestContext ctx = call.ctx();
        List<io.domainlink.events.DnsRecord> forOwner = setup.subdomainRecords() == null ? List.of()
                : setup.subdomainRecords().cnameRecords().stream().filter(c -> c.value() != null)
                        .map(c -> cname(c, ctx.getDomain())).toList();
        if (forOwner.isEmpty()) {
            return Outcome.failed(failed(ctx, FailureReason.WIX_REJECTED,
                    "Wix's setup info for " + ctx.getDomain() + " has no subdomainRecords to give the owner", null));
        }
        io.domainlink.events.Registrar registrar = registrarOf(setup);
        String instructions = "In the DNS of the parent domain, set " + describe(forOwner) + ".";
        return Outcome.configured(configured(call, packageId, registrar, List.of(), forOwner, status),
                ownerAction(ctx, OwnerAction.SET_RECORDS, forOwner, registrar, instructions));
    }

    // ------------------------------------------------------------------ events

    private ConnectionConfigured configured(Call call, String packageId, io.domainlink.events.Registrar registrar,
                                            List<io.domainlink.events.DnsRecord> set, List<io.domainlink.events.DnsRecord> forOwner,
                                            PropagationStatus status) {
        return ConnectionConfigured.newBuilder()
                .setContext(call.ctx())
                .setOccurredAt(clock.instant())
                .setRequestedAt(call.request().getRequestedAt())
                .setPackageId(packageId)
                .setRegistrar(registrar)
                .setRecordsSetByPipeline(set)
                .setRecordsForOwner(forOwner)
                .setOwnerMustAct(!forOwner.isEmpty())
                .setWixStatus(status)
                .build();
    }

    private OwnerActionRequired ownerAction(RequestContext ctx, OwnerAction action, List<io.domainlink.events.DnsRecord> records,
                                            io.domainlink.events.Registrar registrar, String instructions) {
        return OwnerActionRequired.newBuilder()
                .setContext(ctx)
                .setOccurredAt(clock.instant())
                .setAction(action)
                .setRecords(records)
                .setRegistrar(registrar)
                .setInstructions(instructions)
                .build();
    }

    private DomainFailed failed(RequestContext ctx, FailureReason reason, String message, WixApiException e) {
        DomainFailed.Builder b = DomainFailed.newBuilder()
                .setContext(ctx)
                .setOccurredAt(clock.instant())
                .setReason(reason)
                .setStage(Stage.CONNECTOR)
                .setMessage(message);
        if (e != null) {
            WixApiException last = e instanceof WixRetriesExhaustedException r ? r.lastError() : e;
            b.setWixHttpStatus(last.httpStatus() == 0 ? null : last.httpStatus())
                    .setWixErrorCode(last.wixCode())
                    .setWixMessage(last.wixMessage().isEmpty() ? last.description() : last.wixMessage());
        }
        return b.build();
    }

    private DomainFailed wixFailure(RequestContext ctx, String at, WixApiException e) {
        if (WixApiException.INTERRUPTED.equals(e.wixCode())) {
            CancellationException c = new CancellationException("interrupted during " + e.endpoint());
            c.initCause(e);
            throw c;
        }
        WixApiException last = e instanceof WixRetriesExhaustedException r ? r.lastError() : e;
        if (e instanceof WixRetriesExhaustedException || e.retryable()) {
            String attempts = e instanceof WixRetriesExhaustedException r ? " after " + r.attempts() + " attempts" : "";
            log.warn("Wix retries exhausted requestId={} domain={} at={} endpoint={} status={} code={}{}", ctx.getRequestId(),
                    ctx.getDomain(), at, last.endpoint() == null ? null : last.endpoint().metricName(), last.httpStatus(),
                    last.wixCode(), attempts);
            return failed(ctx, FailureReason.RETRIES_EXHAUSTED, "Wix kept failing" + attempts + " on "
                    + (last.endpoint() == null ? "a call" : last.endpoint().metricName()) + ": " + last.getMessage(), e);
        }
        log.warn("Wix rejected the request requestId={} domain={} at={} endpoint={} status={} code={}", ctx.getRequestId(),
                ctx.getDomain(), at, e.endpoint() == null ? null : e.endpoint().metricName(), e.httpStatus(), e.wixCode());
        return failed(ctx, FailureReason.WIX_REJECTED, "Wix rejected " + (e.endpoint() == null ? "a call"
                : e.endpoint().metricName()) + ": " + e.getMessage(), e);
    }

    // ------------------------------------------------------------------ helpers

    /** Content the request-ingestor should never let through; a record like this is a failed request, not poison. */
    static Optional<String> invalidContent(ConnectionAccepted request) {
        RequestContext ctx = request.getContext();
        List<String> problems = new ArrayList<>();
        if (blank(ctx.getRequestId())) {
            problems.add("context.requestId is empty");
        }
        if (blank(ctx.getDomain()) || !ctx.getDomain().equals(ctx.getDomain().toLowerCase(Locale.ROOT))) {
            problems.add("context.domain is not a normalized domain");
        }
        if (blank(ctx.getAccountId())) {
            problems.add("context.accountId is empty");
        }
        if (blank(ctx.getSiteId())) {
            problems.add("context.siteId is empty");
        }
        Flow flow = flowOf(request);
        if (flow == Flow.UNKNOWN) {
            problems.add("flow is UNKNOWN and connectionType does not tell it");
        }
        if (request.getPremiumPlan() != null && (blank(request.getPremiumPlan().getCatalogProductId())
                || blank(request.getPremiumPlan().getCountryCode()))) {
            problems.add("premiumPlan needs catalogProductId and countryCode");
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }

    /** The flow from the context, else from the connection type (null: a subdomain). */
    static Flow flowOf(ConnectionAccepted request) {
        Flow flow = request.getContext().getFlow();
        if (flow != null && flow != Flow.UNKNOWN) {
            return flow;
        }
        if (request.getConnectionType() == null) {
            return Flow.SUBDOMAIN;
        }
        return switch (request.getConnectionType()) {
            case NAMESERVERS -> Flow.NAMESERVERS;
            case POINTING -> Flow.POINTING;
            default -> Flow.UNKNOWN;
        };
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static PropagationStatus propagationStatusOf(ConnectedDomain d) {
        if (d == null || d.dnsPropagationStatus() == null) {
            return PropagationStatus.UNKNOWN_DNS_PROPAGATION_STATUS;
        }
        return switch (d.dnsPropagationStatus()) {
            case COMPLETED -> PropagationStatus.COMPLETED;
            case FAILED -> PropagationStatus.FAILED;
            case IN_PROGRESS -> PropagationStatus.IN_PROGRESS;
            default -> PropagationStatus.UNKNOWN_DNS_PROPAGATION_STATUS;
        };
    }

    private static io.domainlink.events.Registrar registrarOf(ConnectedDomainSetupInfo setup) {
        String name = setup.effectiveRegistrarName();
        List<String> ns = setup.registrar() == null ? List.of() : setup.registrar().nameServers();
        if (name == null && ns.isEmpty()) {
            return null;
        }
        return io.domainlink.events.Registrar.newBuilder().setName(name).setNameServers(ns).build();
    }

    private static io.domainlink.events.DnsRecord record(io.domainlink.events.RecordType type, String host, int ttl, List<String> values) {
        return io.domainlink.events.DnsRecord.newBuilder().setType(type).setHostName(host).setTtl(ttl)
                .setValues(List.copyOf(values)).build();
    }

    private static io.domainlink.events.DnsRecord cname(CnameRecord c, String defaultHost) {
        return record(io.domainlink.events.RecordType.CNAME, hostOr(c.hostName(), defaultHost), ttl(c.ttl()), List.of(c.value()));
    }

    private static io.domainlink.events.DnsRecord eventRecord(DnsRecord r) {
        return record(io.domainlink.events.RecordType.valueOf(r.type().name()), r.hostName(), ttl(r.ttl()), r.values());
    }

    private static String hostOr(String host, String fallback) {
        return host == null || host.isBlank() ? fallback : host;
    }

    private static int ttl(Integer ttl) {
        return ttl == null ? 3600 : ttl;
    }

    private static String describe(List<io.domainlink.events.DnsRecord> records) {
        return records.stream().map(r -> r.getType() + " " + r.getHostName() + " → " + String.join(", ", r.getValues()))
                .collect(Collectors.joining("; "));
    }

    /** One request's calls: runs each step and tells the hook; remembers a business failure found on the way. */
    private final class Call {
        private final ConnectionAccepted request;
        private final String at;
        private DomainFailed failure;
        /** The package Create Package answered, once it did (also when it replayed an existing one). */
        private String packageId;

        Call(ConnectionAccepted request, String at) {
            this.request = request;
            this.at = at;
        }

        ConnectionAccepted request() {
            return request;
        }

        RequestContext ctx() {
            return request.getContext();
        }

        String at() {
            return at;
        }

        <T> T step(WixStep step, java.util.function.Supplier<T> wixCall) {
            if (Thread.currentThread().isInterrupted()) {
                throw new CancellationException("cancelled before " + step);
            }
            T result = wixCall.get();
            afterWixCall.after(request, step);
            return result;
        }
    }

    /**
     * What to change so that the zone holds exactly {@code wanted} for those types and hosts: for each wanted record
     * whose current record (same type and host) differs, delete the current one as it is and add the wanted one (Wix
     * keeps one record object per type and host). Records already right are left alone.
     */
    record ZoneChange(List<DnsRecord> additions, List<DnsRecord> deletions) {

        static ZoneChange between(DnsZone zone, List<DnsRecord> wanted) {
            List<DnsRecord> add = new ArrayList<>();
            List<DnsRecord> del = new ArrayList<>();
            for (DnsRecord w : wanted) {
                Optional<DnsRecord> current = zone.find(w.type(), w.hostName());
                if (current.isPresent() && sameValues(current.get(), w)) {
                    continue;
                }
                current.ifPresent(del::add);
                add.add(w);
            }
            return new ZoneChange(List.copyOf(add), List.copyOf(del));
        }

        private static boolean sameValues(DnsRecord a, DnsRecord b) {
            return normalized(a.values()).equals(normalized(b.values())) && a.values().size() == b.values().size();
        }

        private static Set<String> normalized(List<String> values) {
            Set<String> s = new LinkedHashSet<>();
            for (String v : values) {
                String n = v.trim().toLowerCase(Locale.ROOT);
                s.add(n.endsWith(".") ? n.substring(0, n.length() - 1) : n);
            }
            return s;
        }

        boolean isEmpty() {
            return additions.isEmpty() && deletions.isEmpty();
        }
    }
}
