package io.domainlink.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import io.domainlink.common.Topics;
import io.domainlink.common.config.ServiceConfig;
import io.domainlink.connector.ConnectorConfig;
import io.domainlink.events.ConnectionRequested;
import io.domainlink.watcher.WatcherConfig;
import io.domainlink.wix.sandbox.CallRecord;

/**
 * Item 3: the sandbox enforces Wix's 200 requests per minute per account (sliding 60 s window), a backlog of
 * requests waits across several accounts, and the pipeline runs for a few minutes. Measured from the sandbox's call
 * log: the share of the allowed budget (200/min per account) the pipeline's answered calls used over the steady part
 * (after a warm-up), per account, and the number of 429s the pipeline caused over the whole run.
 *
 * <p>Both Wix-calling services take permits from their own limiter, and Wix counts both against the account, so the
 * two limits must add up to Wix's 200: the connector gets {@code connectorShare}, the watcher the rest. With the
 * three flows mixed a request costs 3 connector calls on average (NAMESERVERS 5, POINTING 2, SUBDOMAIN 2) and 1/3
 * watcher check (with Wix completing at once, POINTING and SUBDOMAIN are already COMPLETED when created, so the
 * watcher connects them without a check), hence 180/20. (A first run with 150/50 left the watcher's share idle.)
 */
final class RateLimitedRegime {

    static final int WIX_LIMIT = 200;

    record Result(int accounts, int backlog, Duration window, double usedFraction, double minAccountFraction,
                  long answeredInWindow, long rateLimited429, long connectorCalls, long watcherCalls, int connectorShare) {
    }

    private RateLimitedRegime() {
    }

    static Result run(BenchStack stack, Workload w, Duration runFor, Duration warmUp, int connectorShare) throws InterruptedException {
        Map<String, String> connector = Map.of(ServiceConfig.envName(ConnectorConfig.WIX_RATE_LIMIT), Integer.toString(connectorShare));
        Map<String, String> watcher = Map.of(ServiceConfig.envName(WatcherConfig.WIX_RATE_LIMIT), Integer.toString(WIX_LIMIT - connectorShare));
        stack.startServices(connector, watcher);
        stack.sandbox.clearCalls();
        try (KafkaProducer<String, ConnectionRequested> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.broker.address(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), Topics.REQUESTS.valueSerializer(stack.registry.client, true))) {
            for (int i = 0; i < w.size(); i++) {
                producer.send(new ProducerRecord<>(Topics.REQUESTS.name(), w.domain(i), w.request(i, Instant.now())));
            }
        }
        long start = System.currentTimeMillis();
        Thread.sleep(runFor.toMillis());
        List<CallRecord> calls = stack.sandbox.calls();
        stack.stopServices();

        long first = calls.stream().mapToLong(c -> Instant.parse(c.time()).toEpochMilli()).min().orElse(start);
        long from = first + warmUp.toMillis();
        long to = start + runFor.toMillis();
        Map<String, Long> perAccount = new TreeMap<>();
        long answered = 0;
        long tooMany = 0;
        long connectorCalls = 0;
        long watcherCalls = 0;
        for (CallRecord c : calls) {
            long t = Instant.parse(c.time()).toEpochMilli();
            if (c.status() == 429) {
                tooMany++;
                continue;
            }
            if (c.endpoint() != null && c.endpoint().name().equals("GET_CONNECTED_DOMAIN")) {
                watcherCalls++;
            } else {
                connectorCalls++;
            }
            if (t >= from && t < to) {
                answered++;
                perAccount.merge(c.accountId(), 1L, Long::sum);
            }
        }
        double minutes = (to - from) / 60_000.0;
        double allowed = WIX_LIMIT * minutes;
        double used = answered / (allowed * w.accounts());
        double min = perAccount.size() < w.accounts() ? 0
                : perAccount.values().stream().mapToLong(Long::longValue).min().orElse(0) / allowed;
        return new Result(w.accounts(), w.size(), Duration.ofMillis(to - from), used, min, answered, tooMany,
                connectorCalls, watcherCalls, connectorShare);
    }
}
