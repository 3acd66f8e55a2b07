package io.domainlink.tools;

import static io.domainlink.tools.Events.connected;
import static io.domainlink.tools.Events.context;
import static io.domainlink.tools.Events.failed;
import static io.domainlink.tools.Events.progress;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.domainlink.common.Topics;
import io.domainlink.events.FailureReason;
import io.domainlink.events.Flow;
import io.domainlink.events.PropagationStatus;
import io.domainlink.events.RequestContext;
import io.domainlink.events.Stage;
import io.domainlink.testsupport.KafkaCluster;
import io.domainlink.testsupport.KafkaClusterExtension;
import io.domainlink.testsupport.SchemaRegistryExtension;
import io.domainlink.testsupport.SchemaRegistryProcess;

/** {@code export} on the real broker and registry: row counts per window and format, and every row decodes. */
@ExtendWith({KafkaClusterExtension.class, SchemaRegistryExtension.class})
class ExportIT {

    static final Instant T0 = Instant.parse("2026-11-20T00:00:00Z");
    static final int DOMAINS = 120;

    static KafkaCluster kafka;
    static SchemaRegistryProcess registryProcess;
    static PipelineTopics topics;

    @TempDir
    static Path dir;

    /** 120 domains, one per minute: two progress events each, one outcome each (every 10th failed). */
    @BeforeAll
    static void record() {
        topics = new PipelineTopics(kafka, registryProcess);
        for (int i = 0; i < DOMAINS; i++) {
            String domain = "d" + i + ".example.com";
            Instant t = T0.plusSeconds(60L * i);
            RequestContext c = context("r" + i, domain, i % 2 == 0 ? Flow.POINTING : Flow.NAMESERVERS, 1);
            topics.recordAsync(Topics.PROGRESS, domain, progress(c, null, PropagationStatus.IN_PROGRESS, 1, t), t);
            topics.recordAsync(Topics.PROGRESS, domain, progress(c, PropagationStatus.IN_PROGRESS, PropagationStatus.COMPLETED, 2, t.plusSeconds(5)), t.plusSeconds(5));
            if (i % 10 == 0) {
                topics.recordAsync(Topics.OUTCOMES, domain, failed(c, FailureReason.PROPAGATION_TIMEOUT, Stage.WATCHER, t.plusSeconds(5)), t.plusSeconds(5));
            } else {
                topics.recordAsync(Topics.OUTCOMES, domain, connected(c, t.minusSeconds(10), t.plusSeconds(5), 2), t.plusSeconds(5));
            }
        }
        topics.flush();
    }

    @AfterAll
    static void close() {
        topics.close();
    }

    @Test
    void parquetHoldsEveryRecordOfTheWindowWithTheWritersSchemaAndReadsBackWithAvroParquetReader() throws Exception {
        Path file = dir.resolve("progress.parquet");
        // the first hour: domains 0..59, two progress events each
        PipelineTopics.Run run = topics.cli("export", "--topic", "progress", "--from", "2026-11-20T00:00:00Z", "--to", "2026-11-20T01:00:00Z",
                "--format", "parquet", "--output", file.toString(), "--progress");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("domains.progress: 120 records -> " + file).contains("exported 120 records as parquet");
        List<GenericRecord> rows = new ArrayList<>();
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file),
                new PlainParquetConfiguration()).build()) {
            for (GenericRecord r; (r = reader.read()) != null; ) {
                rows.add(r);
            }
        }
        assertThat(rows).hasSize(120);
        Schema value = rows.get(0).getSchema().getField("value").schema();
        assertThat(value.getFullName()).isEqualTo("io.domainlink.events.PropagationProgress");
        assertThat(value.getField("context").schema().getField("requestId")).isNotNull();
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.get("topic").toString()).isEqualTo(Topics.PROGRESS.name());
            GenericRecord v = (GenericRecord) r.get("value");
            assertThat(r.get("key").toString()).isEqualTo(((GenericRecord) v.get("context")).get("domain").toString());
            assertThat(v.get("status").toString()).isIn("IN_PROGRESS", "COMPLETED");
            Object ts = r.get("timestamp");   // timestamp-millis: AvroParquetReader hands back an Instant
            assertThat(ts instanceof Instant i ? i : Instant.ofEpochMilli((Long) ts)).isBetween(T0, T0.plusSeconds(3599));
        });
        assertThat(rows.stream().map(r -> ((GenericRecord) ((GenericRecord) r.get("value")).get("context")).get("requestId").toString()).distinct())
                .hasSize(60);
    }

    @Test
    void theOutcomeUnionExportsToParquetToo() throws Exception {
        Path file = dir.resolve("outcomes.parquet");
        PipelineTopics.Run run = topics.cli("export", "--topic", Topics.OUTCOMES.name(), "--format", "parquet", "--output", file.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        int failed = 0;
        int total = 0;
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file),
                new PlainParquetConfiguration()).build()) {
            for (GenericRecord r; (r = reader.read()) != null; ) {
                total++;
                if (((GenericRecord) r.get("value")).getSchema().getName().equals("DomainFailed")) {
                    failed++;
                }
            }
        }
        assertThat(total).isEqualTo(DOMAINS);
        assertThat(failed).isEqualTo(DOMAINS / 10);
    }

    @Test
    void jsonLinesOfTwoTopicsDecodeWithTheirSchemaIds() throws Exception {
        Path file = dir.resolve("both.jsonl");
        PipelineTopics.Run run = topics.cli("export", "-t", "progress", "-t", "outcomes", "--from", "2026-11-20T01:00:00Z",
                "--output", file.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            rows.add(json.readTree(line));
        }
        // domains 60..119: 2 progress + 1 outcome each
        assertThat(rows).hasSize(180);
        assertThat(rows.stream().filter(r -> r.get("topic").asText().equals(Topics.OUTCOMES.name()))).hasSize(60);
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.get("schemaId").asInt()).isPositive();
            assertThat(r.at("/value/context/domain").asText()).isEqualTo(r.get("key").asText());
            assertThat(r.at("/value/occurredAt").asText()).startsWith("2026-11-20T0");
        });
        assertThat(rows.stream().map(r -> r.at("/value/event").asText()).distinct())
                .containsExactlyInAnyOrder("PropagationProgress", "DomainConnected", "DomainFailed");
    }

    @Test
    void csvByOffsetsHasAHeaderAndOneFlattenedRowPerRecord() throws Exception {
        Path file = dir.resolve("outcomes.csv");
        PipelineTopics.Run run = topics.cli("export", "-t", "outcomes", "--partition", "0", "--from-offset", "0", "--to-offset", "5",
                "--format", "csv", "-o", file.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<CSVRecord> rows;
        try (Reader r = Files.newBufferedReader(file)) {
            rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r).getRecords();
        }
        assertThat(rows).hasSize(5);
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.get("partition")).isEqualTo("0");
            assertThat(row.get("event")).isIn("DomainConnected", "DomainFailed");
            assertThat(row.get("context.domain")).isEqualTo(row.get("key"));
            assertThat(row.get("occurredAt")).startsWith("2026-11-20T");
            assertThat(row.get("context.correlation")).startsWith("{\"ticket\":");
        });
        assertThat(rows).extracting(row -> Long.parseLong(row.get("offset"))).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(rows).allSatisfy(row -> assertThat(row.get("event").equals("DomainFailed") ? row.get("reason") : row.get("durationMillis"))
                .isNotEmpty());
    }
}
