package io.domainlink.connector;

import io.domainlink.events.ConnectionAccepted;

/**
 * Test hook: called on the worker thread right after each Wix call of {@link ConnectionWorkflow} answered
 * successfully (its effect is applied at Wix), before anything is published. Crash tests make it halt the
 * instance after the Nth call. Production uses {@link #NONE}.
 */
@FunctionalInterface
public interface AfterWixCall {

    AfterWixCall NONE = (request, step) -> { };

    void after(ConnectionAccepted request, WixStep step);
}
