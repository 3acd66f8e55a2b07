package io.domainlink.reliability;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.apache.avro.Schema;

import io.domainlink.common.registry.SchemaRegistryClient;
import io.domainlink.common.serde.SerdeException;

/** The three kinds of record no stage can read (S4); the fourth kind, valid Avro with invalid content, is built per topic. */
enum Poison {

    /** Plain text: the first byte is not the Confluent magic byte 0. */
    NO_MAGIC_BYTE(SerdeException.Kind.UNKNOWN_MAGIC_BYTE),
    /** Magic byte 0 and a schema id the registry has never given out. */
    UNKNOWN_SCHEMA_ID(SerdeException.Kind.UNKNOWN_SCHEMA_ID),
    /** A real schema id, but of an unrelated record that cannot be resolved to the topic's schema. */
    UNREADABLE_SCHEMA(SerdeException.Kind.UNREADABLE_SCHEMA);

    /** The {@code dlq.error.kind} the stage must write. */
    final String errorKind;

    Poison(SerdeException.Kind kind) {
        this.errorKind = kind.name();
    }

    static final Schema UNRELATED = new Schema.Parser().parse(
            "{\"type\":\"record\",\"name\":\"Unrelated\",\"namespace\":\"reliability.poison\",\"fields\":[{\"name\":\"x\",\"type\":\"int\"}]}");

    byte[] bytes(SchemaRegistryClient registry) {
        return switch (this) {
            case NO_MAGIC_BYTE -> "{\"requestId\": \"not avro\"}".getBytes(StandardCharsets.UTF_8);
            case UNKNOWN_SCHEMA_ID -> ByteBuffer.allocate(7).put((byte) 0).putInt(987_654_321).put((byte) 2).put((byte) 4).array();
            case UNREADABLE_SCHEMA -> ByteBuffer.allocate(6).put((byte) 0)
                    .putInt(registry.register("reliability-unrelated-value", UNRELATED)).put((byte) 2).array();
        };
    }
}
