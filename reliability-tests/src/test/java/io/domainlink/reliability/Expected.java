package io.domainlink.reliability;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.producer.RecordMetadata;

import io.domainlink.common.DomainNames;
import io.domainlink.events.ConnectionRequested;
import io.domainlink.events.FailureReason;

/**
 * What a scenario put into the pipeline, which the {@link Verifier} holds the outputs against: the requests published
 * upstream (each must end), events injected further down the pipeline, the poison records (each must be dead-lettered
 * once), the publications the ingestor must reject, and the retry budget that bounds Wix calls per request.
 */
final class Expected {

    /** Outcome a scenario demands for a request: {@code CONNECTED} or a {@link FailureReason} name. */
    static final String CONNECTED = "CONNECTED";

    /** A record injected to be unreadable (or unusable) at one service's input. */
    record Poison(String topic, int partition, long offset, String key, byte[] value, String errorKind) {
        String where() {
            return topic + "-" + partition + "@" + offset;
        }
    }

    final Map<String, ConnectionRequested> requests = new LinkedHashMap<>();
    /** Request ids whose events were injected downstream of the ingestor (no ConnectionRequested): id → domain. */
    final Map<String, String> injected = new LinkedHashMap<>();
    final Map<String, Set<String>> outcomes = new LinkedHashMap<>();
    /** Ids that may legitimately end without a terminal event (a stale event dropped by design). */
    final Set<String> mayEndWithoutTerminal = new HashSet<>();
    final List<Poison> poisons = new ArrayList<>();
    /** Records a scenario wrote onto a service's output topic itself (a redelivered or stale copy): not the service's output. */
    final Set<String> injectedRecords = new HashSet<>();
    int conflicts;
    int inFlightRejections;
    /** How many times a request may have been delivered to the connector (1 + kills that hit it). */
    int deliveries = 1;
    /** {@code wix.retry.max.attempts} of the connector. */
    int maxAttempts = 6;

    Expected requests(Collection<ConnectionRequested> rs) {
        rs.forEach(this::request);
        return this;
    }

    Expected request(ConnectionRequested r) {
        requests.put(r.getRequestId(), r);
        return this;
    }

    /** The request must end with this outcome: {@link #CONNECTED} or one of the reasons. */
    Expected outcome(String requestId, String... allowed) {
        outcomes.put(requestId, Set.of(allowed));
        return this;
    }

    Expected allConnected() {
        requests.keySet().forEach(id -> outcome(id, CONNECTED));
        return this;
    }

    Expected injected(String requestId, String domain) {
        injected.put(requestId, domain);
        return this;
    }

    Expected mayEndWithoutTerminal(String requestId) {
        mayEndWithoutTerminal.add(requestId);
        return this;
    }

    Expected poison(RecordMetadata at, String key, byte[] value, String errorKind) {
        poisons.add(new Poison(at.topic(), at.partition(), at.offset(), key, value, errorKind));
        return this;
    }

    /** A record the scenario wrote downstream itself, e.g. a copy of an event (the services must drop it). */
    Expected injectedRecord(RecordMetadata at) {
        injectedRecords.add(at.topic() + "-" + at.partition() + "@" + at.offset());
        return this;
    }

    Expected conflicts(int n) {
        conflicts = n;
        return this;
    }

    Expected inFlightRejections(int n) {
        inFlightRejections = n;
        return this;
    }

    Expected deliveries(int n) {
        deliveries = n;
        return this;
    }

    Expected maxAttempts(int n) {
        maxAttempts = n;
        return this;
    }

    /** The normalized domain of an expected id, or null. */
    String domainOf(String requestId) {
        ConnectionRequested r = requests.get(requestId);
        if (r != null) {
            try {
                return DomainNames.normalize(r.getDomain());
            } catch (RuntimeException e) {
                return null;   // an invalid request: its domain may not normalize
            }
        }
        return injected.get(requestId);
    }

    boolean knows(String requestId) {
        return requests.containsKey(requestId) || injected.containsKey(requestId);
    }

    int size() {
        return requests.size() + injected.size();
    }
}
