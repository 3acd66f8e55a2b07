package io.domainlink.deploy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.domainlink.testsupport.KafkaContainerTestBase;

/**
 * {@link PipelineEndToEndIT}'s scenario against a broker from the {@code apache/kafka} image (Testcontainers).
 * Skipped where there is no Docker (this machine and CI): the in-JVM variant proves the same without it.
 */
class PipelineEndToEndContainerIT extends KafkaContainerTestBase {

    @Test
    void everyFlowEndsWithTheExactEventsTheRightWixStateAndOneTerminalEventCarryingTheCallersCorrelation(@TempDir Path data)
            throws Exception {
        new EndToEndScenario().run(kafka().bootstrapServers(), data);
    }
}
