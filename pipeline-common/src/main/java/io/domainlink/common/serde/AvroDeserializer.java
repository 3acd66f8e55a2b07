package io.domainlink.common.serde;

import java.io.IOException;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;

import io.domainlink.common.kafka.RecordSizes;
import io.domainlink.common.registry.SchemaNodes;
import io.domainlink.common.registry.SchemaRegistryClient;

/**
 * Reads Confluent-framed Avro records: the writer schema comes from the registry by the record's schema id
 * (cached), the reader schema is this consumer's own, and Avro's schema resolution bridges the two, so a reader
 * built with an older schema reads records written with a newer compatible one.
 *
 * <p>Hostile input is poison, never an {@link Error}: a record whose value plus headers is over the input limit is
 * {@code RECORD_TOO_LARGE} before anything is decoded; a length prefix over {@link AvroLimits} or any other decoding
 * failure is {@code UNDECODABLE_PAYLOAD}; a writer schema this reader cannot resolve is {@code UNREADABLE_SCHEMA}, and
 * that verdict is remembered per schema id, so the next record with that id fails without a registry call or a
 * compatibility check. Readers are cached by weight ({@link #CACHED_READER_NODES}), verdicts by count.
 */
public final class AvroDeserializer<T> implements Deserializer<T> {

    /** The writer schemas this deserializer keeps readers for, in {@link SchemaNodes}. */
    public static final long CACHED_READER_NODES = 50_000;
    /** How many schema ids this reader cannot read are remembered. */
    public static final int MAX_REMEMBERED_REFUSALS = 1_000;
    private static final int MAX_DETAIL = 1_000;

    private final SchemaRegistryClient registry;
    private final Schema readerSchema;
    private final int maxBytes;
    private final Cache<Integer, SpecificDatumReader<T>> readersByWriterId = CacheBuilder.newBuilder()
            .maximumWeight(CACHED_READER_NODES)
            .weigher((Integer id, SpecificDatumReader<T> r) -> SchemaNodes.count(r.getSchema())).build();
    private final Cache<Integer, String> refusedWriterIds = CacheBuilder.newBuilder().maximumSize(MAX_REMEMBERED_REFUSALS).build();

    /** With this process's input limit ({@link AvroLimits#inputMaxBytes()}). */
    public AvroDeserializer(SchemaRegistryClient registry, Schema readerSchema) {
        this(registry, readerSchema, AvroLimits.inputMaxBytes());
    }

    /**
     * @param maxBytes the largest record (value plus headers) this deserializer decodes
     * @throws IllegalStateException when Avro's decoding limits are not in force or lower than {@code maxBytes}
     */
    public AvroDeserializer(SchemaRegistryClient registry, Schema readerSchema, int maxBytes) {
        AvroLimits.require(maxBytes);
        this.registry = registry;
        this.readerSchema = readerSchema;
        this.maxBytes = maxBytes;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // configured by its constructor
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        return deserialize(topic, null, data);
    }

    @Override
    public T deserialize(String topic, Headers headers, byte[] data) {
        if (data == null) {
            return null;
        }
        RecordSizes.requireWithin("record on " + topic, data, headers, maxBytes);
        int id = ConfluentWireFormat.schemaId(data);
        SpecificDatumReader<T> reader = readerFor(id);
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, ConfluentWireFormat.HEADER_SIZE,
                data.length - ConfluentWireFormat.HEADER_SIZE, null);
        try {
            return reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            // a truncated body, a length over Avro's limits (SystemLimitException), a bad union index or enum
            // ordinal, a negative length...: the bytes are bad, whatever the exception. An Error is not caught.
            throw new SerdeException(SerdeException.Kind.UNDECODABLE_PAYLOAD,
                    "record on " + topic + " with schema id " + id + " does not decode: " + e, e);
        }
    }

    private SpecificDatumReader<T> readerFor(int id) {
        SpecificDatumReader<T> reader = readersByWriterId.getIfPresent(id);
        if (reader != null) {
            return reader;
        }
        String refused = refusedWriterIds.getIfPresent(id);
        if (refused != null) {
            throw new SerdeException(SerdeException.Kind.UNREADABLE_SCHEMA, refused);
        }
        // the registry client remembers ids it cannot fetch or parse; this reader remembers the ones it cannot resolve
        reader = registry.schemaById(id, writer -> resolve(id, writer));
        readersByWriterId.put(id, reader);
        return reader;
    }

    private SpecificDatumReader<T> resolve(int id, Schema writer) {
        String problem;
        try {
            SchemaCompatibility.SchemaPairCompatibility compat = SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writer);
            if (compat.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                return new SpecificDatumReader<>(writer, readerSchema, SpecificData.get());
            }
            problem = compat.getDescription();
        } catch (RuntimeException e) {
            problem = e.toString();
        }
        String detail = "schema id " + id + " (" + nameOf(writer) + ") cannot be read with this reader's " + nameOf(readerSchema)
                + " schema: " + problem;
        detail = detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) + "..." : detail;
        refusedWriterIds.put(id, detail);
        throw new SerdeException(SerdeException.Kind.UNREADABLE_SCHEMA, detail);
    }

    private static String nameOf(Schema schema) {
        return schema.getType() == Schema.Type.UNION ? schema.getTypes().stream().map(Schema::getName).toList().toString() : schema.getFullName();
    }
}
