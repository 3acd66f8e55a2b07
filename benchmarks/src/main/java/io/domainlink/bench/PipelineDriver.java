package io.domainlink.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.avro.specific.SpecificRecord;

import io.domainlink.common.Topics;
import io.domainlink.common.registry.SchemaRegistryClient;
import io.domainlink.events.ConnectionAccepted;
import io.domainlink.events.ConnectionConfigured;
import io.domainlink.events.ConnectionRequested;
import io.domainlink.events.DomainConnected;
import io.domainlink.events.DomainFailed;

/**
 * Drives the running pipeline like an upstream system and a downstream consumer would: publishes a workload's
 * {@code ConnectionRequested} events to {@code domains.requests} (as fast as possible, or at a steady rate), and reads
 * {@code domains.outcomes} with {@code read_committed} until every request has its terminal event. Latency is
 * measured where a user sees it: from the request's send to the terminal event's arrival at the reader (both on this
 * JVM's clock). With {@code stages} on it also reads {@code domains.accepted} and {@code domains.configured} and keeps
 * each event's {@code occurredAt}, which splits the latency into the three services' shares.
 */
final class PipelineDriver {

    /** What one run measured. Times are epoch millis; arrays are indexed by request. */
    record Result(int requests, int connected, Map<String, Integer> failed, int duplicates, long firstSent, long lastSent,
                  long lastTerminal, Stats latency, Stats ingest, Stats connect, Stats watch, Stats visible,
                  double offeredRate) {

        int terminal() {
            return connected + failed.values().stream().mapToInt(Integer::intValue).sum();
        }

        boolean complete() {
            return terminal() == requests;
        }

        /** Connections per second end to end: first request in to last terminal event out. */
        double throughput() {
            return requests * 1000.0 / Math.max(1, lastTerminal - firstSent);
        }

        double seconds() {
            return (lastTerminal - firstSent) / 1000.0;
        }
    }

    private final String bootstrap;
    private final SchemaRegistryClient registry;

    PipelineDriver(String bootstrap, SchemaRegistryClient registry) {
        this.bootstrap = bootstrap;
        this.registry = registry;
    }

