package io.domainlink.common.serde;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.domainlink.testsupport.KafkaContainerTestBase;
import io.domainlink.testsupport.SchemaRegistryExtension;
import io.domainlink.testsupport.SchemaRegistryProcess;

/** The same round trip against the apache/kafka image; skipped cleanly where Docker is absent. */
@ExtendWith(SchemaRegistryExtension.class)
class EventRoundTripContainerIT extends KafkaContainerTestBase {

    static SchemaRegistryProcess registryProcess;

    @Test
    void everyEventTypeRoundTripsThroughTheContainerBroker() {
        EventRoundTripIT.everyEventTypeRoundTrips(kafka(), registryProcess.confluentUrl());
    }
}
