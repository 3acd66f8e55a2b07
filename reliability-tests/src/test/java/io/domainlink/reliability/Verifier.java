package io.domainlink.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

import io.domainlink.common.DeadLetters;
import io.domainlink.common.TopicSpec;
import io.domainlink.common.Topics;
import io.domainlink.common.registry.SchemaRegistryClient;
import io.domainlink.connector.ConnectionWorkflow;
import io.domainlink.events.ConnectionAccepted;
import io.domainlink.events.ConnectionConfigured;
import io.domainlink.events.ConnectionRequested;
import io.domainlink.events.DomainConnected;
import io.domainlink.events.DomainFailed;
import io.domainlink.events.FailureReason;
import io.domainlink.events.Flow;
import io.domainlink.events.OwnerActionRequired;
import io.domainlink.events.PropagationProgress;
import io.domainlink.events.PropagationStatus;
import io.domainlink.events.RequestContext;
import io.domainlink.events.Stage;
import io.domainlink.testsupport.KafkaCluster;
import io.domainlink.wix.sandbox.CallRecord;
import io.domainlink.wix.sandbox.Effect;
import io.domainlink.wix.sandbox.Endpoint;
import io.domainlink.wix.sandbox.WixSandbox;

/**
 * The test-side verifier of {@code shared/design/reliability.md}: it reads every topic of the pipeline from the
 * beginning with {@code isolation.level=read_committed} (what any downstream consumer sees), the Wix sandbox's call log,
 * the consumer groups' committed offsets and the brokers' transactions, and checks the invariants I1–I6 against what the
 * scenario put in ({@link Expected}). {@link #awaitInvariants} re-checks until they all hold or the recovery window
 * passes, then prints one line with a figure per invariant and returns the {@link Report}.
 *
 * <p>A {@code DomainFailed} with reason {@code REQUEST_ID_CONFLICT} or {@code DOMAIN_IN_FLIGHT} rejects one
 * <em>publication</em> of a request id (schemas/README.md, request-ingestor/README.md), not the request itself: they are
 * counted separately ({@code rejected_publications}) and are not the request's terminal event.
 */
final class Verifier implements AutoCloseable {

    /** Where every printed verifier line is appended as well (one file per module build). */
    static final Path FIGURES = Path.of("target", "reliability-figures.txt");
    /** Wix calls of one request by the connector, at most: package, create, setup info, preview, get zone, update zone. */
    static final int CONNECTOR_STEPS = 6;

    private static final Map<Service, List<String>> INPUTS = Map.of(
            Service.INGESTOR, List.of(Topics.REQUESTS.name(), Topics.OUTCOMES.name()),
            Service.CONNECTOR, List.of(Topics.ACCEPTED.name()),
            Service.WATCHER, List.of(Topics.CONFIGURED.name(), Topics.RECHECKS.name()));

    /** One record as a read_committed consumer saw it; {@code value} null and {@code unreadable} set if it did not decode. */
    record Seen(String topic, int partition, long offset, String key, Object value, byte[] raw, Headers headers, String unreadable) {
        String where() {
            return topic + "-" + partition + "@" + offset;
        }
    }

    private final KafkaCluster kafka;
    private final WixSandbox sandbox;
    private final KafkaConsumer<byte[], byte[]> reader;
    private final Map<String, Deserializer<?>> deserializers = new HashMap<>();
    private final Map<String, List<Seen>> seen = new LinkedHashMap<>();
    private final List<TopicPartition> partitions = new ArrayList<>();

    Verifier(KafkaCluster kafka, SchemaRegistryClient registry, WixSandbox sandbox) {
        this.kafka = kafka;
        this.sandbox = sandbox;
        this.reader = newConsumer("reliability-verifier");
        for (TopicSpec<?> spec : Topics.all()) {
            seen.put(spec.name(), new ArrayList<>());
            if (spec.schema().isPresent()) {
                deserializers.put(spec.name(), spec.valueDeserializer(registry));
            }
            reader.partitionsFor(spec.name()).forEach(p -> partitions.add(new TopicPartition(spec.name(), p.partition())));
        }
        reader.assign(partitions);
        reader.seekToBeginning(partitions);
    }

