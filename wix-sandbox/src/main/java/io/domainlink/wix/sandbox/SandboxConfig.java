package io.domainlink.wix.sandbox;

import java.time.Clock;
import java.util.Objects;

/**
 * How to start a {@link WixSandbox}.
 *
 * @param bindAddress address to listen on; {@code 127.0.0.1} by default since the admin paths have no auth
 * @param port        TCP port; 0 picks a free ephemeral port
 * @param threads     size of the HTTP worker pool (injected latency occupies a worker)
 * @param scenario    the scenario to start with and to return to on reset (copied)
 * @param clock       the clock for dates, propagation and the rate-limit window
 */
public record SandboxConfig(String bindAddress, int port, int threads, Scenario scenario, Clock clock) {
    public SandboxConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(clock, "clock");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, was " + threads);
        }
        scenario.validate();
        scenario = scenario.copy();
    }

    /** 127.0.0.1, an ephemeral port, 16 threads, the default scenario, the system UTC clock. */
    public static SandboxConfig defaults() {
        return new SandboxConfig("127.0.0.1", 0, 16, new Scenario(), Clock.systemUTC());
    }

    public SandboxConfig withBindAddress(String address) {
        return new SandboxConfig(address, port, threads, scenario, clock);
    }

    public SandboxConfig withPort(int newPort) {
        return new SandboxConfig(bindAddress, newPort, threads, scenario, clock);
    }

    public SandboxConfig withThreads(int newThreads) {
        return new SandboxConfig(bindAddress, port, newThreads, scenario, clock);
    }

    public SandboxConfig withScenario(Scenario newScenario) {
        return new SandboxConfig(bindAddress, port, threads, newScenario, clock);
    }

    public SandboxConfig withClock(Clock newClock) {
        return new SandboxConfig(bindAddress, port, threads, scenario, newClock);
    }
}
