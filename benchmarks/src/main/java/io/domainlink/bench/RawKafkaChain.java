package io.domainlink.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.domainlink.common.Topics;
import io.domainlink.common.registry.SchemaRegistryClient;

/**
 * The Kafka limit beside the pipeline (item 2a): the same number of records, of the same size (each request's own
 * serialized bytes), pushed through the same number of topic hops as the pipeline's stages
 * (requests → accepted → configured → outcomes: 3 consume-and-produce hops, 6 partitions each) by a plain chain:
 * one consumer → producer relay per hop, acks=all, idempotent, the services' linger and compression, offsets
 * committed asynchronously; no transactions, no Avro decoding, no state, no Wix. The topics are this benchmark's own
 * ({@link #TOPICS}), on the pipeline's broker.
 */
final class RawKafkaChain {

    static final List<String> TOPICS = List.of("bench.raw.hop0", "bench.raw.hop1", "bench.raw.hop2", "bench.raw.hop3");

    record Result(int records, long firstIn, long lastOut) {
        double throughput() {
            return records * 1000.0 / Math.max(1, lastOut - firstIn);
        }
    }

    private RawKafkaChain() {
    }

    static Result run(String bootstrap, SchemaRegistryClient registry, Workload w, Duration timeout) throws Exception {
        createTopics(bootstrap);
        byte[][] values = new byte[w.size()][];
        var serializer = Topics.REQUESTS.valueSerializer(registry, true);
        for (int i = 0; i < w.size(); i++) {
            values[i] = serializer.serialize(Topics.REQUESTS.name(), w.request(i, Instant.now()));
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong delivered = new AtomicLong();
        AtomicLong lastOut = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int hop = 0; hop < 3; hop++) {
            threads.add(relay(bootstrap, TOPICS.get(hop), TOPICS.get(hop + 1), stop));
        }
        Thread sink = new Thread(() -> {
            try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrap, TOPICS.get(3), "sink")) {
                while (!stop.get() && delivered.get() < w.size()) {
                    int got = c.poll(Duration.ofMillis(100)).count();
                    if (got > 0) {
                        delivered.addAndGet(got);
                        lastOut.set(System.currentTimeMillis());
                    }
                }
            }
        }, "bench-raw-sink");
        threads.add(sink);
        threads.forEach(Thread::start);
        Thread.sleep(2000); // relays assigned and positioned before the clock starts
        long firstIn;
        try (KafkaProducer<byte[], byte[]> p = producer(bootstrap, "bench-raw-source")) {
            p.partitionsFor(TOPICS.get(0));
            firstIn = System.currentTimeMillis();
            for (int i = 0; i < w.size(); i++) {
                p.send(new ProducerRecord<>(TOPICS.get(0), w.domain(i).getBytes(), values[i]));
            }
            p.flush();
        }
        sink.join(timeout.toMillis());
        stop.set(true);
        for (Thread t : threads) {
            t.join(10_000);
        }
        if (delivered.get() < w.size()) {
            throw new IllegalStateException("raw chain delivered " + delivered.get() + " of " + w.size() + " within " + timeout);
        }
        return new Result(w.size(), firstIn, lastOut.get());
    }

    private static Thread relay(String bootstrap, String from, String to, AtomicBoolean stop) {
        return new Thread(() -> {
            try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrap, from, "relay-" + from);
                 KafkaProducer<byte[], byte[]> p = producer(bootstrap, "bench-raw-relay-" + from)) {
                while (!stop.get()) {
                    var records = c.poll(Duration.ofMillis(100));
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        p.send(new ProducerRecord<>(to, r.key(), r.value()));
                    }
                    if (!records.isEmpty()) {
                        c.commitAsync();
                    }
                }
            }
        }, "bench-raw-" + from);
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String topic, String group) {
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-raw-" + group,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        c.assign(parts);
        c.seekToBeginning(parts);
        return c;
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap, String clientId) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.CLIENT_ID_CONFIG, clientId,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void createTopics(String bootstrap) throws InterruptedException, ExecutionException, TimeoutException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(TOPICS.stream().map(t -> new NewTopic(t, 6, (short) 1)).toList()).all().get(60, TimeUnit.SECONDS);
        }
    }
}
