package io.domainlink.tools;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import io.domainlink.common.TopicSpec;
import io.domainlink.common.Topics;
import io.domainlink.common.registry.SchemaRegistryClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code domainlink export}: dumps pipeline topics between two times (or offsets) to JSON lines, CSV or Parquet for
 * analysis tools. Values are decoded generically with the writer's schema from the registry.
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Dumps one or more pipeline topics between two timestamps (or offsets) to JSON lines, CSV or Parquet, "
                + "values decoded through the registry with the schema they were written with.",
                "Each row: topic, partition, offset, timestamp, key, schema id and the value. Parquet keeps the Avro schema in the "
                + "file; several topics with csv or parquet give one file per topic (the topic name before the extension)."})
final class ExportCommand implements Callable<Integer> {

    enum Format { jsonl, csv, parquet }

    @Option(names = {"-t", "--topic"}, required = true, paramLabel = "TOPIC",
            description = "topic to export, by name (domains.progress) or fact (progress); repeat for several")
    List<String> topicNames;

    @Option(names = "--from", paramLabel = "TIME", description = "first record time, inclusive: ISO instant, date, now, or a duration ago (24h, 7d); default: the beginning")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "end record time, exclusive; default: the end when the export starts")
    String to;

    @Option(names = "--from-offset", paramLabel = "OFFSET", description = "first offset (inclusive) of every partition read, instead of --from")
    Long fromOffset;

    @Option(names = "--to-offset", paramLabel = "OFFSET", description = "end offset (exclusive) of every partition read, instead of --to")
    Long toOffset;

    @Option(names = {"-p", "--partition"}, paramLabel = "N", description = "only these partitions (repeat); default: all")
    List<Integer> partitions;

    @Option(names = "--format", defaultValue = "jsonl", description = "jsonl, csv or parquet (default: ${DEFAULT-VALUE})")
    Format format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "file to write (required for parquet; default: stdout)")
    Path output;

    @Option(names = "--progress", negatable = true, description = "draw a progress bar on stderr (default: when stderr is a terminal)")
    Boolean progress;

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Spec
    CommandSpec spec;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws IOException {
        List<TopicSpec<?>> topics = new ArrayList<>();
        for (String name : topicNames) {
            topics.add(resolve(name));
        }
        if (format == Format.parquet && output == null) {
            throw new ParameterException(spec.commandLine(), "--format parquet needs --output FILE");
        }
        if (from != null && fromOffset != null || to != null && toOffset != null) {
            throw new ParameterException(spec.commandLine(), "give a time or an offset for each end, not both");
        }
        PrintWriter err = spec.commandLine().getErr();
        long total = 0;
        try (SchemaRegistryClient registry = connection.registry();
             TopicReader reader = new TopicReader(connection.consumer("domainlink-export"))) {
            Map<TopicSpec<?>, Map<TopicPartition, Long>> starts = new HashMap<>();
            Map<TopicSpec<?>, Map<TopicPartition, Long>> ends = new HashMap<>();
            long offsets = 0;
            for (TopicSpec<?> t : topics) {
                List<TopicPartition> tps = reader.partitions(t.name()).stream()
                        .filter(tp -> partitions == null || partitions.contains(tp.partition())).toList();
                Map<TopicPartition, Long> first = reader.beginning(tps);
                Map<TopicPartition, Long> last = reader.end(tps);
                Map<TopicPartition, Long> start = from != null ? reader.offsetsAt(tps, Times.parse(from, clock)) : new HashMap<>(first);
                Map<TopicPartition, Long> end = to != null ? reader.offsetsAt(tps, Times.parse(to, clock)) : new HashMap<>(last);
                for (TopicPartition tp : tps) {
                    if (fromOffset != null) {
                        start.put(tp, Math.max(first.get(tp), Math.min(fromOffset, last.get(tp))));
                    }
                    if (toOffset != null) {
                        end.put(tp, Math.max(first.get(tp), Math.min(toOffset, last.get(tp))));
                    }
                    offsets += Math.max(0, end.get(tp) - start.get(tp));
                }
                starts.put(t, start);
                ends.put(t, end);
            }
            boolean draw = progress != null ? progress : Progress.interactive();
            List<String> summary = new ArrayList<>();
            try (Progress bar = new Progress(System.err, draw, offsets, "offsets")) {
                Writer shared = format == Format.jsonl ? writer(output) : null;
                try {
                    for (TopicSpec<?> t : topics) {
                        Path file = output == null ? null : fileFor(output, t, topics.size());
                        long n = export(t, reader, registry, starts.get(t), ends.get(t), shared, file, bar);
                        total += n;
                        summary.add(String.format(Locale.ROOT, "%s: %,d records%s", t.name(), n,
                                file == null ? "" : n == 0 && format != Format.jsonl ? " (no file written)" : " -> " + file));
                    }
                } finally {
                    if (shared != null && output != null) {
                        shared.close();
                    } else if (shared != null) {
                        shared.flush();
                    }
                }
            }
            summary.forEach(err::println);   // after the bar's last line
        }
        err.printf(Locale.ROOT, "exported %,d records as %s%n", total, format);
        err.flush();
        return 0;
    }

    private long export(TopicSpec<?> topic, TopicReader reader, SchemaRegistryClient registry, Map<TopicPartition, Long> start,
                        Map<TopicPartition, Long> end, Writer shared, Path file, Progress bar) throws IOException {
        WriterSchemaDecoder decoder = new WriterSchemaDecoder(registry, format != Format.parquet);
        ExportSink[] sink = new ExportSink[1];
        Writer[] own = new Writer[1];
        long[] count = new long[1];
        try {
            reader.read(start, end, r -> {
                try {
                    if (r.value() == null) {
                        return;   // a tombstone carries no event
                    }
                    Schema target = sink[0] == null ? null : sink[0].valueSchema();
                    WriterSchemaDecoder.Decoded d = decoder.decode(r.topic(), r.value(), target);
                    if (sink[0] == null) {
                        sink[0] = open(shared, file, d.writer(), own);
                        if (sink[0].valueSchema() != null && d.writer() != sink[0].valueSchema()) {
                            d = decoder.decode(r.topic(), r.value(), sink[0].valueSchema());
                        }
                    }
                    sink[0].write(row(r, d));
                    count[0]++;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, bar::advance);
        } finally {
            if (sink[0] != null) {
                sink[0].close();
            }
            if (own[0] != null) {
                own[0].close();
            }
        }
        return count[0];
    }

    private ExportSink open(Writer shared, Path file, Schema writerSchema, Writer[] own) throws IOException {
        return switch (format) {
            case jsonl -> new ExportSink.JsonLines(shared);
            case csv -> {
                own[0] = writer(file);
                yield new ExportSink.Csv(own[0], writerSchema);
            }
            case parquet -> new ExportSink.Parquet(file, writerSchema);
        };
    }

    private static ExportSink.Row row(ConsumerRecord<byte[], byte[]> r, WriterSchemaDecoder.Decoded d) {
        return new ExportSink.Row(r.topic(), r.partition(), r.offset(), r.timestamp(),
                r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8), d.schemaId(), d.value());
    }

    private Writer writer(Path file) throws IOException {
        if (file == null) {
            return new java.io.FilterWriter(spec.commandLine().getOut()) {
                @Override
                public void close() throws IOException {
                    flush();   // never close stdout
                }
            };
        }
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }

    /** {@code out.parquet} with several topics → {@code out.domains.progress.parquet}. */
    static Path fileFor(Path output, TopicSpec<?> topic, int topics) {
        if (topics == 1) {
            return output;
        }
        String name = output.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String withTopic = dot <= 0 ? name + "." + topic.name() : name.substring(0, dot) + "." + topic.name() + name.substring(dot);
        return output.resolveSibling(withTopic);
    }

    static TopicSpec<?> resolve(String name) {
        for (TopicSpec<?> t : Topics.all()) {
            if (t.name().equals(name) || TimelineCommand.stage(t.name()).equals(name)) {
                if (t.schema().isEmpty()) {
                    throw new IllegalArgumentException(t.name() + " holds raw bytes, not Avro: use `domainlink dlq list` / `dlq show`");
                }
                return t;
            }
        }
        throw new IllegalArgumentException("unknown topic '" + name + "'; pipeline topics: "
                + Topics.all().stream().map(TopicSpec::name).toList());
    }
}