    private KafkaConsumer<byte[], byte[]> newConsumer(String clientId) {
        Map<String, Object> props = kafka.byteConsumerProperties("unused");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-" + System.nanoTime());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    // ------------------------------------------------------------------------------------------------ reading

    /**
     * Reads on from where the last call stopped, up to the last stable offsets of every partition taken at the start
     * (one snapshot of all topics, so an event's causes, committed before it, are read with it). False if the time
     * limit ended the read first: the data read so far is then not a consistent snapshot.
     */
    private boolean readToEnd(Duration limit) {
        Map<TopicPartition, Long> end = reader.endOffsets(partitions);   // read_committed: the last stable offsets
        long deadline = System.nanoTime() + limit.toNanos();
        while (partitions.stream().anyMatch(tp -> reader.position(tp) < end.get(tp))) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(200))) {
                seen.get(r.topic()).add(decode(r));
            }
        }
        return true;
    }

    private Seen decode(ConsumerRecord<byte[], byte[]> r) {
        String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
        Deserializer<?> d = deserializers.get(r.topic());
        if (d == null) {
            return new Seen(r.topic(), r.partition(), r.offset(), key, null, r.value(), r.headers(), null);
        }
        try {
            return new Seen(r.topic(), r.partition(), r.offset(), key, d.deserialize(r.topic(), r.value()), r.value(), r.headers(), null);
        } catch (RuntimeException e) {
            return new Seen(r.topic(), r.partition(), r.offset(), key, null, r.value(), r.headers(), e.toString());
        }
    }

    /** Every record read so far from one topic, per partition in offset order (partition by partition). */
    List<Seen> records(TopicSpec<?> topic) {
        return seen.get(topic.name());
    }

    /** The decoded values of one topic (unreadable records left out). */
    @SuppressWarnings("unchecked")
    <V> List<V> values(TopicSpec<V> topic) {
        return seen.get(topic.name()).stream().filter(s -> s.value() != null).map(s -> (V) s.value()).toList();
    }

    /** The decoded values of one topic the pipeline itself wrote (the scenario's injected copies left out). */
    @SuppressWarnings("unchecked")
    private <V> List<V> produced(TopicSpec<V> topic, Expected e) {
        return seen.get(topic.name()).stream().filter(s -> s.value() != null && !e.injectedRecords.contains(s.where()))
                .map(s -> (V) s.value()).toList();
    }

    /** Reads every topic up to its end now (for a scenario's own assertions). */
    Verifier refresh() {
        if (!readToEnd(Duration.ofSeconds(120))) {
            throw new IllegalStateException("could not read every topic to its end within 120 s");
        }
        return this;
    }

    // ------------------------------------------------------------------------------------------------ checking

    /**
     * Re-checks the invariants until they all hold, a violation that no recovery can undo appears (a duplicate, a
     * wrong order, a repeated Wix effect, an unexpected dead letter), or {@code window} passes; prints the verifier
     * line and returns the report (callers assert {@link Report#holds()}).
     */
    Report awaitInvariants(String scenario, Expected expected, Duration window) {
        long t0 = System.nanoTime();
        long deadline = t0 + window.toNanos();
        Report report = null;
        boolean brokenBefore = false;
        while (true) {
            boolean complete = readToEnd(Duration.ofSeconds(60));
            if (complete || report == null) {
                report = evaluate(expected);
                // a permanent violation must be seen on two consecutive complete snapshots before giving up early
                if (complete && (report.holds() || report.permanentlyBroken() && brokenBefore)) {
                    break;
                }
                brokenBefore = complete && report.permanentlyBroken();
            }
            if (System.nanoTime() > deadline) {
                break;
            }
            Pipeline.sleep(500);
        }
        report.recoveredInMillis = (System.nanoTime() - t0) / 1_000_000;
        print(scenario, report);
        return report;
    }

    /** Prints the verifier line (and appends it to {@link #FIGURES}). */
    static void print(String scenario, Report report) {
        String line = "[verifier] " + scenario + ": " + report.line();
        System.out.println(line);
        if (!report.holds()) {
            System.out.println(report.details());
        }
        try {
            Files.createDirectories(FIGURES.getParent());
            Files.writeString(FIGURES, LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME) + " " + line + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.out.println("could not append to " + FIGURES + ": " + e);
        }
    }

    Report evaluate(Expected e) {
        Report r = new Report();
        Map<String, List<ConnectionAccepted>> accepted = byRequestId(produced(Topics.ACCEPTED, e), ConnectionAccepted::getContext);
        Map<String, List<ConnectionConfigured>> configured = byRequestId(produced(Topics.CONFIGURED, e), ConnectionConfigured::getContext);
        Map<String, List<OwnerActionRequired>> owner = byRequestId(produced(Topics.OWNER_ACTIONS, e), OwnerActionRequired::getContext);
        Map<String, List<PropagationProgress>> progress = byRequestId(produced(Topics.PROGRESS, e), PropagationProgress::getContext);
        Map<String, List<SpecificRecord>> terminals = new LinkedHashMap<>();
        Map<String, Integer> inFlightRejected = new HashMap<>();
        for (SpecificRecord o : produced(Topics.OUTCOMES, e)) {
            RequestContext ctx = context(o);
            if (o instanceof DomainFailed f && f.getReason() == FailureReason.REQUEST_ID_CONFLICT) {
                r.conflicts++;
            } else if (o instanceof DomainFailed f && f.getReason() == FailureReason.DOMAIN_IN_FLIGHT) {
                r.inFlight++;
                inFlightRejected.merge(ctx.getRequestId(), 1, Integer::sum);
            } else {
                terminals.computeIfAbsent(ctx.getRequestId(), k -> new ArrayList<>()).add(o);
            }
        }

        // ---- I1 no loss: every request id ends (a terminal event; or, never admitted, its publication was refused)
        Set<String> ids = new HashSet<>(e.requests.keySet());
        ids.addAll(e.injected.keySet());
        r.requests = ids.size();
        for (String id : ids) {
            boolean admitted = accepted.containsKey(id) || e.injected.containsKey(id);
            boolean ended = terminals.containsKey(id) || !admitted && inFlightRejected.containsKey(id);
            if (ended) {
                r.terminal++;
            } else if (!e.mayEndWithoutTerminal.contains(id)) {
                r.lost++;
                r.violation("I1", "no terminal event for " + id + " (accepted=" + accepted.containsKey(id) + " configured="
                        + configured.containsKey(id) + " progress=" + progress.getOrDefault(id, List.of()).size() + ")");
            }
        }
        // the scenario's demanded outcomes
        for (Map.Entry<String, Set<String>> want : e.outcomes.entrySet()) {
            List<SpecificRecord> got = terminals.getOrDefault(want.getKey(), List.of());
            if (!got.isEmpty() && !want.getValue().contains(describe(got.get(0)))) {
                r.wrongOutcomes++;
                r.violation("outcome", want.getKey() + " ended " + describe(got.get(0)) + (got.get(0) instanceof DomainFailed f
                        ? " (" + f.getMessage() + ")" : "") + ", expected one of " + want.getValue());
            }
        }
        terminals.values().forEach(list -> r.outcomes.merge(describe(list.get(0)), 1, Integer::sum));

        // ---- I2 no duplicates
        terminals.forEach((id, list) -> {
            if (list.size() > 1) {
                r.duplicates += list.size() - 1;
                r.violation("I2", id + " has " + list.size() + " terminal events: "
                        + list.stream().map(Verifier::describe).collect(Collectors.joining(", ")));
            }
        });
        accepted.forEach((id, list) -> {
            if (list.size() > 1) {
                r.configuredDuplicates += list.size() - 1;
                r.violation("I2", id + " accepted " + list.size() + " times");
            }
        });
        configured.forEach((id, list) -> {
            if (list.size() > 1) {
                r.configuredDuplicates += list.size() - 1;
                r.violation("I2", id + " has " + list.size() + " ConnectionConfigured");
            }
        });
        owner.forEach((id, list) -> {
            if (list.size() > 1) {
                r.configuredDuplicates += list.size() - 1;
                r.violation("I2", id + " has " + list.size() + " OwnerActionRequired");
            }
        });
        if (r.conflicts != e.conflicts) {
            r.violation("I2", "REQUEST_ID_CONFLICT rejections: " + r.conflicts + ", expected " + e.conflicts);
            r.rejectionMismatch = true;
        }
        if (r.inFlight != e.inFlightRejections) {
            r.violation("I2", "DOMAIN_IN_FLIGHT rejections: " + r.inFlight + ", expected " + e.inFlightRejections);
            r.rejectionMismatch = true;
        }

        // ---- I3 per-domain order and consistency
        checkOrder(e, r, accepted, configured, owner, progress, terminals);

        // ---- I4 external effects once, calls within the budget
        checkEffects(e, r, accepted);

        // ---- I6 poison accounted
        checkDeadLetters(e, r);

        // ---- I5 liveness: lag 0 in every group, no open transaction (only once the data is complete: it costs a few calls)
        if (r.lost == 0) {
            for (Service s : Service.values()) {
                long lag = lag(s);
                r.lag += lag;
                if (lag > 0) {
                    r.violation("I5", s.group + " lag " + lag);
                }
            }
            r.openTransactions = openTransactions();
            if (r.openTransactions > 0) {
                r.violation("I5", r.openTransactions + " open transaction(s)");
            }
        } else {
            r.lag = -1;
            r.openTransactions = -1;
        }
        return r;
    }

    private void checkOrder(Expected e, Report r, Map<String, List<ConnectionAccepted>> accepted,
                            Map<String, List<ConnectionConfigured>> configured, Map<String, List<OwnerActionRequired>> owner,
                            Map<String, List<PropagationProgress>> progress, Map<String, List<SpecificRecord>> terminals) {
        // every event: key = context.domain; the caller's correlation echoed unchanged; known request id
        for (TopicSpec<?> t : List.of(Topics.ACCEPTED, Topics.CONFIGURED, Topics.OWNER_ACTIONS, Topics.PROGRESS, Topics.OUTCOMES)) {
            for (Seen s : records(t)) {
                if (s.value() == null || e.injectedRecords.contains(s.where())) {
                    continue;
                }
                RequestContext ctx = context(s.value());
                if (!Objects.equals(s.key(), ctx.getDomain())) {
                    r.order("key " + s.key() + " is not the context's domain " + ctx.getDomain() + " at " + s.where());
                }
                String id = ctx.getRequestId();
                if (!e.knows(id)) {
                    r.unknownIds++;
                    r.violation("I3", "event for an id no scenario published: " + id + " at " + s.where());
                    continue;
                }
                ConnectionRequested req = e.requests.get(id);
                if (req != null) {
                    String domain = e.domainOf(id);
                    if (domain != null && !domain.equals(ctx.getDomain()) && !(s.value() instanceof DomainFailed)) {
                        r.order(id + " carries domain " + ctx.getDomain() + ", requested " + domain + " at " + s.where());
                    }
                    boolean otherPublication = s.value() instanceof DomainFailed f && f.getStage() == Stage.INGESTOR
                            && (f.getReason() == FailureReason.INVALID_REQUEST || f.getReason() == FailureReason.REQUEST_ID_CONFLICT);
                    if (!req.getCorrelation().equals(ctx.getCorrelation()) && !otherPublication) {
                        r.order(id + " lost its correlation at " + s.where() + ": " + ctx.getCorrelation());
                    }
                }
            }
        }
        // accepted: per domain, generations strictly increase
        Map<String, Long> lastGen = new HashMap<>();
        for (ConnectionAccepted a : produced(Topics.ACCEPTED, e)) {
            long g = a.getContext().getGeneration();
            Long prev = lastGen.put(a.getContext().getDomain(), g);
            if (prev != null && g <= prev) {
                r.order(a.getContext().getDomain() + " accepted generation " + g + " after " + prev);
            }
        }
        // configured / owner actions: only for an admitted request of the same generation; per domain never backwards
        lastGen.clear();
        for (ConnectionConfigured c : produced(Topics.CONFIGURED, e)) {
            RequestContext ctx = c.getContext();
            if (!e.injected.containsKey(ctx.getRequestId()) && accepted.getOrDefault(ctx.getRequestId(), List.of()).stream()
                    .noneMatch(a -> a.getContext().getGeneration() == ctx.getGeneration())) {
                r.order(ctx.getRequestId() + " configured without being accepted (generation " + ctx.getGeneration() + ")");
            }
            Long prev = lastGen.put(ctx.getDomain(), ctx.getGeneration());
            if (prev != null && ctx.getGeneration() < prev && !e.injected.containsKey(ctx.getRequestId())) {
                r.order(ctx.getDomain() + " configured generation " + ctx.getGeneration() + " after " + prev);
            }
        }
        owner.forEach((id, list) -> {
            if (!e.injected.containsKey(id) && !accepted.containsKey(id)) {
                r.order(id + " has an owner action without being accepted");
            }
        });
        // progress: a path UNKNOWN -> IN_PROGRESS/FAILED -> COMPLETED that never goes back, each event naming the previous status
        progress.forEach((id, list) -> {
            if (!configured.containsKey(id)) {
                r.order(id + " has progress without being configured");
            }
            PropagationStatus before = null;
            for (PropagationProgress p : list) {
                if (before != null && rank(p.getStatus()) < rank(before)) {
                    r.order(id + " progress went back from " + before + " to " + p.getStatus());
                }
                if (before == PropagationStatus.COMPLETED) {
                    r.order(id + " progress after COMPLETED: " + p.getStatus());
                }
                if (before != null && p.getPreviousStatus() != before) {
                    r.order(id + " progress says previous " + p.getPreviousStatus() + ", the last published was " + before);
                }
                before = p.getStatus();
            }
        });
        // terminals: consistent with the stage that ended the request, after all its progress
        terminals.forEach((id, list) -> {
            SpecificRecord t = list.get(0);
            long at = t instanceof DomainConnected c ? c.getOccurredAt().toEpochMilli() : ((DomainFailed) t).getOccurredAt().toEpochMilli();
            List<PropagationProgress> ps = progress.getOrDefault(id, List.of());
            if (ps.stream().anyMatch(p -> p.getOccurredAt().toEpochMilli() > at)) {
                r.order(id + " has progress after its terminal event");
            }
            if (t instanceof DomainConnected) {
                if (!configured.containsKey(id)) {
                    r.order(id + " connected without being configured");
                }
                if (!ps.isEmpty() && ps.get(ps.size() - 1).getStatus() != PropagationStatus.COMPLETED) {
                    r.order(id + " connected while the last progress was " + ps.get(ps.size() - 1).getStatus());
                }
            } else if (t instanceof DomainFailed f) {
                boolean wasAccepted = accepted.containsKey(id) || e.injected.containsKey(id);
                switch (f.getStage()) {
                    case INGESTOR -> {
                        if (accepted.containsKey(id)) {
                            r.order(id + " both accepted and rejected by the ingestor (" + f.getReason() + ")");
                        }
                    }
                    case CONNECTOR -> {
                        if (!wasAccepted || configured.containsKey(id)) {
                            r.order(id + " failed by the connector but accepted=" + wasAccepted + " configured=" + configured.containsKey(id));
                        }
                    }
                    case WATCHER -> {
                        if (!configured.containsKey(id)) {
                            r.order(id + " failed by the watcher without being configured");
                        }
                    }
                    default -> r.order(id + " failed by stage " + f.getStage());
                }
            }
        });
        // one request in flight per domain: the next admission comes after the previous request's terminal event
        Map<String, List<long[]>> spans = new HashMap<>();
        for (ConnectionAccepted a : produced(Topics.ACCEPTED, e)) {
            List<SpecificRecord> t = terminals.get(a.getContext().getRequestId());
            long end = t == null ? Long.MAX_VALUE : occurredAt(t.get(0));
            spans.computeIfAbsent(a.getContext().getDomain(), d -> new ArrayList<>())
                    .add(new long[] {a.getOccurredAt().toEpochMilli(), end});
        }
        spans.forEach((domain, list) -> {
            for (int i = 1; i < list.size(); i++) {
                if (list.get(i)[0] < list.get(i - 1)[1]) {
                    r.order(domain + " admitted a request while the previous one was still in flight");
                }
            }
        });
    }

    private static int rank(PropagationStatus s) {
        return switch (s) {
            case UNKNOWN_DNS_PROPAGATION_STATUS -> 0;
            case IN_PROGRESS, FAILED -> 1;
            case COMPLETED -> 2;
        };
    }

    private void checkEffects(Expected e, Report r, Map<String, List<ConnectionAccepted>> accepted) {
        List<CallRecord> calls = sandbox.calls();
        Map<String, String> requestByPackageKey = new HashMap<>();
        Map<String, Set<String>> requestsByDomain = new HashMap<>();
        Map<String, Integer> nameserverRequests = new HashMap<>();
        accepted.forEach((id, list) -> {
            ConnectionAccepted a = list.get(0);
            requestByPackageKey.put(ConnectionWorkflow.packageIdempotencyKey(id), id);
            requestsByDomain.computeIfAbsent(a.getContext().getDomain(), d -> new HashSet<>()).add(id);
            if (a.getContext().getFlow() == Flow.NAMESERVERS || a.getConnectionType() == io.domainlink.events.ConnectionType.NAMESERVERS) {
                nameserverRequests.merge(a.getContext().getDomain(), 1, Integer::sum);
            }
        });
        e.injected.forEach((id, domain) -> requestsByDomain.computeIfAbsent(domain, d -> new HashSet<>()).add(id));
        Map<String, Integer> created = new TreeMap<>();
        Map<String, Integer> zoneUpdates = new TreeMap<>();
        Map<String, Integer> packages = new TreeMap<>();
        Map<String, Integer> connectorCalls = new HashMap<>();   // per domain
        for (CallRecord c : calls) {
            String domain = c.domain();
            if (c.endpoint() == Endpoint.CREATE_PACKAGE && c.idempotencyKey() != null) {
                String id = requestByPackageKey.get(c.idempotencyKey());
                domain = id == null ? null : accepted.get(id).get(0).getContext().getDomain();
                if (c.effect() == Effect.PACKAGE_CREATED) {
                    packages.merge(c.idempotencyKey(), 1, Integer::sum);
                    if (id == null) {
                        r.unrequestedEffects++;
                        r.violation("I4", "a package was created for no admitted request (key " + c.idempotencyKey() + ")");
                    }
                }
            }
            if (c.effect() == Effect.DOMAIN_CREATED) {
                created.merge(domain, 1, Integer::sum);
                if (!requestsByDomain.containsKey(domain)) {
                    r.unrequestedEffects++;
                    r.violation("I4", domain + " was created at Wix without an admitted request");
                }
            }
            if (c.effect() == Effect.ZONE_UPDATED) {
                zoneUpdates.merge(domain, 1, Integer::sum);
            }
            if (domain != null && c.endpoint() != Endpoint.GET_CONNECTED_DOMAIN && c.endpoint() != Endpoint.LIST_CONNECTED_DOMAINS) {
                connectorCalls.merge(domain, 1, Integer::sum);
            }
        }
        r.domainsCreated = created.size();
        r.packagesCreated = packages.size();
        created.forEach((d, n) -> {
            if (n > 1) {
                r.effectDuplicates += n - 1;
                r.violation("I4", d + " created " + n + " times at Wix");
            }
        });
        packages.forEach((key, n) -> {
            if (n > 1) {
                r.effectDuplicates += n - 1;
                r.violation("I4", "package " + key + " created " + n + " times");
            }
        });
        zoneUpdates.forEach((d, n) -> {
            int allowed = nameserverRequests.getOrDefault(d, 0);
            if (n > allowed) {
                r.effectDuplicates += n - allowed;
                r.violation("I4", d + " zone updated " + n + " times for " + allowed + " NAMESERVERS request(s)");
            }
        });
        r.callBudget = CONNECTOR_STEPS * e.maxAttempts * e.deliveries;
        connectorCalls.forEach((d, n) -> {
            int perRequest = (int) Math.ceil(n / (double) Math.max(1, requestsByDomain.getOrDefault(d, Set.of()).size()));
            r.maxCallsPerRequest = Math.max(r.maxCallsPerRequest, perRequest);
            if (perRequest > r.callBudget) {
                r.violation("I4", d + " took " + perRequest + " Wix calls per request, budget " + r.callBudget);
            }
        });
    }

    private void checkDeadLetters(Expected e, Report r) {
        r.poisonExpected = e.poisons.size();
        Map<String, Expected.Poison> byWhere = new HashMap<>();
        e.poisons.forEach(p -> byWhere.put(p.where(), p));
        Map<String, Integer> matches = new HashMap<>();
        for (Seen s : records(Topics.DEAD_LETTER)) {
            String where = DeadLetters.header(s.headers(), DeadLetters.SOURCE_TOPIC) + "-"
                    + DeadLetters.header(s.headers(), DeadLetters.SOURCE_PARTITION) + "@"
                    + DeadLetters.header(s.headers(), DeadLetters.SOURCE_OFFSET);
            Expected.Poison p = byWhere.get(where);
            if (p == null) {
                r.unexpectedDeadLetters++;
                r.violation("I6", "dead letter for a record no scenario poisoned: " + where + " kind="
                        + DeadLetters.header(s.headers(), DeadLetters.ERROR_KIND) + " message="
                        + DeadLetters.header(s.headers(), DeadLetters.ERROR_MESSAGE));
                continue;
            }
            matches.merge(where, 1, Integer::sum);
            String kind = DeadLetters.header(s.headers(), DeadLetters.ERROR_KIND);
            String message = DeadLetters.header(s.headers(), DeadLetters.ERROR_MESSAGE);
            String stage = DeadLetters.header(s.headers(), DeadLetters.STAGE);
            if (p.errorKind() != null && !p.errorKind().equals(kind)) {
                r.violation("I6", where + " dead-lettered as " + kind + ", expected " + p.errorKind());
            }
            if (message == null || message.isBlank() || stage == null || stage.isBlank()
                    || DeadLetters.header(s.headers(), DeadLetters.ERROR_CLASS) == null) {
                r.violation("I6", where + " dead letter lacks its error or stage headers");
            }
            if (!Arrays.equals(p.value(), s.raw()) || !Objects.equals(p.key(), s.key())) {
                r.violation("I6", where + " dead letter does not carry the original key and bytes");
            }
        }
        for (Expected.Poison p : e.poisons) {
            int n = matches.getOrDefault(p.where(), 0);
            if (n == 1) {
                r.poisonDeadLettered++;
            } else if (n > 1) {
                r.unexpectedDeadLetters += n - 1;
                r.violation("I6", p.where() + " dead-lettered " + n + " times");
            } else {
                r.violation("I6", p.where() + " (" + p.errorKind() + ") not in the dead-letter topic");
            }
        }
        // never downstream: nothing published under a poison record's key; no other unreadable record anywhere
        Set<String> poisonKeys = e.poisons.stream().map(Expected.Poison::key).collect(Collectors.toSet());
        for (TopicSpec<?> t : List.of(Topics.ACCEPTED, Topics.CONFIGURED, Topics.OWNER_ACTIONS, Topics.PROGRESS, Topics.OUTCOMES)) {
            for (Seen s : records(t)) {
                if (s.value() != null && poisonKeys.contains(s.key())) {
                    r.poisonDownstream++;
                    r.violation("I6", "a poison record's key reached " + s.where());
                } else if (s.value() == null && !byWhere.containsKey(s.where())) {
                    r.poisonDownstream++;
                    r.violation("I6", "unreadable record at " + s.where() + ": " + s.unreadable());
                }
            }
        }
    }

    /**
     * Request ids of the events on a topic as a {@code read_uncommitted} consumer sees them: including records of
     * transactions that are still open (a service's side effect before its commit) or were aborted.
     */
    Set<String> uncommittedRequestIds(TopicSpec<?> topic) {
        Map<String, Object> props = kafka.byteConsumerProperties("unused");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_UNCOMMITTED.toString());
        Set<String> ids = new HashSet<>();
        Deserializer<?> d = deserializers.get(topic.name());
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = c.partitionsFor(topic.name()).stream().map(p -> new TopicPartition(topic.name(), p.partition())).toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);   // the high watermark
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    try {
                        ids.add(context(d.deserialize(r.topic(), r.value())).getRequestId());
                    } catch (RuntimeException e) {
                        // poison or a foreign record: not a request's event
                    }
                }
            }
        }
        return ids;
    }

    /** Request ids of the committed events on a topic (read so far). */
    Set<String> committedRequestIds(TopicSpec<?> topic) {
        refresh();
        return seen.get(topic.name()).stream().filter(x -> x.value() != null).map(x -> context(x.value()).getRequestId())
                .collect(Collectors.toSet());
    }

    // ------------------------------------------------------------------------------------------------ I5

    /** Records the group has not consumed yet: for every input partition, readable records between its commit and the end. */
    long lag(Service service) {
        try (KafkaConsumer<byte[], byte[]> c = newConsumer("reliability-lag")) {
            Admin admin = kafka.admin();
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(service.group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            Set<TopicPartition> tps = new HashSet<>(committed.keySet());
            for (String topic : INPUTS.get(service)) {
                c.partitionsFor(topic).forEach(p -> tps.add(new TopicPartition(topic, p.partition())));
            }
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            Map<TopicPartition, Long> begin = c.beginningOffsets(tps);
            long lag = 0;
            for (TopicPartition tp : tps) {
                OffsetAndMetadata om = committed.get(tp);
                long from = Math.max(om == null ? 0 : om.offset(), begin.get(tp));
                if (end.get(tp) > from) {
                    lag += readable(c, tp, from, end.get(tp));
                }
            }
            return lag;
        } catch (Exception e) {
            throw new IllegalStateException("cannot compute the lag of " + service.group + ": " + e, e);
        }
    }

    /** How many records a read_committed consumer gets between two offsets (transaction markers and aborted data are not). */
    private static long readable(KafkaConsumer<byte[], byte[]> c, TopicPartition tp, long from, long to) {
        c.assign(List.of(tp));
        c.seek(tp, from);
        long n = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (c.position(tp) < to && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                if (r.offset() < to) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Transactions the brokers still hold open (ongoing or being completed). */
    int openTransactions() {
        try {
            Collection<TransactionListing> all = kafka.admin().listTransactions().all().get(30, TimeUnit.SECONDS);
            return (int) all.stream().filter(t -> t.state() == TransactionState.ONGOING || t.state() == TransactionState.PREPARE_COMMIT
                    || t.state() == TransactionState.PREPARE_ABORT).count();
        } catch (Exception e) {
            throw new IllegalStateException("cannot list transactions: " + e, e);
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    static RequestContext context(Object event) {
        if (event instanceof ConnectionAccepted a) {
            return a.getContext();
        } else if (event instanceof ConnectionConfigured c) {
            return c.getContext();
        } else if (event instanceof OwnerActionRequired o) {
            return o.getContext();
        } else if (event instanceof PropagationProgress p) {
            return p.getContext();
        } else if (event instanceof DomainConnected d) {
            return d.getContext();
        } else if (event instanceof DomainFailed f) {
            return f.getContext();
        }
        throw new IllegalArgumentException("no context on " + event.getClass());
    }

    private static long occurredAt(SpecificRecord terminal) {
        return terminal instanceof DomainConnected c ? c.getOccurredAt().toEpochMilli() : ((DomainFailed) terminal).getOccurredAt().toEpochMilli();
    }

    /** {@code CONNECTED} or the failure reason. */
    static String describe(SpecificRecord terminal) {
        return terminal instanceof DomainFailed f ? f.getReason().name() : Expected.CONNECTED;
    }

    private static <T> Map<String, List<T>> byRequestId(List<T> events, java.util.function.Function<T, RequestContext> ctx) {
        Map<String, List<T>> m = new LinkedHashMap<>();
        events.forEach(ev -> m.computeIfAbsent(ctx.apply(ev).getRequestId(), k -> new ArrayList<>()).add(ev));
        return m;
    }

    /** The latest offsets of a topic's partitions (for scenarios that wait for output to appear). */
    long endOffsetSum(TopicSpec<?> topic) {
        try {
            Map<TopicPartition, OffsetSpec> q = new HashMap<>();
            reader.partitionsFor(topic.name()).forEach(p -> q.put(new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest()));
            return kafka.admin().listOffsets(q).all().get(30, TimeUnit.SECONDS).values().stream().mapToLong(i -> i.offset()).sum();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        reader.close();
    }

    // ------------------------------------------------------------------------------------------------ report

    /** The figures of one check; {@link #holds()} when every invariant holds. */
    static final class Report {
        int requests;
        int terminal;
        int lost;
        int duplicates;
        int configuredDuplicates;
        int conflicts;
        int inFlight;
        boolean rejectionMismatch;
        int orderViolations;
        int unknownIds;
        int domainsCreated;
        int packagesCreated;
        int effectDuplicates;
        int unrequestedEffects;
        int maxCallsPerRequest;
        int callBudget;
        long lag;
        int openTransactions;
        int poisonExpected;
        int poisonDeadLettered;
        int unexpectedDeadLetters;
        int poisonDownstream;
        int wrongOutcomes;
        long recoveredInMillis;
        final Map<String, Integer> outcomes = new TreeMap<>();
        final List<String> violations = new ArrayList<>();

        void violation(String invariant, String what) {
            violations.add(invariant + ": " + what);
        }

        void order(String what) {
            orderViolations++;
            violation("I3", what);
        }

        boolean holds() {
            return violations.isEmpty();
        }

        /** A violation that more time cannot heal: committed data or Wix effects that should not exist. */
        boolean permanentlyBroken() {
            return duplicates > 0 || configuredDuplicates > 0 || orderViolations > 0 || effectDuplicates > 0
                    || unrequestedEffects > 0 || unexpectedDeadLetters > 0 || poisonDownstream > 0 || unknownIds > 0;
        }

        String line() {
            return String.format(Locale.ROOT,
                    "I1 requests=%d terminal=%d lost=%d | I2 duplicates=%d stage_duplicates=%d rejected_publications=%d"
                            + " (conflict=%d in_flight=%d, not terminal) | I3 order_violations=%d | I4 domains_created=%d"
                            + " packages=%d duplicate_effects=%d unrequested_effects=%d calls/request<=%d (budget %d)"
                            + " | I5 lag=%d open_tx=%d | I6 dlq=%d/%d unexpected=%d downstream=%d | outcomes %s wrong=%d"
                            + " | %s in %.1fs",
                    requests, terminal, lost, duplicates, configuredDuplicates, conflicts + inFlight, conflicts, inFlight,
                    orderViolations, domainsCreated, packagesCreated, effectDuplicates, unrequestedEffects, maxCallsPerRequest,
                    callBudget, lag, openTransactions, poisonDeadLettered, poisonExpected, unexpectedDeadLetters,
                    poisonDownstream, outcomes, wrongOutcomes, holds() ? "HOLDS" : "VIOLATED", recoveredInMillis / 1000.0);
        }

        String details() {
            return violations.stream().limit(40).collect(Collectors.joining("\n  ", "violations (" + violations.size() + "):\n  ", ""));
        }

        @Override
        public String toString() {
            return line() + (holds() ? "" : "\n" + details());
        }
    }
}
