package io.domainlink.wix.sandbox;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * One sandbox per test class, started by the class's {@code @BeforeAll} through {@link #startSandbox}, closed after
 * the class, and reset to an empty state (scenario kept) before every test. Test classes run one at a time, so the
 * static fields belong to the class that is running.
 */
abstract class SandboxTestBase {

    static WixSandbox sandbox;
    static WixHttp http;

    static void startSandbox(SandboxConfig config) {
        sandbox = WixSandbox.start(config);
        http = new WixHttp(sandbox);
    }

    @AfterAll
    static void stopSandbox() {
        if (sandbox != null) {
            sandbox.close();
            sandbox = null;
        }
    }

    @BeforeEach
    void resetSandbox() {
        sandbox.reset();
    }
}
