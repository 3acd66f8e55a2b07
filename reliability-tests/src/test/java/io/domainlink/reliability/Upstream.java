package io.domainlink.reliability;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.domainlink.common.TopicSpec;
import io.domainlink.common.Topics;
import io.domainlink.common.registry.SchemaRegistryClient;
import io.domainlink.common.serde.AvroSerializer;
import io.domainlink.events.ConnectionRequested;
import io.domainlink.testsupport.KafkaCluster;

/**
 * Publishes what the pipeline's inputs receive: requests and rechecks as an upstream system would (Confluent wire
 * format, subject {@code <topic>-value}, acks=all, idempotent), raw bytes for poison records, and events written with
 * another (newer) schema. Every send returns where the record landed, which is what the verifier matches dead letters by.
 */
final class Upstream implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final SchemaRegistryClient registry;

    Upstream(KafkaCluster kafka, SchemaRegistryClient registry) {
        Map<String, Object> props = kafka.byteProducerProperties();
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);   // outlives a broker restart
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "reliability-upstream");
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.registry = registry;
    }

    /** Publishes the requests, keyed as upstream keys them (the domain as typed), and waits for every ack. */
    List<RecordMetadata> requests(List<ConnectionRequested> requests) {
        var serializer = Topics.REQUESTS.valueSerializer(registry, true);
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (ConnectionRequested r : requests) {
            sent.add(producer.send(new ProducerRecord<>(Topics.REQUESTS.name(), bytes(r.getDomain()),
                    serializer.serialize(Topics.REQUESTS.name(), r))));
        }
        return acks(sent);
    }

    RecordMetadata request(ConnectionRequested r) {
        return requests(List.of(r)).get(0);
    }

    /** An Avro event of this build's schema on any topic, keyed by {@code key}. */
    <V> RecordMetadata event(TopicSpec<V> topic, String key, V value) {
        return raw(topic.name(), key, topic.valueSerializer(registry, true).serialize(topic.name(), value));
    }

    /** A record written with another schema (registered under the topic's subject), e.g. a newer one. */
    RecordMetadata generic(TopicSpec<?> topic, String key, Schema writerSchema, GenericRecord value) {
        AvroSerializer<GenericRecord> serializer = new AvroSerializer<>(registry, writerSchema, true);
        return raw(topic.name(), key, serializer.serialize(topic.name(), value));
    }

    RecordMetadata raw(String topic, String key, byte[] value) {
        return acks(List.of(producer.send(new ProducerRecord<>(topic, key == null ? null : bytes(key), value)))).get(0);
    }

    /** Raw bytes onto one partition (a poison record placed where the next good record will follow it). */
    RecordMetadata raw(String topic, int partition, String key, byte[] value) {
        return acks(List.of(producer.send(new ProducerRecord<>(topic, partition, key == null ? null : bytes(key), value)))).get(0);
    }

    /** The partition Kafka's default partitioner picks for a key on a topic with {@code partitions} partitions. */
    static int partitionOf(String key, int partitions) {
        return org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(bytes(key))) % partitions;
    }

    private static List<RecordMetadata> acks(List<Future<RecordMetadata>> sent) {
        List<RecordMetadata> out = new ArrayList<>(sent.size());
        try {
            for (Future<RecordMetadata> f : sent) {
                out.add(f.get(310, TimeUnit.SECONDS));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("upstream publish failed: " + e, e);
        }
        return out;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close();
    }
}
