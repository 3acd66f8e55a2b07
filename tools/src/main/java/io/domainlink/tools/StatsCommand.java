package io.domainlink.tools;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

import io.domainlink.common.Topics;
import io.domainlink.common.registry.SchemaRegistryClient;
import io.domainlink.events.DomainConnected;
import io.domainlink.events.DomainFailed;
import io.domainlink.events.PropagationProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code domainlink stats}: outcome counts by flow and reason, and time-to-connect percentiles over a window. */
@Command(name = "stats", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Reads the outcomes and progress topics over a window and prints, as tables: requests, connected and failed "
                + "by flow with time-to-connect percentiles (request to COMPLETED) and checks per connection; failures by flow and "
                + "reason; propagation progress by flow.",
                "An event counts when its occurredAt is in the window."})
final class StatsCommand implements Callable<Integer> {

    @Option(names = "--since", defaultValue = "24h", paramLabel = "TIME",
            description = "window start: ISO instant, date, or a duration ago (default: ${DEFAULT-VALUE})")
    String since;

    @Option(names = "--until", defaultValue = "now", paramLabel = "TIME", description = "window end, exclusive (default: ${DEFAULT-VALUE})")
    String until;

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Spec
    CommandSpec spec;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
        Instant from = Times.parse(since, clock);
        Instant to = Times.parse(until, clock);
        OutcomeStats stats = new OutcomeStats(from, to);
        try (SchemaRegistryClient registry = connection.registry();
             TopicReader reader = new TopicReader(connection.consumer("domainlink-stats"))) {
            Deserializer<SpecificRecord> outcomes = Topics.OUTCOMES.valueDeserializer(registry);
            Deserializer<PropagationProgress> progress = Topics.PROGRESS.valueDeserializer(registry);
            Map<TopicPartition, Long> start = new HashMap<>();
            for (String topic : List.of(Topics.OUTCOMES.name(), Topics.PROGRESS.name())) {
                start.putAll(reader.offsetsAt(reader.partitions(topic), from));
            }
            Map<TopicPartition, Long> end = reader.end(start.keySet());
            long[] unreadable = new long[1];
            reader.read(start, end, r -> {
                if (r.value() == null) {
                    return;
                }
                try {
                    if (r.topic().equals(Topics.OUTCOMES.name())) {
                        SpecificRecord o = outcomes.deserialize(r.topic(), r.value());
                        if (o instanceof DomainConnected c) {
                            stats.connected(c);
                        } else if (o instanceof DomainFailed f) {
                            stats.failed(f);
                        }
                    } else {
                        stats.progress(progress.deserialize(r.topic(), r.value()));
                    }
                } catch (RuntimeException e) {
                    unreadable[0]++;
                }
            }, n -> { });
            stats.print(spec.commandLine().getOut());
            if (unreadable[0] > 0) {
                spec.commandLine().getErr().println(unreadable[0] + " records could not be decoded and were not counted");
                spec.commandLine().getErr().flush();
            }
        }
        return 0;
    }
}
