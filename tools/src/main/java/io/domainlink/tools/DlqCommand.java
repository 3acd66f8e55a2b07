package io.domainlink.tools;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.domainlink.common.Topics;
import io.domainlink.common.serde.ConfluentWireFormat;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code domainlink dlq list | show | redrive}: the dead-letter topic for operators. */
@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = "Inspects dead-letter records (source, stage, error, original headers) and re-publishes selected ones to their "
                + "source topic after a fix, recording each redrive on the dead-letter topic.",
        subcommands = {DlqCommand.ListCommand.class, DlqCommand.ShowCommand.class, DlqCommand.RedriveCommand.class})
final class DlqCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** Which dead letters a command applies to. */
    static final class Filter {
        @Option(names = "--source-topic", paramLabel = "TOPIC", description = "only dead letters from this topic")
        String sourceTopic;

        @Option(names = "--kind", paramLabel = "KIND", description = "only this dlq.error.kind (UNKNOWN_MAGIC_BYTE, UNKNOWN_SCHEMA_ID, UNREADABLE_SCHEMA, UNDECODABLE_PAYLOAD)")
        String kind;

        @Option(names = "--since", paramLabel = "TIME", description = "only dead letters written since (ISO instant, date, or a duration ago such as 24h)")
        String since;

        boolean accepts(DeadLetter d) {
            return (sourceTopic == null || sourceTopic.equals(d.sourceTopic())) && (kind == null || kind.equalsIgnoreCase(d.errorKind()));
        }
    }

    /** Every dead letter of the topic (or since a time), and the redrive markers by the dead letter they name. */
    record Scan(List<DeadLetter> letters, Map<String, List<DeadLetter.Marker>> redrives) {
    }

    static Scan scan(ConnectionOptions connection, String since, Clock clock) {
        List<DeadLetter> letters = new ArrayList<>();
        Map<String, List<DeadLetter.Marker>> redrives = new LinkedHashMap<>();
        try (TopicReader reader = new TopicReader(connection.consumer("domainlink-dlq"))) {
            List<TopicPartition> tps = reader.partitions(Topics.DEAD_LETTER.name());
            Map<TopicPartition, Long> start = since == null ? reader.beginning(tps) : reader.offsetsAt(tps, Times.parse(since, clock));
            reader.read(start, reader.end(tps), r -> {
                DeadLetter d = DeadLetter.of(r);
                if (d.isMarker()) {
                    redrives.computeIfAbsent(d.marker().partition() + "@" + d.marker().offset(), k -> new ArrayList<>()).add(d.marker());
                } else {
                    letters.add(d);
                }
            }, n -> { });
        }
        return new Scan(letters, redrives);
    }

    static String shorten(String s, int max) {
        if (s == null) {
            return "-";
        }
        String one = s.replace('\n', ' ');
        return one.length() <= max ? one : one.substring(0, max - 1) + "…";
    }

    @Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Lists dead letters: id (partition@offset on the dead-letter topic), when, source topic-partition@offset, stage, "
                    + "error kind, key, when it was re-driven, and the error message.")
    static final class ListCommand implements Callable<Integer> {
        @ArgGroup(exclusive = false)
        Filter filter = new Filter();

        @Option(names = "--not-redriven", description = "only dead letters never re-driven")
        boolean notRedriven;

        @Mixin
        ConnectionOptions connection = new ConnectionOptions();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Scan scan = scan(connection, filter.since, Clock.systemUTC());
            Table t = new Table("ID", "FAILED AT", "SOURCE", "STAGE", "KIND", "KEY", "REDRIVEN", "ERROR");
            for (DeadLetter d : scan.letters()) {
                List<DeadLetter.Marker> redriven = scan.redrives().getOrDefault(d.id(), List.of());
                if (!filter.accepts(d) || notRedriven && !redriven.isEmpty()) {
                    continue;
                }
                t.row(d.id(), d.failedAt(), d.source(), d.stage(), d.errorKind(), shorten(d.keyText(), 40),
                        redriven.isEmpty() ? "-" : redriven.get(redriven.size() - 1).at() + (redriven.size() > 1 ? " (x" + redriven.size() + ")" : ""),
                        shorten(d.errorMessage(), 100));
            }
            t.print(out);
            out.printf("%d dead letters (%d shown), %d re-driven%n", scan.letters().size(), t.size(), scan.redrives().size());
            out.flush();
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Shows dead letters in full: source, stage, error, every original header, the key, the value (size, schema id "
                    + "when Confluent-framed, hex of the first bytes) and each redrive.")
    static final class ShowCommand implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "PARTITION@OFFSET", description = "dead letters to show, e.g. 3@17 (ids from dlq list)")
        List<String> ids;

        @Mixin
        ConnectionOptions connection = new ConnectionOptions();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Scan scan = scan(connection, null, Clock.systemUTC());
            int missing = 0;
            for (String id : ids) {
                DeadLetter d = find(scan, id);
                if (d == null) {
                    spec.commandLine().getErr().println("no dead letter " + id + " on " + Topics.DEAD_LETTER.name());
                    missing++;
                    continue;
                }
                out.println("dead letter " + d.id() + " on " + Topics.DEAD_LETTER.name());
                out.println("  failed at      " + d.failedAt());
                out.println("  source         " + d.source());
                out.println("  stage          " + d.stage());
                out.println("  error          " + d.errorKind() + " (" + d.errorClass() + ")");
                out.println("  message        " + d.errorMessage());
                out.println("  key            " + (d.key() == null ? "(none)" : d.keyText()));
                out.println("  value          " + describeValue(d.value()));
                out.println("  headers");
                for (Header h : d.headers()) {
                    out.println("    " + h.key() + " = " + (h.value() == null ? "(null)" : printable(h.value())));
                }
                List<DeadLetter.Marker> redriven = scan.redrives().getOrDefault(d.id(), List.of());
                out.println("  redriven       " + (redriven.isEmpty() ? "never" : ""));
                redriven.forEach(m -> out.println("    at " + m.at() + " to " + m.to() + (m.by() == null ? "" : " by " + m.by())));
                out.println();
            }
            out.flush();
            spec.commandLine().getErr().flush();
            return missing == 0 ? 0 : 1;
        }

        static String describeValue(byte[] v) {
            if (v == null) {
                return "(null)";
            }
            StringBuilder sb = new StringBuilder(v.length + " bytes");
            if (v.length >= ConfluentWireFormat.HEADER_SIZE && v[0] == ConfluentWireFormat.MAGIC_BYTE) {
                sb.append(", Confluent frame, schema id ").append(ConfluentWireFormat.schemaId(v));
            } else {
                sb.append(", not Confluent-framed");
            }
            byte[] head = java.util.Arrays.copyOf(v, Math.min(v.length, 48));
            sb.append(", first bytes ").append(HexFormat.ofDelimiter(" ").formatHex(head)).append(v.length > 48 ? " …" : "");
            return sb.toString();
        }

        private static String printable(byte[] b) {
            String s = new String(b, StandardCharsets.UTF_8);
            return s.chars().allMatch(c -> c >= 0x20 && c != 0xFFFD || c == '\t') ? s : "0x" + HexFormat.of().formatHex(b);
        }
    }

    static DeadLetter find(Scan scan, String id) {
        return scan.letters().stream().filter(d -> d.id().equals(id.trim())).findFirst().orElse(null);
    }

    @Command(name = "redrive", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Re-publishes dead letters to their source topic (original key, value and headers, minus dlq.*, plus "
                    + "dlq.redriven.at, dlq.redriven.from.partition and dlq.redriven.from.offset), once the cause is fixed.",
                    "Each redrive and a marker record on the dead-letter topic are written in one Kafka transaction, so a dead letter "
                    + "re-driven before is refused unless --force."})
    static final class RedriveCommand implements Callable<Integer> {
        @Parameters(arity = "0..*", paramLabel = "PARTITION@OFFSET", description = "dead letters to re-drive (ids from dlq list)")
        List<String> ids = new ArrayList<>();

        @Option(names = "--all", description = "every dead letter matching the filters (and never re-driven, unless --force)")
        boolean all;

        @ArgGroup(exclusive = false)
        Filter filter = new Filter();

        @Option(names = "--force", description = "re-drive even if re-driven before")
        boolean force;

        @Option(names = "--dry-run", description = "only say what would be re-driven")
        boolean dryRun;

        @Option(names = "--transactional-id", defaultValue = "domainlink-cli-dlq-redrive",
                description = "transactional id of the redrive producer (default: ${DEFAULT-VALUE})")
        String transactionalId;

        @Mixin
        ConnectionOptions connection = new ConnectionOptions();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (ids.isEmpty() && !all) {
                err.println("name dead letters (PARTITION@OFFSET, see dlq list) or use --all with filters");
                err.flush();
                return 2;
            }
            Scan scan = scan(connection, filter.since, Clock.systemUTC());
            List<DeadLetter> selected = new ArrayList<>();
            int refused = 0;
            List<DeadLetter> candidates = new ArrayList<>();
            if (all) {
                scan.letters().stream().filter(filter::accepts).forEach(candidates::add);
            }
            for (String id : ids) {
                DeadLetter d = find(scan, id);
                if (d == null) {
                    err.println("refused " + id + ": no such dead letter on " + Topics.DEAD_LETTER.name());
                    refused++;
                } else if (!candidates.contains(d)) {
                    candidates.add(d);
                }
            }
            for (DeadLetter d : candidates) {
                List<DeadLetter.Marker> before = scan.redrives().getOrDefault(d.id(), List.of());
                if (d.sourceTopic() == null) {
                    err.println("refused " + d.id() + ": it has no " + io.domainlink.common.DeadLetters.SOURCE_TOPIC + " header");
                    refused++;
                } else if (!before.isEmpty() && !force) {
                    DeadLetter.Marker last = before.get(before.size() - 1);
                    if (!all) {
                        err.println("refused " + d.id() + ": re-driven already at " + last.at() + " to " + last.to() + " (--force to re-drive again)");
                        refused++;
                    }
                } else {
                    selected.add(d);
                }
            }
            if (dryRun) {
                selected.forEach(d -> out.println("would re-drive " + d.id() + " (from " + d.source() + ", " + d.errorKind() + ") to " + d.sourceTopic()));
            } else if (!selected.isEmpty()) {
                redrive(selected, out);
            }
            out.println((dryRun ? "would re-drive " : "re-drove ") + selected.size() + ", refused " + refused);
            out.flush();
            err.flush();
            return refused == 0 ? 0 : 1;
        }

        private void redrive(List<DeadLetter> selected, PrintWriter out) throws InterruptedException, ExecutionException {
            Map<String, Object> props = connection.producerProperties("domainlink-dlq-redrive");
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
            String now = Instant.now().toString();
            String by = System.getProperty("user.name", "unknown");
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.initTransactions();
                producer.beginTransaction();
                Map<DeadLetter, Future<RecordMetadata>> sent = new LinkedHashMap<>();
                try {
                    for (DeadLetter d : selected) {
                        sent.put(d, producer.send(new ProducerRecord<>(d.sourceTopic(), null, d.key(), d.value(), republishedHeaders(d, now))));
                    }
                    producer.flush();
                    for (Map.Entry<DeadLetter, Future<RecordMetadata>> e : sent.entrySet()) {
                        DeadLetter d = e.getKey();
                        RecordMetadata m = e.getValue().get();
                        Headers marker = new RecordHeaders();
                        marker.add(DeadLetter.REDRIVE_OF_PARTITION, bytes(Integer.toString(d.partition())));
                        marker.add(DeadLetter.REDRIVE_OF_OFFSET, bytes(Long.toString(d.offset())));
                        marker.add(DeadLetter.REDRIVEN_AT, bytes(now));
                        marker.add(DeadLetter.REDRIVEN_TO, bytes(m.topic() + "-" + m.partition() + "@" + m.offset()));
                        marker.add(DeadLetter.REDRIVEN_BY, bytes(by));
                        producer.send(new ProducerRecord<>(Topics.DEAD_LETTER.name(), d.partition(), d.key(), null, marker));
                    }
                    producer.commitTransaction();
                } catch (RuntimeException | ExecutionException e) {
                    producer.abortTransaction();
                    throw e;
                }
                for (Map.Entry<DeadLetter, Future<RecordMetadata>> e : sent.entrySet()) {
                    RecordMetadata m = e.getValue().get();
                    out.println("re-drove " + e.getKey().id() + " (from " + e.getKey().source() + ") -> " + m.topic() + "-" + m.partition() + "@" + m.offset());
                }
            }
        }

        /** The original headers without {@code dlq.*}, plus where and when it was re-driven from. */
        static Headers republishedHeaders(DeadLetter d, String now) {
            Headers h = new RecordHeaders();
            for (Header x : d.headers()) {
                if (!x.key().startsWith("dlq.")) {
                    h.add(x);
                }
            }
            h.add(DeadLetter.REDRIVEN_AT, bytes(now));
            h.add(DeadLetter.REDRIVEN_FROM_PARTITION, bytes(Integer.toString(d.partition())));
            h.add(DeadLetter.REDRIVEN_FROM_OFFSET, bytes(Long.toString(d.offset())));
            return h;
        }

        private static byte[] bytes(String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
    }
}
