package io.domainlink.tools;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Where an export writes its rows: JSON lines, CSV or Parquet. Each row is one Kafka record and its decoded value. */
interface ExportSink extends AutoCloseable {

    /** One exported record: where it was, and its value decoded with {@code schema} (the file's value schema). */
    record Row(String topic, int partition, long offset, long timestamp, String key, int schemaId, Object value) {
    }

    /** The value schema every row of this sink is resolved to; null while a text sink still takes any. */
    Schema valueSchema();

    void write(Row row) throws IOException;

    @Override
    void close() throws IOException;

    static String eventName(Object value) {
        return value instanceof IndexedRecord r ? r.getSchema().getName() : null;
    }

    /** One JSON object per line: {@code topic, partition, offset, timestamp, key, schemaId, value} (value: its type first). */
    final class JsonLines implements ExportSink {
        private final Writer out;

        JsonLines(Writer out) {
            this.out = out;
        }

        @Override
        public Schema valueSchema() {
            return null;
        }

        @Override
        public void write(Row row) throws IOException {
            ObjectNode j = AvroJson.JSON.createObjectNode();
            j.put("topic", row.topic());
            j.put("partition", row.partition());
            j.put("offset", row.offset());
            j.put("timestamp", Instant.ofEpochMilli(row.timestamp()).toString());
            j.put("key", row.key());
            j.put("schemaId", row.schemaId());
            j.set("value", row.value() instanceof IndexedRecord r ? AvroJson.event(r) : AvroJson.value(row.value()));
            out.write(AvroJson.write(j));
            out.write('\n');
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }

    /**
     * CSV with a header: the record's coordinates, the event name, then one column per leaf field of the value schema
     * (nested records flattened with dots, e.g. {@code context.requestId}; the branches of a union merged, so an
     * outcome row fills {@code durationMillis} or {@code reason}); arrays and maps as JSON text, timestamps ISO-8601.
     */
    final class Csv implements ExportSink {
        static final List<String> META = List.of("topic", "partition", "offset", "timestamp", "key", "schema_id", "event");

        private final Writer out;
        private final Schema schema;
        private final List<String> columns;
        private CSVPrinter printer;

        Csv(Writer out, Schema valueSchema) {
            this.out = out;
            this.schema = valueSchema;
            Set<String> cols = new LinkedHashSet<>();
            leaves(valueSchema, "", cols);
            this.columns = new ArrayList<>(cols);
        }

        List<String> columns() {
            List<String> all = new ArrayList<>(META);
            all.addAll(columns);
            return all;
        }

        @Override
        public Schema valueSchema() {
            return schema;
        }

        @Override
        public void write(Row row) throws IOException {
            if (printer == null) {
                printer = new CSVPrinter(out, CSVFormat.RFC4180.builder().setRecordSeparator('\n').get());
                printer.printRecord(columns());
            }
            Map<String, Object> cells = new LinkedHashMap<>();
            flatten(row.value(), "", cells);
            List<Object> line = new ArrayList<>(List.of(row.topic(), row.partition(), row.offset(),
                    Instant.ofEpochMilli(row.timestamp()).toString(), row.key() == null ? "" : row.key(), row.schemaId(),
                    String.valueOf(eventName(row.value()))));
            for (String c : columns) {
                Object v = cells.get(c);
                line.add(v == null ? "" : v);
            }
            printer.printRecord(line);
        }

        @Override
        public void close() throws IOException {
            if (printer != null) {
                printer.flush();
            }
            out.flush();
        }

        private static void leaves(Schema s, String prefix, Set<String> out) {
            switch (s.getType()) {
                case RECORD -> s.getFields().forEach(f -> leaves(f.schema(), prefix + f.name() + ".", out));
                case UNION -> {
                    boolean records = s.getTypes().stream().anyMatch(t -> t.getType() == Schema.Type.RECORD);
                    for (Schema branch : s.getTypes()) {
                        if (branch.getType() != Schema.Type.NULL) {
                            leaves(branch, prefix, out);
                        }
                    }
                    if (!records && s.getTypes().stream().allMatch(t -> t.getType() == Schema.Type.NULL)) {
                        out.add(strip(prefix));
                    }
                }
                default -> out.add(strip(prefix));
            }
        }

        private static void flatten(Object v, String prefix, Map<String, Object> out) {
            if (v instanceof IndexedRecord r) {
                for (Schema.Field f : r.getSchema().getFields()) {
                    flatten(r.get(f.pos()), prefix + f.name() + ".", out);
                }
            } else if (v instanceof Map<?, ?> || v instanceof java.util.Collection<?>) {
                out.put(strip(prefix), AvroJson.write(AvroJson.value(v)));
            } else if (v != null) {
                out.put(strip(prefix), AvroJson.value(v).asText());
            }
        }

        private static String strip(String prefix) {
            return prefix.isEmpty() ? "value" : prefix.substring(0, prefix.length() - 1);
        }
    }

    /**
     * A Parquet file of records {@code topic, partition, offset, timestamp, key, schemaId, value}, {@code value} with the
     * writer's Avro schema (kept in the file's {@code parquet.avro.schema} metadata, so Avro readers get it back).
     * Written without Hadoop: parquet's {@link LocalOutputFile}, {@link PlainParquetConfiguration}, the generic data
     * model set explicitly, and no compression codec (Parquet's own dictionary and RLE encodings still apply; the
     * codecs are Hadoop classes).
     */
    final class Parquet implements ExportSink {
        private final ParquetWriter<GenericRecord> writer;
        private final Schema valueSchema;
        private final Schema rowSchema;

        Parquet(Path file, Schema valueSchema) throws IOException {
            this.valueSchema = valueSchema;
            this.rowSchema = rowSchema(valueSchema);
            Files.deleteIfExists(file);
            this.writer = AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(file))
                    .withSchema(rowSchema)
                    .withDataModel(GenericData.get())
                    .withConf(new PlainParquetConfiguration())
                    .withCompressionCodec(CompressionCodecName.UNCOMPRESSED)
                    .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                    .build();
        }

        static Schema rowSchema(Schema valueSchema) {
            Schema ts = LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
            return SchemaBuilder.record("ExportedRecord").namespace("io.domainlink.export")
                    .doc("One Kafka record exported by domainlink export; value has the writer's schema.")
                    .fields()
                    .requiredString("topic")
                    .requiredInt("partition")
                    .requiredLong("offset")
                    .name("timestamp").type(ts).noDefault()
                    .optionalString("key")
                    .requiredInt("schemaId")
                    .name("value").type(valueSchema).noDefault()
                    .endRecord();
        }

        @Override
        public Schema valueSchema() {
            return valueSchema;
        }

        @Override
        public void write(Row row) throws IOException {
            GenericRecord r = new GenericData.Record(rowSchema);
            r.put("topic", row.topic());
            r.put("partition", row.partition());
            r.put("offset", row.offset());
            r.put("timestamp", row.timestamp());
            r.put("key", row.key());
            r.put("schemaId", row.schemaId());
            r.put("value", row.value());
            writer.write(r);
        }

        @Override
        public void close() throws IOException {
            writer.close();
        }
    }
}
