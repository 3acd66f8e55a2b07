package io.domainlink.tools;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

import io.domainlink.common.DomainNames;
import io.domainlink.common.Topics;
import io.domainlink.common.config.ServiceConfig;
import io.domainlink.common.kafka.KafkaDefaults;
import io.domainlink.common.registry.SchemaRegistryClient;
import io.domainlink.events.ConnectionRequested;

/**
 * Publishes {@link ConnectionRequested} events on {@link Topics#REQUESTS} the way an upstream system does: Avro in the
 * Confluent wire format (schema registered on first use), keyed by the normalized domain, {@code acks=all}, idempotent.
 */
public final class RequestSubmitter implements AutoCloseable {

    private final KafkaProducer<String, ConnectionRequested> producer;

    public RequestSubmitter(ServiceConfig config, SchemaRegistryClient registry) {
        this(config, registry, "local-stack-submitter");
    }

    public RequestSubmitter(ServiceConfig config, SchemaRegistryClient registry, String clientId) {
        this.producer = new KafkaProducer<>(KafkaDefaults.producer(config, clientId), new StringSerializer(),
                Topics.REQUESTS.valueSerializer(registry, true));
    }

    /** Sends and waits for the broker's acknowledgement. */
    public RecordMetadata submit(ConnectionRequested request) {
        try {
            return producer.send(new ProducerRecord<>(Topics.REQUESTS.name(), key(request.getDomain()), request))
                    .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while submitting " + request.getRequestId(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not submit request " + request.getRequestId() + ": " + e.getMessage(), e);
        }
    }

    public void submitAll(List<ConnectionRequested> requests) {
        requests.forEach(this::submit);
    }

    /** The normalized domain when it is one; else the raw text lower-cased (the ingestor rejects it and says why). */
    public static String key(String domain) {
        try {
            return DomainNames.normalize(domain);
        } catch (IllegalArgumentException e) {
            return domain == null ? "" : domain.trim().toLowerCase(Locale.ROOT);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
