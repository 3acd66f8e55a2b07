package io.domainlink.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A schema as the next release could make it under the evolution rules of schemas/README.md (a new optional field
 * with a null default, a new enum symbol at the end), and records written with it: what a newer producer publishes
 * while the current services still run.
 */
final class NewerSchema {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode root;

    private NewerSchema(Schema current) {
        try {
            this.root = (ObjectNode) JSON.readTree(current.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static NewerSchema of(Schema current) {
        return new NewerSchema(current);
    }

    /** Adds {@code {"name": name, "type": ["null","string"], "default": null}} to the top-level record. */
    NewerSchema withOptionalStringField(String name) {
        ObjectNode field = JSON.createObjectNode().put("name", name);
        field.putArray("type").add("null").add("string");
        field.putNull("default");
        field.put("doc", "added by a newer release");
        ((ArrayNode) root.get("fields")).add(field);
        return this;
    }

    /** Appends a symbol to the enum with this simple name, wherever it is defined in the schema. */
    NewerSchema withEnumSymbol(String enumName, String symbol) {
        if (!addSymbol(root, enumName, symbol)) {
            throw new IllegalArgumentException("no enum " + enumName + " in " + root.get("name"));
        }
        return this;
    }

    private static boolean addSymbol(JsonNode node, String enumName, String symbol) {
        if (node.isObject()) {
            if ("enum".equals(node.path("type").asText()) && (enumName.equals(node.path("name").asText())
                    || node.path("name").asText().endsWith("." + enumName))) {
                ((ArrayNode) node.get("symbols")).add(symbol);
                return true;
            }
            for (JsonNode child : node) {
                if (addSymbol(child, enumName, symbol)) {
                    return true;
                }
            }
        } else if (node.isArray()) {
            for (JsonNode child : node) {
                if (addSymbol(child, enumName, symbol)) {
                    return true;
                }
            }
        }
        return false;
    }

    Schema schema() {
        return new Schema.Parser().parse(root.toString());
    }

    /** The event as a record of the newer schema (new fields at their defaults), ready for {@link #set} / {@link #setEnum}. */
    static GenericRecord upgrade(SpecificRecord event, Schema newer) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
            new SpecificDatumWriter<SpecificRecord>(event.getSchema()).write(event, enc);
            enc.flush();
            return new GenericDatumReader<GenericRecord>(event.getSchema(), newer)
                    .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sets a field given by a dotted path ({@code "context.flow"}). */
    static GenericRecord set(GenericRecord record, String path, Object value) {
        String[] parts = path.split("\\.");
        GenericRecord target = record;
        for (int i = 0; i < parts.length - 1; i++) {
            target = (GenericRecord) target.get(parts[i]);
        }
        target.put(parts[parts.length - 1], value);
        return record;
    }

    /** Sets an enum field (dotted path) to a symbol of the newer schema, which the current schema does not have. */
    static GenericRecord setEnum(GenericRecord record, String path, String symbol) {
        String[] parts = path.split("\\.");
        GenericRecord target = record;
        for (int i = 0; i < parts.length - 1; i++) {
            target = (GenericRecord) target.get(parts[i]);
        }
        Schema fieldSchema = target.getSchema().getField(parts[parts.length - 1]).schema();
        if (fieldSchema.getType() == Schema.Type.UNION) {
            fieldSchema = fieldSchema.getTypes().stream().filter(t -> t.getType() == Schema.Type.ENUM).findFirst().orElseThrow();
        }
        target.put(parts[parts.length - 1], new GenericData.EnumSymbol(fieldSchema, symbol));
        return record;
    }
}