    /**
     * @param ratePerSecond 0: publish as fast as the producer takes them; else a steady rate
     * @param stall         give up when no terminal event arrived for this long
     */
    Result run(Workload w, double ratePerSecond, boolean stages, Duration stall) throws InterruptedException {
        int n = w.size();
        long[] sent = new long[n];
        long[] received = new long[n];
        long[] accepted = new long[n];
        long[] configured = new long[n];
        long[] occurred = new long[n];
        byte[] kind = new byte[n]; // 0 none, 1 connected, 2 failed
        Map<String, Integer> failed = new TreeMap<>();
        AtomicInteger terminal = new AtomicInteger();
        AtomicInteger duplicates = new AtomicInteger();
        AtomicReference<Throwable> readerError = new AtomicReference<>();

        List<String> topics = stages ? List.of(Topics.OUTCOMES.name(), Topics.ACCEPTED.name(), Topics.CONFIGURED.name())
                : List.of(Topics.OUTCOMES.name());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000,
                ConsumerConfig.CLIENT_ID_CONFIG, "bench-reader"), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String t : topics) {
                for (PartitionInfo p : consumer.partitionsFor(t)) {
                    partitions.add(new TopicPartition(t, p.partition()));
                }
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position); // resolve "end" now, before anything is published

            Deserializer<SpecificRecord> outcomes = Topics.OUTCOMES.valueDeserializer(registry);
            Deserializer<ConnectionAccepted> acc = Topics.ACCEPTED.valueDeserializer(registry);
            Deserializer<ConnectionConfigured> conf = Topics.CONFIGURED.valueDeserializer(registry);
            Thread reader = new Thread(() -> {
                try {
                    long lastProgress = System.nanoTime();
                    while (terminal.get() < n && System.nanoTime() - lastProgress < stall.toNanos()
                            && !Thread.currentThread().isInterrupted()) {
                        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                            long now = System.currentTimeMillis();
                            int i = w.indexOf(r.key());
                            if (i < 0) {
                                continue;
                            }
                            if (r.topic().equals(Topics.OUTCOMES.name())) {
                                SpecificRecord v = outcomes.deserialize(r.topic(), r.headers(), r.value());
                                if (kind[i] != 0) {
                                    duplicates.incrementAndGet();
                                    continue;
                                }
                                received[i] = now;
                                if (v instanceof DomainConnected c) {
                                    kind[i] = 1;
                                    occurred[i] = c.getOccurredAt().toEpochMilli();
                                } else if (v instanceof DomainFailed f) {
                                    kind[i] = 2;
                                    occurred[i] = f.getOccurredAt().toEpochMilli();
                                    synchronized (failed) {
                                        failed.merge(f.getReason() + " (" + f.getStage() + ")", 1, Integer::sum);
                                    }
                                }
                                terminal.incrementAndGet();
                                lastProgress = System.nanoTime();
                            } else if (r.topic().equals(Topics.ACCEPTED.name())) {
                                accepted[i] = acc.deserialize(r.topic(), r.headers(), r.value()).getOccurredAt().toEpochMilli();
                            } else {
                                configured[i] = conf.deserialize(r.topic(), r.headers(), r.value()).getOccurredAt().toEpochMilli();
                            }
                        }
                    }
                } catch (Throwable t) {
                    readerError.set(t);
                }
            }, "bench-reader");

            Map<String, Object> producerProps = Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.LINGER_MS_CONFIG, 5,
                    ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                    ProducerConfig.CLIENT_ID_CONFIG, "bench-upstream");
            long firstSent;
            long lastSent;
            try (KafkaProducer<String, ConnectionRequested> producer = new KafkaProducer<>(producerProps, new StringSerializer(),
                    Topics.REQUESTS.valueSerializer(registry, true))) {
                // register the schema and connect before the clock starts
                producer.partitionsFor(Topics.REQUESTS.name());
                Topics.REQUESTS.valueSerializer(registry, true).serialize(Topics.REQUESTS.name(), w.request(0, Instant.now()));
                reader.start();
                long t0 = System.nanoTime();
                firstSent = System.currentTimeMillis();
                for (int i = 0; i < n; i++) {
                    if (ratePerSecond > 0) {
                        long due = t0 + (long) (i * 1e9 / ratePerSecond);
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                    }
                    long now = System.currentTimeMillis();
                    sent[i] = now;
                    producer.send(new ProducerRecord<>(Topics.REQUESTS.name(), w.domain(i), w.request(i, Instant.ofEpochMilli(now))));
                }
                producer.flush();
                lastSent = System.currentTimeMillis();
            }
            reader.join();
            if (readerError.get() != null) {
                throw new IllegalStateException("the outcome reader failed: " + readerError.get(), readerError.get());
            }
            long lastTerminal = 0;
            int connected = 0;
            long[] lat = new long[n];
            long[] ing = new long[n];
            long[] con = new long[n];
            long[] wat = new long[n];
            long[] vis = new long[n];
            int nl = 0;
            int ni = 0;
            int nc = 0;
            int nw = 0;
            for (int i = 0; i < n; i++) {
                if (kind[i] == 0) {
                    continue;
                }
                lastTerminal = Math.max(lastTerminal, received[i]);
                if (kind[i] != 1) {
                    continue;
                }
                connected++;
                lat[nl] = received[i] - sent[i];
                vis[nl++] = received[i] - occurred[i];
                if (accepted[i] > 0) {
                    ing[ni++] = accepted[i] - sent[i];
                    if (configured[i] > 0) {
                        con[nc++] = configured[i] - accepted[i];
                        wat[nw++] = occurred[i] - configured[i];
                    }
                }
            }
            double offered = n * 1000.0 / Math.max(1, lastSent - firstSent);
            return new Result(n, connected, failed, duplicates.get(), firstSent, lastSent, lastTerminal == 0 ? firstSent : lastTerminal,
                    Stats.of(lat, nl), Stats.of(ing, ni), Stats.of(con, nc), Stats.of(wat, nw), Stats.of(vis, nl), offered);
        }
    }

    static void sleepQuietly(long ms) {
        try {
            TimeUnit.MILLISECONDS.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
