package io.domainlink.tools;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.domainlink.common.DomainNames;
import io.domainlink.common.TopicSpec;
import io.domainlink.common.Topics;
import io.domainlink.common.registry.SchemaRegistryClient;
import io.domainlink.events.ConnectionRequested;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code domainlink timeline <domain>}: every event about one domain, from every pipeline topic, in the order it
 * happened. Keys are the normalized domain, so only the one partition each topic sends that key to is read.
 */
@Command(name = "timeline", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Prints one domain's events from every pipeline topic (requests, rechecks, accepted, configured, owner-actions, "
                + "progress, outcomes, dead-letter) in the order they happened, across all its requests: a table (time, stage, event, "
                + "request, generation, key facts) or JSON lines.",
                "Reads only the partition the domain's key is sent to on each topic (murmur2, as the default partitioner)."})
final class TimelineCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DOMAIN", description = "the domain, in any spelling (normalized as the pipeline does: lower case, punycode, no trailing dot)")
    String domain;

    @Option(names = "--json", description = "one JSON object per event (topic, partition, offset, timestamp, the event) instead of the table")
    boolean json;

    @Option(names = {"-f", "--follow"}, description = "after the history, keep printing new events as they arrive, until Ctrl-C")
    boolean follow;

    @Option(names = "--all-partitions", description = "read every partition (for requests an upstream keyed by another spelling of the domain)")
    boolean allPartitions;

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Spec
    CommandSpec spec;

    /** One line of the timeline. */
    record Entry(int topicOrder, String stage, ConsumerRecord<byte[], byte[]> record, Instant time, String event,
                 String requestId, Long generation, String facts, ObjectNode json) {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String normalized = normalize(domain);
        byte[] key = normalized.getBytes(StandardCharsets.UTF_8);
        List<TopicSpec<?>> topics = Topics.all();
        try (SchemaRegistryClient registry = connection.registry();
             TopicReader reader = new TopicReader(connection.consumer("domainlink-timeline"))) {
            Map<String, Deserializer<? extends SpecificRecord>> decoders = new HashMap<>();
            Map<TopicPartition, Long> start = new HashMap<>();
            for (TopicSpec<?> t : topics) {
                if (t.schema().isPresent()) {
                    decoders.put(t.name(), specific(t, registry));
                }
                List<TopicPartition> tps = reader.partitions(t.name());
                List<TopicPartition> chosen = allPartitions ? tps : List.of(tps.get(TopicReader.partitionFor(key, tps.size())));
                reader.beginning(chosen).forEach(start::put);
            }
            Map<TopicPartition, Long> end = reader.end(start.keySet());
            List<Entry> entries = new ArrayList<>();
            reader.read(start, end, r -> match(r, normalized, key, decoders).ifPresent(entries::add), n -> { });
            entries.sort(Comparator.comparing(Entry::time).thenComparingInt(Entry::topicOrder)
                    .thenComparingLong(e -> e.record().offset()));
            if (json) {
                entries.forEach(e -> out.println(AvroJson.write(e.json())));
                out.flush();
            } else {
                Table table = new Table("TIME", "STAGE", "EVENT", "REQUEST", "GEN", "FACTS").alignRight(4);
                entries.forEach(e -> row(table, e));
                if (table.size() == 0 && !follow) {
                    spec.commandLine().getErr().println("No events for " + normalized + " on " + topics.size() + " topics.");
                    spec.commandLine().getErr().flush();
                    return 1;
                }
                table.print(out);
            }
            if (follow) {
                AtomicBoolean stop = new AtomicBoolean();
                Thread main = Thread.currentThread();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    stop.set(true);
                    reader.consumer().wakeup();
                    try {
                        main.join(5000);
                    } catch (InterruptedException ignored) {
                        // exiting anyway
                    }
                }, "timeline-follow-shutdown"));
                spec.commandLine().getErr().println("Following " + normalized + " (Ctrl-C to stop) ...");
                spec.commandLine().getErr().flush();
                reader.follow(end, r -> match(r, normalized, key, decoders).ifPresent(e -> {
                    if (json) {
                        out.println(AvroJson.write(e.json()));
                    } else {
                        out.println(line(e));
                    }
                    out.flush();
                }), stop::get);
            }
        }
        return 0;
    }

    static String normalize(String domain) {
        try {
            return DomainNames.normalize(domain);
        } catch (IllegalArgumentException e) {
            return domain.trim().toLowerCase(Locale.ROOT);
        }
    }

    @SuppressWarnings("unchecked")
    private static Deserializer<? extends SpecificRecord> specific(TopicSpec<?> t, SchemaRegistryClient registry) {
        return (Deserializer<? extends SpecificRecord>) t.valueDeserializer(registry);
    }

    private static java.util.Optional<Entry> match(ConsumerRecord<byte[], byte[]> r, String domain, byte[] key,
                                                   Map<String, Deserializer<? extends SpecificRecord>> decoders) {
        int order = order(r.topic());
        String stage = stage(r.topic());
        boolean keyMatches = r.key() != null && Arrays.equals(r.key(), key);
        if (r.topic().equals(Topics.DEAD_LETTER.name())) {
            if (!keyMatches) {
                return java.util.Optional.empty();
            }
            DeadLetter d = DeadLetter.of(r);
            String facts = d.isMarker()
                    ? "dead letter " + d.marker().partition() + "@" + d.marker().offset() + " re-driven to " + d.marker().to()
                    : "dead-lettered from " + d.source() + " by " + d.stage() + ": " + d.errorKind() + " " + d.errorMessage();
            ObjectNode j = base(r);
            j.put("event", d.isMarker() ? "Redriven" : "DeadLetter");
            j.put("facts", facts);
            return java.util.Optional.of(new Entry(order, stage, r, d.isMarker() ? d.marker().at() : d.failedAt(),
                    d.isMarker() ? "Redriven" : "DeadLetter", null, null, facts, j));
        }
        boolean requests = r.topic().equals(Topics.REQUESTS.name());
        if (!keyMatches && !requests) {
            return java.util.Optional.empty();   // another domain on the same partition
        }
        SpecificRecord value;
        try {
            value = r.value() == null ? null : decoders.get(r.topic()).deserialize(r.topic(), r.value());
        } catch (RuntimeException e) {
            if (!keyMatches) {
                return java.util.Optional.empty();
            }
            ObjectNode j = base(r);
            j.put("event", "Unreadable");
            j.put("facts", e.getMessage());
            return java.util.Optional.of(new Entry(order, stage, r, Instant.ofEpochMilli(r.timestamp()), "Unreadable", null, null,
                    "cannot decode: " + e.getMessage(), j));
        }
        if (value == null) {
            return java.util.Optional.empty();
        }
        if (requests && !normalize(((ConnectionRequested) value).getDomain()).equals(domain)) {
            return java.util.Optional.empty();   // upstream keys are untrusted: the request's own domain decides
        }
        EventFacts f = EventFacts.of(value);
        ObjectNode j = base(r);
        j.set("event", AvroJson.event(value));
        Instant time = f.time() != null ? f.time() : Instant.ofEpochMilli(r.timestamp());
        return java.util.Optional.of(new Entry(order, stage, r, time, f.event(), f.requestId(),
                f.generation() > 0 ? f.generation() : null, f.facts(), j));
    }

    private static ObjectNode base(ConsumerRecord<byte[], byte[]> r) {
        ObjectNode j = AvroJson.JSON.createObjectNode();
        j.put("topic", r.topic());
        j.put("partition", r.partition());
        j.put("offset", r.offset());
        j.put("timestamp", Instant.ofEpochMilli(r.timestamp()).toString());
        return j;
    }

    private static void row(Table table, Entry e) {
        table.row(e.time(), e.stage(), e.event(), e.requestId(), e.generation(), e.facts());
    }

    private static String line(Entry e) {
        return e.time() + "  " + e.stage() + "  " + e.event() + "  " + (e.requestId() == null ? "-" : e.requestId())
                + "  " + (e.generation() == null ? "-" : e.generation()) + "  " + e.facts();
    }

    static int order(String topic) {
        List<TopicSpec<?>> all = Topics.all();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).name().equals(topic)) {
                return i;
            }
        }
        return all.size();
    }

    /** {@code domains.owner-actions} → {@code owner-actions}: the fact part of the topic name. */
    static String stage(String topic) {
        int dot = topic.indexOf('.');
        return dot < 0 ? topic : topic.substring(dot + 1);
    }
}
