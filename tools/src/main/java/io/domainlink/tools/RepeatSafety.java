package io.domainlink.tools;

/**
 * What re-processing an already processed input does, per service (from the services' READMEs). A reset rewinds
 * offsets only: each service's state (Kafka Streams stores, Wix) stays as it is now, so re-read records are judged
 * against today's state, and whatever a service publishes again is a new record that downstream sees again.
 */
final class RepeatSafety {

    private RepeatSafety() {
    }

    static String of(ReplayCommand.Service service) {
        return switch (service) {
            case REQUEST_INGESTOR -> """
                    - domains.requests: a request id remembered by the ingestor (dedup.retention.ms, default 7 days after it was first
                      seen) with an identical payload is dropped as a duplicate: nothing is published again (duplicatesDropped).
                      Requests older than the retention were forgotten and are admitted again as new requests (next generation):
                      the connector then repeats their Wix calls and, for the domain, the newer request supersedes the older.
                    - A request once refused DOMAIN_IN_FLIGHT is decided again: if the earlier request has ended since, it is
                      admitted now (a new ConnectionAccepted). A request whose requestId is unusable is answered INVALID_REQUEST again.
                    - domains.outcomes: an outcome only ends the in-flight guard of the request it names while that request is the
                      domain's active one, so re-reading old outcomes changes nothing.
                    - Unreadable records are dead-lettered again (a second dead letter for the same source offset).
                    - Downstream sees again only what the ingestor publishes again (above); it should de-duplicate by request id.""";
            case DOMAIN_CONNECTOR -> """
                    - Every re-read ConnectionAccepted runs its Wix calls again, each repeat-safe: Create Package V2 carries an
                      idempotency key derived from the request id (Wix keeps keys 24 h: replaying a request with a premium plan
                      further back than 24 h buys a second package); Create Connected Domain finds the domain and adopts it when it
                      is ours (same site and type); Update DNS Zone changes only what differs. The calls count against the rate limit.
                    - It publishes again: ConnectionConfigured and OwnerActionRequired for each re-read request (owner notifiers
                      would notify again unless they de-duplicate by request id), and for a request that fails now a second
                      DomainFailed with the same request id: downstream then sees two terminal events for it. The result reflects
                      Wix's state now (a domain deleted at Wix since fails where it connected before; a request whose Premium
                      package was cancelled since, e.g. by the connector's compensation, fails at once without connecting).
                    - The propagation-watcher drops the re-published ConnectionConfigured as a duplicate (same request id and
                      generation) or stale (lower generation): no second watch, no second DomainConnected.""";
            case PROPAGATION_WATCHER -> """
                    - domains.configured: the watches store keeps every domain's watch after it ends, so a re-read
                      ConnectionConfigured with the same request id and generation is a duplicate and one with a lower generation is
                      stale: both are dropped and counted (events.stale); no Wix call, no progress, no second terminal event.
                    - domains.rechecks: a re-read RecheckRequested moves an active watch's next check to now (one more Wix call);
                      for a domain without an active watch it is ignored (rechecks.ignored).
                    - So a watcher replay publishes nothing again; to watch a domain again, submit a new request.""";
        };
    }
}
