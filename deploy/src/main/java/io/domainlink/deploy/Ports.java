package io.domainlink.deploy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Checks that the stack's ports are free before anything starts, so a taken port is one clear error, not a hang. */
final class Ports {

    private Ports() {
    }

    /**
     * @param wanted port → what it is for, e.g. {@code 9092 → "Kafka broker (--kafka-port)"}
     * @throws IllegalStateException naming every port that is taken or repeated
     */
    static void requireFree(Map<Integer, String> wanted) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<Integer, String> e : wanted.entrySet()) {
            if (!isFree(e.getKey())) {
                problems.add("port " + e.getKey() + " for the " + e.getValue() + " is already in use on 127.0.0.1");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("\n", problems)
                    + "\nStop what listens there (a stack still running? `ss -ltnp | grep <port>`) or choose other ports with the options named.");
        }
    }

    /** Adds a port and what it is for, failing when it is out of range or already given to another part. */
    static void add(Map<Integer, String> ports, int port, String role) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " for the " + role + " is not in 1..65535");
        }
        String previous = ports.putIfAbsent(port, role);
        if (previous != null) {
            throw new IllegalArgumentException("port " + port + " is given to both the " + previous + " and the " + role);
        }
    }

    static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            // as the servers themselves do: connections of a previous run in TIME_WAIT must not count as "in use"
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port that was free a moment ago (for tests and for the controller listener when asked for 0). */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
