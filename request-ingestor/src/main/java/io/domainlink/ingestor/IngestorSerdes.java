package io.domainlink.ingestor;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

import io.domainlink.common.Topics;
import io.domainlink.common.registry.SchemaRegistryClient;
import io.domainlink.events.ConnectionAccepted;
import io.domainlink.events.ConnectionRequested;

/** The value serdes of the topics the ingestor reads and writes (keys are always {@code Serdes.String()}). */
public record IngestorSerdes(Serde<ConnectionRequested> requests, Serde<ConnectionAccepted> accepted,
                             Serde<SpecificRecord> outcomes) {

    public static IngestorSerdes from(SchemaRegistryClient registry, boolean autoRegister) {
        return new IngestorSerdes(Topics.REQUESTS.valueSerde(registry, autoRegister),
                Topics.ACCEPTED.valueSerde(registry, autoRegister),
                Topics.OUTCOMES.valueSerde(registry, autoRegister));
    }
}
