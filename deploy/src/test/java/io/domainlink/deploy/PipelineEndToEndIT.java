package io.domainlink.deploy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.domainlink.testsupport.KafkaCluster;
import io.domainlink.testsupport.KafkaClusterExtension;

/**
 * The whole pipeline on the in-JVM KRaft broker: the same stack {@code deploy/local-stack.sh} starts (registry process,
 * Wix sandbox, topics, the three services) runs the demo set; see {@link EndToEndScenario} for what is checked.
 */
@ExtendWith(KafkaClusterExtension.class)
class PipelineEndToEndIT {

    static KafkaCluster kafka;

    @Test
    void everyFlowEndsWithTheExactEventsTheRightWixStateAndOneTerminalEventCarryingTheCallersCorrelation(@TempDir Path data)
            throws Exception {
        new EndToEndScenario().run(kafka.bootstrapServers(), data);
    }
}
