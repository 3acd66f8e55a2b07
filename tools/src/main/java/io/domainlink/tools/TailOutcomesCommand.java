package io.domainlink.tools;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.domainlink.common.Topics;
import io.domainlink.common.config.ServiceConfig;
import io.domainlink.common.kafka.KafkaDefaults;
import io.domainlink.common.registry.SchemaRegistryClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code local-stack tail-outcomes}: prints every DomainConnected / DomainFailed as one JSON line as it arrives. */
@Command(name = "tail-outcomes", mixinStandardHelpOptions = true,
        description = "Prints outcome events (DomainConnected, DomainFailed) of a running stack as JSON lines, as they arrive, until Ctrl-C.")
public final class TailOutcomesCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions client = new ConnectionOptions();

    @Option(names = "--from-beginning", description = "start with the oldest outcome kept, not with the next one")
    boolean fromBeginning;

    @Option(names = "--max", defaultValue = "0", description = "stop after this many outcomes (0: never)")
    int max;

    @Override
    public Integer call() {
        ServiceConfig config = client.config("domainlink-tail");
        Map<String, Object> props = KafkaDefaults.consumer(config, "domainlink-tail-outcomes", "unused");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        AtomicBoolean stopping = new AtomicBoolean();
        try (SchemaRegistryClient registry = KafkaDefaults.registry(config);
             KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                     new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            Deserializer<SpecificRecord> values = Topics.OUTCOMES.valueDeserializer(registry);
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.OUTCOMES.name(), Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            Thread main = Thread.currentThread();
            Thread hook = new Thread(() -> {
                stopping.set(true);
                consumer.wakeup();
                try {
                    main.join(5000);
                } catch (InterruptedException ignored) {
                    // exiting anyway
                }
            }, "tail-outcomes-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            System.err.println("Waiting for outcomes on " + Topics.OUTCOMES.name() + " at " + client.bootstrapServers + " (Ctrl-C to stop) since "
                    + (fromBeginning ? "the beginning" : Instant.now()));
            int seen = 0;
            try {
                while (max == 0 || seen < max) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        try {
                            System.out.println(AvroJson.line((IndexedRecord) values.deserialize(r.topic(), r.value())));
                        } catch (RuntimeException e) {
                            System.err.println("unreadable outcome at " + r.topic() + "-" + r.partition() + "@" + r.offset() + ": " + e.getMessage());
                        }
                        System.out.flush();
                        seen++;
                    }
                }
            } catch (WakeupException e) {
                // Ctrl-C
            }
            if (!stopping.get()) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        }
        return 0;
    }
}
