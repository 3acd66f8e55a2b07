package io.domainlink.deploy;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.domainlink.common.TopicSpec;
import io.domainlink.common.Topics;
import io.domainlink.common.config.ServiceConfig;
import io.domainlink.common.kafka.KafkaDefaults;
import io.domainlink.common.registry.SchemaRegistryClient;

/**
 * Watches every Avro topic of the pipeline from "now" on ({@code read_committed}, no consumer group: partitions are
 * assigned and positioned at their end before anything is submitted), decodes each event and hands it to the
 * {@link ProgressBoard} (printing the progress lines) and to any listener, e.g. the owner simulation.
 */
final class PipelineObserver implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineObserver.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, Deserializer<?>> deserializers = new HashMap<>();
    private final ProgressBoard board;
    private final PrintStream out;
    private final List<Consumer<Object>> listeners;
    private final Clock clock;
    private final Thread thread;
    private volatile boolean running = true;

    PipelineObserver(ServiceConfig config, SchemaRegistryClient registry, ProgressBoard board, PrintStream out,
                     List<Consumer<Object>> listeners, Clock clock) {
        this.board = board;
        this.out = out;
        this.listeners = listeners;
        this.clock = clock;
        Map<String, Object> props = KafkaDefaults.consumer(config, "local-stack-observer", "unused");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);   // assign(), no group: nothing to commit, nothing left behind
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (TopicSpec<?> spec : Topics.all()) {
            if (spec.schema().isEmpty()) {
                continue;   // the dead-letter topic holds raw bytes
            }
            deserializers.put(spec.name(), spec.valueDeserializer(registry));
            consumer.partitionsFor(spec.name(), Duration.ofSeconds(30))
                    .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(tp -> consumer.position(tp, Duration.ofSeconds(30)));   // fix "now" before the first submit
        this.thread = new Thread(this::run, "local-stack-observer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    Object event;
                    try {
                        event = deserializers.get(r.topic()).deserialize(r.topic(), r.value());
                    } catch (RuntimeException e) {
                        LOG.warn("cannot read record topic={} partition={} offset={} error={}", r.topic(), r.partition(), r.offset(), e.toString());
                        continue;
                    }
                    board.apply(event, clock.instant()).ifPresent(line -> {
                        out.println(line);
                        out.flush();
                    });
                    for (Consumer<Object> l : listeners) {
                        try {
                            l.accept(event);
                        } catch (RuntimeException e) {
                            LOG.warn("listener failed on topic={} offset={} error={}", r.topic(), r.offset(), e.toString());
                        }
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("observer stopped: {}", e.toString(), e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
