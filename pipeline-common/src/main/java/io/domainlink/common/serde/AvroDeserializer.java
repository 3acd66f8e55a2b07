package io.domainlink.common.serde;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.serialization.Deserializer;

import io.domainlink.common.registry.SchemaRegistryClient;

/**
 * Reads Confluent-framed Avro records: the writer schema comes from the registry by the record's schema id
 * (cached), the reader schema is this consumer's own, and Avro's schema resolution bridges the two, so a reader
 * built with an older schema reads records written with a newer compatible one.
 */
public final class AvroDeserializer<T> implements Deserializer<T> {

    private final SchemaRegistryClient registry;
    private final Schema readerSchema;
    private final Map<Integer, SpecificDatumReader<T>> readersByWriterId = new ConcurrentHashMap<>();

    public AvroDeserializer(SchemaRegistryClient registry, Schema readerSchema) {
        this.registry = registry;
        this.readerSchema = readerSchema;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // configured by its constructor
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        int id = ConfluentWireFormat.schemaId(data);
        SpecificDatumReader<T> reader = readersByWriterId.computeIfAbsent(id, this::readerFor);
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, ConfluentWireFormat.HEADER_SIZE,
                data.length - ConfluentWireFormat.HEADER_SIZE, null);
        try {
            return reader.read(null, decoder);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | ClassCastException
                 | NegativeArraySizeException e) {
            throw new SerdeException(SerdeException.Kind.UNDECODABLE_PAYLOAD,
                    "record on " + topic + " with schema id " + id + " does not decode: " + e, e);
        }
    }

    private SpecificDatumReader<T> readerFor(int id) {
        Schema writer = registry.schemaById(id);
        SchemaCompatibility.SchemaPairCompatibility compat = SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writer);
        if (compat.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new SerdeException(SerdeException.Kind.UNREADABLE_SCHEMA, "schema id " + id + " cannot be read with this reader's "
                    + nameOf(readerSchema) + " schema: " + compat.getDescription());
        }
        return new SpecificDatumReader<>(writer, readerSchema, SpecificData.get());
    }

    private static String nameOf(Schema schema) {
        return schema.getType() == Schema.Type.UNION ? schema.getTypes().stream().map(Schema::getName).toList().toString() : schema.getFullName();
    }
}
