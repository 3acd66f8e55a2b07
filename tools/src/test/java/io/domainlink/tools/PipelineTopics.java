package io.domainlink.tools;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.domainlink.common.TopicSpec;
import io.domainlink.common.Topics;
import io.domainlink.common.registry.RegistryConfig;
import io.domainlink.common.registry.SchemaRegistryClient;
import io.domainlink.testsupport.KafkaCluster;
import io.domainlink.testsupport.SchemaRegistryProcess;
import picocli.CommandLine;

/**
 * The ITs' side of the pipeline: creates every topic from {@link Topics}, records events on them the way the services
 * do (Confluent-framed Avro, keyed by the normalized domain, record timestamp = the event time), and runs the command
 * line in-process against the same broker and registry, capturing what it prints.
 */
final class PipelineTopics implements AutoCloseable {

    /** What one command run printed, and its exit code. */
    record Run(int exitCode, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    final KafkaCluster kafka;
    final SchemaRegistryProcess registryProcess;
    final SchemaRegistryClient registry;
    private final KafkaProducer<byte[], byte[]> producer;
    private final List<Future<RecordMetadata>> pending = new ArrayList<>();

    PipelineTopics(KafkaCluster kafka, SchemaRegistryProcess registryProcess) {
        this.kafka = kafka;
        this.registryProcess = registryProcess;
        this.registry = new SchemaRegistryClient(RegistryConfig.of(registryProcess.confluentUrl()));
        kafka.createTopics(Topics.all().stream().map(t -> t.newTopic(t.defaultPartitions(), (short) 1, Map.of())).toList());
        this.producer = new KafkaProducer<>(kafka.byteProducerProperties());
    }

    /** Publishes {@code event} on {@code topic} keyed by {@code key}, with the event time as the record timestamp. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    RecordMetadata record(TopicSpec<?> topic, String key, SpecificRecord event, Instant time) {
        byte[] value = ((TopicSpec) topic).valueSerializer(registry, true).serialize(topic.name(), event);
        return send(new ProducerRecord<>(topic.name(), null, time.toEpochMilli(), key.getBytes(StandardCharsets.UTF_8), value));
    }

    /** Like {@link #record} without waiting for each acknowledgement (call {@link #flush} after a batch). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    void recordAsync(TopicSpec<?> topic, String key, SpecificRecord event, Instant time) {
        byte[] value = ((TopicSpec) topic).valueSerializer(registry, true).serialize(topic.name(), event);
        pending.add(producer.send(new ProducerRecord<>(topic.name(), null, time.toEpochMilli(), key.getBytes(StandardCharsets.UTF_8), value)));
    }

    /** Waits for every {@link #recordAsync} since the last flush; fails if any of them was not written. */
    void flush() {
        producer.flush();
        List<Future<RecordMetadata>> sent = new ArrayList<>(pending);
        pending.clear();
        for (Future<RecordMetadata> f : sent) {
            try {
                f.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("a recorded event was not written", e);
            }
        }
    }

    RecordMetadata raw(String topic, Integer partition, byte[] key, byte[] value, Headers headers) {
        return send(new ProducerRecord<>(topic, partition, key, value, headers));
    }

    private RecordMetadata send(ProducerRecord<byte[], byte[]> r) {
        try {
            return producer.send(r).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every committed record of {@code topic}, from the beginning. */
    List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> read(String topic) {
        Map<String, Object> props = kafka.byteConsumerProperties("unused");
        props.remove("group.id");
        List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (var c = new org.apache.kafka.clients.consumer.KafkaConsumer<>(props, new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            List<org.apache.kafka.common.TopicPartition> tps = c.partitionsFor(topic).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<org.apache.kafka.common.TopicPartition, Long> end = c.endOffsets(tps);
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                c.poll(java.time.Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /** Runs {@code domainlink <args> --bootstrap-servers ... --registry-url ...}. */
    Run cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--bootstrap-servers");
        all.add(kafka.bootstrapServers());
        all.add("--registry-url");
        all.add(registryProcess.confluentUrl());
        return run(all.toArray(String[]::new));
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = DomainlinkCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Override
    public void close() {
        producer.close();
        registry.close();
    }
}
