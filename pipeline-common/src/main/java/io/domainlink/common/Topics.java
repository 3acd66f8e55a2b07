package io.domainlink.common;

import java.time.Duration;
import java.util.List;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.TopicConfig;

import io.domainlink.events.ConnectionAccepted;
import io.domainlink.events.ConnectionConfigured;
import io.domainlink.events.ConnectionRequested;
import io.domainlink.events.EventContract;
import io.domainlink.events.OwnerActionRequired;
import io.domainlink.events.PropagationProgress;
import io.domainlink.events.RecheckRequested;

/**
 * Every topic of the pipeline, declared once. Nothing else spells a topic name.
 *
 * <p>Convention: {@code domains.<fact>} where the fact is the plural noun of what the topic's events say; the value
 * subject is {@code <topic>-value} (TopicNameStrategy); keys are the normalized domain (UTF-8 string, no schema), so
 * a domain's events stay in order end to end. Records that cannot be read go to {@link #DEAD_LETTER}.
 */
public final class Topics {

    static final Duration FACT_RETENTION = Duration.ofDays(365);
    static final int PARTITIONS = 6;

    public static final TopicSpec<ConnectionRequested> REQUESTS = new TopicSpec<>(
            "domains.requests", ConnectionRequested.getClassSchema(),
            "Connection requests from upstream systems", "upstream", List.of("request-ingestor"),
            PARTITIONS, FACT_RETENTION, TopicConfig.CLEANUP_POLICY_DELETE);

    public static final TopicSpec<RecheckRequested> RECHECKS = new TopicSpec<>(
            "domains.rechecks", RecheckRequested.getClassSchema(),
            "The site owner says DNS was fixed: check now", "upstream", List.of("propagation-watcher"),
            PARTITIONS, FACT_RETENTION, TopicConfig.CLEANUP_POLICY_DELETE);

    public static final TopicSpec<ConnectionAccepted> ACCEPTED = new TopicSpec<>(
            "domains.accepted", ConnectionAccepted.getClassSchema(),
            "Valid, new requests admitted for connection", "request-ingestor", List.of("domain-connector"),
            PARTITIONS, FACT_RETENTION, TopicConfig.CLEANUP_POLICY_DELETE);

    public static final TopicSpec<ConnectionConfigured> CONFIGURED = new TopicSpec<>(
            "domains.configured", ConnectionConfigured.getClassSchema(),
            "Wix calls done; the domain is waiting for DNS propagation", "domain-connector", List.of("propagation-watcher"),
            PARTITIONS, FACT_RETENTION, TopicConfig.CLEANUP_POLICY_DELETE);

    public static final TopicSpec<OwnerActionRequired> OWNER_ACTIONS = new TopicSpec<>(
            "domains.owner-actions", OwnerActionRequired.getClassSchema(),
            "DNS changes the site owner must make at the registrar", "domain-connector", List.of("downstream notifiers"),
            PARTITIONS, FACT_RETENTION, TopicConfig.CLEANUP_POLICY_DELETE);

    public static final TopicSpec<PropagationProgress> PROGRESS = new TopicSpec<>(
            "domains.progress", PropagationProgress.getClassSchema(),
            "Wix's propagation status changed", "propagation-watcher", List.of("downstream", "analysts"),
            PARTITIONS, FACT_RETENTION, TopicConfig.CLEANUP_POLICY_DELETE);

    public static final TopicSpec<SpecificRecord> OUTCOMES = new TopicSpec<>(
            "domains.outcomes", EventContract.OUTCOME,
            "Exactly one DomainConnected or DomainFailed per request", "request-ingestor, domain-connector, propagation-watcher",
            List.of("downstream", "request-ingestor (in-flight guard)"),
            PARTITIONS, FACT_RETENTION, TopicConfig.CLEANUP_POLICY_DELETE);

    public static final TopicSpec<byte[]> DEAD_LETTER = new TopicSpec<>(
            "domains.dead-letter", null,
            "Records no stage could read: original key, value and headers plus dlq.* headers", "every stage", List.of("operators"),
            PARTITIONS, Duration.ofDays(30), TopicConfig.CLEANUP_POLICY_DELETE);

    private Topics() {
    }

    /** Every topic, in pipeline order. */
    public static List<TopicSpec<?>> all() {
        return List.of(REQUESTS, RECHECKS, ACCEPTED, CONFIGURED, OWNER_ACTIONS, PROGRESS, OUTCOMES, DEAD_LETTER);
    }
}
