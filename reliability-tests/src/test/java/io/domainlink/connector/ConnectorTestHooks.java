package io.domainlink.connector;

import io.domainlink.common.config.ServiceConfig;

/**
 * The domain-connector's package-private crash hooks, opened to the reliability scenarios (same package, test
 * classpath only): start an instance that runs {@code afterWixCall} right after each Wix call answered, and stop it
 * as if killed (no commit, no abort), as {@code ConnectorCrashIT} does inside the connector module.
 */
public final class ConnectorTestHooks {

    private ConnectorTestHooks() {
    }

    public static DomainConnectorApp start(ServiceConfig config, AfterWixCall afterWixCall) {
        return DomainConnectorApp.start(config, afterWixCall, ConnectorLoop.BeforeCommit.NONE);
    }

    /** Starts an instance that dies inside its first transaction that carries results, before the commit. */
    public static DomainConnectorApp startDyingBeforeCommit(ServiceConfig config, java.util.concurrent.atomic.AtomicReference<DomainConnectorApp> self) {
        return DomainConnectorApp.start(config, AfterWixCall.NONE, () -> {
            self.get().halt();
            throw new java.util.concurrent.CancellationException("simulated kill before commit");
        });
    }

    /** Stops the instance as if it were killed: nothing more is committed or aborted. Safe from a worker thread. */
    public static void halt(DomainConnectorApp app) {
        app.halt();
    }
}
