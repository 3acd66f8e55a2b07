package io.domainlink.tools;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DecoderFactory;

import io.domainlink.common.registry.SchemaRegistryClient;
import io.domainlink.common.serde.ConfluentWireFormat;
import io.domainlink.common.serde.SerdeException;

/**
 * Decodes Confluent-framed Avro generically with the <em>writer's</em> schema from the registry (no generated classes),
 * so an export holds exactly what was written, fields added by newer producers included. A target schema may be
 * given to resolve records of another version to it (Avro schema resolution).
 */
final class WriterSchemaDecoder {

    /** A decoded value and the id and schema it was written with. */
    record Decoded(int schemaId, Schema writer, Object value) {
    }

    private final SchemaRegistryClient registry;
    private final GenericData model;
    private final Map<String, GenericDatumReader<Object>> readers = new ConcurrentHashMap<>();

    /**
     * @param logicalTypes true to read timestamps as {@link java.time.Instant} (text outputs); false keeps them as
     *     the long the schema's logical type annotates (Parquet writes its own TIMESTAMP type from the annotation)
     */
    WriterSchemaDecoder(SchemaRegistryClient registry, boolean logicalTypes) {
        this.registry = registry;
        this.model = new GenericData();
        if (logicalTypes) {
            model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        }
    }

    Decoded decode(String topic, byte[] framed, Schema target) {
        int id = ConfluentWireFormat.schemaId(framed);
        Schema writer = registry.schemaById(id);
        Schema reader = target == null ? writer : target;
        GenericDatumReader<Object> datumReader = readers.computeIfAbsent(id + "/" + System.identityHashCode(reader),
                k -> new GenericDatumReader<>(writer, reader, model));
        try {
            Object value = datumReader.read(null, DecoderFactory.get().binaryDecoder(framed, ConfluentWireFormat.HEADER_SIZE,
                    framed.length - ConfluentWireFormat.HEADER_SIZE, null));
            return new Decoded(id, writer, value);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | ClassCastException e) {
            throw new SerdeException(SerdeException.Kind.UNDECODABLE_PAYLOAD,
                    "record on " + topic + " with schema id " + id + " does not decode: " + e, e);
        }
    }
}
