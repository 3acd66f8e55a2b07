package io.domainlink.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void aTakenPortIsAClearErrorNamingThePortAndTheOptionToChange() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            int free = Ports.freePort();

            Map<Integer, String> ports = new LinkedHashMap<>();
            Ports.add(ports, free, "Wix sandbox (--sandbox-port)");
            Ports.add(ports, port, "Kafka broker (--kafka-port)");

            assertThatThrownBy(() -> Ports.requireFree(ports))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("port " + port + " for the Kafka broker (--kafka-port) is already in use")
                    .hasMessageNotContaining("port " + free + " ");
        }
    }

    @Test
    void freePortsPass() {
        int a = Ports.freePort();
        assertThatCode(() -> Ports.requireFree(Map.of(a, "Kafka broker"))).doesNotThrowAnyException();
        assertThat(Ports.isFree(a)).isTrue();
    }

    @Test
    void theSamePortForTwoPartsIsRejectedBeforeAnythingStarts() {
        Map<Integer, String> ports = new LinkedHashMap<>();
        Ports.add(ports, 9092, "Kafka broker (--kafka-port)");

        assertThatThrownBy(() -> Ports.add(ports, 9092, "schema registry (--registry-port)"))
                .hasMessage("port 9092 is given to both the Kafka broker (--kafka-port) and the schema registry (--registry-port)");
    }
}
