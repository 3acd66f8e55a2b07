package io.domainlink.common.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

import io.domainlink.common.kafka.RecordSizes;
import io.domainlink.common.registry.SchemaRegistryClient;

/**
 * Writes records in the Confluent wire format with {@code writerSchema} (a record or a union of records), under
 * the subject {@code <topic>-value} (TopicNameStrategy). The schema id is registered (or looked up, when
 * auto-registration is off) once per topic and then cached.
 *
 * <p>An output whose value plus headers is over the input limit ({@link AvroLimits#inputMaxBytes()}) is refused with
 * {@code RECORD_TOO_LARGE} (poison): the next stage would refuse it, and a producer that sent it could fail its whole
 * transaction on {@code RecordTooLargeException}. Kafka Streams hands that refusal to its production exception
 * handler before anything reaches the producer ({@link io.domainlink.common.kafka.DeadLetterProductionHandler}).
 */
public final class AvroSerializer<T> implements Serializer<T> {

    private final SchemaRegistryClient registry;
    private final Schema writerSchema;
    private final boolean autoRegister;
    private final boolean isKey;
    private final SpecificDatumWriter<T> writer;
    private final int maxBytes;
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
        this.maxBytes = AvroLimits.inputMaxBytes();
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // configured by its constructor
    }

    @Override
    public byte[] serialize(String topic, Headers headers, T data) {
        byte[] bytes = serialize(topic, data);
        if (bytes != null) {
            RecordSizes.requireWithin("output to " + topic, bytes, headers, maxBytes);
        }
        return bytes;
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
        byte[] bytes = out.toByteArray();
        RecordSizes.requireWithin("output to " + topic, bytes, null, maxBytes);
        return bytes;
    }
}
