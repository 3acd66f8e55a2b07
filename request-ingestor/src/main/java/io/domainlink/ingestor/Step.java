package io.domainlink.ingestor;

import io.domainlink.events.ConnectionAccepted;
import io.domainlink.events.DomainFailed;
import io.domainlink.ingestor.InternalRecords.Admission;

/** What a processor of the ingestor decided about one request; routed by type to the next topic. */
sealed interface Step {

    /** Valid and not a conflict: on to the in-flight guard (keyed by the normalized domain). */
    record Forward(Admission admission) implements Step {
    }

    /** Admitted: publish on the accepted topic. */
    record Accept(ConnectionAccepted accepted) implements Step {
    }

    /** Rejected: publish on the outcomes topic. */
    record Reject(DomainFailed failed) implements Step {
    }
}
