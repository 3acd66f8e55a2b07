package io.domainlink.common.serde;

import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import io.domainlink.common.registry.SchemaRegistryClient;

/** Kafka Streams {@link Serde} for Confluent-framed Avro with one schema (record or union) on both sides. */
public final class AvroSerde {

    private AvroSerde() {
    }

    public static <T> Serde<T> of(SchemaRegistryClient registry, Schema schema, boolean autoRegister) {
        return Serdes.serdeFrom(new AvroSerializer<>(registry, schema, autoRegister), new AvroDeserializer<>(registry, schema));
    }
}
