package io.domainlink.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.google.common.base.Ticker;

import io.domainlink.common.DeadLetters;
import io.domainlink.common.Topics;
import io.domainlink.testsupport.Await;
import io.domainlink.testsupport.KafkaCluster;
import io.domainlink.testsupport.KafkaClusterExtension;

/**
 * On a real broker with exactly-once: a processor that throws for one record every time. Its stream thread dies and is
 * replaced, the record is tried {@code processing.attempts.max} times, then dead-lettered, and the records behind it
 * are processed; the instance stays live and ends ready.
 */
@ExtendWith(KafkaClusterExtension.class)
class StreamsSupervisorIT {

    static KafkaCluster kafka;

    @Test
    void aRecordThatAlwaysFailsIsDeadLetteredAfterItsAttemptsAndTheNextRecordIsProcessed() throws Exception {
        kafka.createTopics(1, 1, "in", "out", Topics.DEAD_LETTER.name());
        AtomicInteger poisonAttempts = new AtomicInteger();
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.String()))
                .mapValues(v -> {
                    if (v.equals("poison")) {
                        poisonAttempts.incrementAndGet();
                        throw new IllegalStateException("cannot process " + v);
                    }
                    return v.toUpperCase();
                })
                .to("out", Produced.with(Serdes.String(), Serdes.String()));
        StreamsSupervisor supervisor = new StreamsSupervisor("it-stage", 5, Duration.ofMinutes(10), 3, Duration.ofMinutes(10),
                Ticker.systemTicker());
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "supervisor-it");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        p.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("supervisor-it").toString());
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6_000);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1_000);
        p.put(DeadLetterDeserializationHandler.STAGE_CONFIG, "it-stage");
        supervisor.configure(p);
        KafkaStreams streams = new KafkaStreams(builder.build(), p);
        supervisor.supervise(streams);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(kafka.producerProperties())) {
            for (String v : List.of("a", "poison", "b")) {
                producer.send(new ProducerRecord<>("in", "key", v));
            }
            producer.flush();
        }
        try {
            streams.start();
            List<String> out = new ArrayList<>();
            List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
            try (KafkaConsumer<String, String> outReader = new KafkaConsumer<>(kafka.consumerProperties("out-reader"));
                 KafkaConsumer<String, byte[]> deadReader = new KafkaConsumer<>(kafka.consumerProperties("dead-reader",
                         StringDeserializer.class, ByteArrayDeserializer.class))) {
                outReader.subscribe(List.of("out"));
                deadReader.subscribe(List.of(Topics.DEAD_LETTER.name()));
                Await.until(Duration.ofSeconds(120), "the good records out and the poison one dead-lettered", () -> {
                    outReader.poll(Duration.ofMillis(100)).forEach(r -> out.add(r.value()));
                    deadReader.poll(Duration.ofMillis(100)).forEach(dead::add);
                    return out.size() >= 2 && !dead.isEmpty();
                });
            }
            assertThat(out).containsExactly("A", "B");
            assertThat(dead).hasSize(1);
            assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("poison");
            assertThat(DeadLetters.header(dead.get(0).headers(), DeadLetters.SOURCE_OFFSET)).isEqualTo("1");
            assertThat(DeadLetters.header(dead.get(0).headers(), DeadLetters.STAGE)).isEqualTo("it-stage");
            assertThat(poisonAttempts).as("tried processing.attempts.max times").hasValue(3);
            assertThat(supervisor.live().up()).isTrue();
            Await.until(Duration.ofSeconds(60), "ready", () -> supervisor.ready().up());
        } finally {
            streams.close(Duration.ofSeconds(30));
        }
    }
}
