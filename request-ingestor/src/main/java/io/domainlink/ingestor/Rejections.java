package io.domainlink.ingestor;

import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.domainlink.events.DomainFailed;
import io.domainlink.events.FailureReason;
import io.domainlink.events.RequestContext;
import io.domainlink.events.Stage;

/** Builds, counts and logs the ingestor's {@link DomainFailed} rejections, the same way everywhere. */
final class Rejections {

    private static final Logger log = LoggerFactory.getLogger(Rejections.class);

    private Rejections() {
    }

    static DomainFailed reject(IngestorMetrics metrics, RequestContext context, FailureReason reason, String message,
                               long now, String at) {
        metrics.rejected(reason);
        log.info("rejected requestId={} domain={} reason={} at={} message=\"{}\"", context.getRequestId(), context.getDomain(),
                reason, at, message);
        return DomainFailed.newBuilder()
                .setContext(context)
                .setOccurredAt(Instant.ofEpochMilli(now))
                .setReason(reason)
                .setStage(Stage.INGESTOR)
                .setMessage(message)
                .build();
    }
}
