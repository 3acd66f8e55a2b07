package io.domainlink.tools;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Plain JSON for people and {@code jq}: an event as an object with its type name first ({@code "event": "DomainFailed"}),
 * enums as their symbol, timestamps as ISO-8601, unions as their value (no Avro JSON-encoding wrappers). Works for
 * generated (specific) and generic records alike.
 */
public final class AvroJson {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AvroJson() {
    }

    public static String line(IndexedRecord event) {
        return write(event(event));
    }

    /** The event as an object whose first field {@code event} is its record name. */
    public static ObjectNode event(IndexedRecord event) {
        ObjectNode root = NODES.objectNode();
        root.put("event", event.getSchema().getName());
        root.setAll(record(event));
        return root;
    }

    public static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode record(IndexedRecord r) {
        ObjectNode o = NODES.objectNode();
        for (Schema.Field f : r.getSchema().getFields()) {
            o.set(f.name(), value(r.get(f.pos())));
        }
        return o;
    }

    /** Any Avro value (specific or generic) as JSON. */
    public static JsonNode value(Object v) {
        if (v == null) {
            return NODES.nullNode();
        }
        if (v instanceof IndexedRecord r) {
            return record(r);
        }
        if (v instanceof Enum<?> e) {
            return NODES.textNode(e.name());
        }
        if (v instanceof GenericFixed f) {
            return NODES.textNode(Base64.getEncoder().encodeToString(f.bytes()));
        }
        if (v instanceof GenericContainer g && g.getSchema().getType() == Schema.Type.ENUM) {
            return NODES.textNode(v.toString());
        }
        if (v instanceof Instant i) {
            return NODES.textNode(i.toString());
        }
        if (v instanceof ByteBuffer b) {
            ByteBuffer copy = b.duplicate();
            byte[] bytes = new byte[copy.remaining()];
            copy.get(bytes);
            return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
        }
        if (v instanceof Map<?, ?> m) {
            ObjectNode o = NODES.objectNode();
            m.forEach((k, x) -> o.set(String.valueOf(k), value(x)));
            return o;
        }
        if (v instanceof Collection<?> c) {
            ArrayNode a = NODES.arrayNode();
            c.forEach(x -> a.add(value(x)));
            return a;
        }
        if (v instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (v instanceof Integer i) {
            return NODES.numberNode(i);
        }
        if (v instanceof Long l) {
            return NODES.numberNode(l);
        }
        if (v instanceof Number n) {
            return NODES.numberNode(n.doubleValue());
        }
        return NODES.textNode(v.toString());
    }
}
