package io.domainlink.connector;

import java.util.Objects;

import io.domainlink.events.ConnectionConfigured;
import io.domainlink.events.DomainFailed;
import io.domainlink.events.OwnerActionRequired;

/**
 * What the Wix calls of one accepted request came to: either {@link #configured()} (plus {@link #ownerAction()}
 * where the site owner must change DNS), or {@link #failed()}.
 */
public record Outcome(ConnectionConfigured configured, OwnerActionRequired ownerAction, DomainFailed failed) {

    public Outcome {
        if ((configured == null) == (failed == null)) {
            throw new IllegalArgumentException("an outcome is either configured or failed");
        }
        if (failed != null && ownerAction != null) {
            throw new IllegalArgumentException("a failed outcome asks nothing of the owner");
        }
    }

    public static Outcome configured(ConnectionConfigured configured, OwnerActionRequired ownerAction) {
        return new Outcome(Objects.requireNonNull(configured, "configured"), ownerAction, null);
    }

    public static Outcome failed(DomainFailed failed) {
        return new Outcome(null, null, Objects.requireNonNull(failed, "failed"));
    }

    public boolean isFailed() {
        return failed != null;
    }
}
