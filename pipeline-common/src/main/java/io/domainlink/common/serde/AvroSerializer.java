package io.domainlink.common.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.serialization.Serializer;

import io.domainlink.common.registry.SchemaRegistryClient;

/**
 * Writes records in the Confluent wire format with {@code writerSchema} (a record or a union of records), under
 * the subject {@code <topic>-value} (TopicNameStrategy). The schema id is registered (or looked up, when
 * auto-registration is off) once per topic and then cached.
 */
public final class AvroSerializer<T> implements Serializer<T> {

    private final SchemaRegistryClient registry;
    private final Schema writerSchema;
    private final boolean autoRegister;
    private final boolean isKey;
    private final SpecificDatumWriter<T> writer;
    private final Map<String, Integer> idByTopic = new ConcurrentHashMap<>();

    public AvroSerializer(SchemaRegistryClient registry, Schema writerSchema, boolean autoRegister) {
        this(registry, writerSchema, autoRegister, false);
    }

    public AvroSerializer(SchemaRegistryClient registry, Schema writerSchema, boolean autoRegister, boolean isKey) {
        this.registry = registry;
        this.writerSchema = writerSchema;
        this.autoRegister = autoRegister;
        this.isKey = isKey;
        this.writer = new SpecificDatumWriter<>(writerSchema);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // configured by its constructor
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        int id = idByTopic.computeIfAbsent(topic, t -> {
            String subject = t + (isKey ? "-key" : "-value");
            return autoRegister ? registry.register(subject, writerSchema) : registry.lookup(subject, writerSchema);
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.writeBytes(ConfluentWireFormat.header(id));
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            writer.write(data, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerdeException(SerdeException.Kind.UNDECODABLE_PAYLOAD,
                    "cannot encode " + data.getClass().getSimpleName() + " for topic " + topic + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }
}
