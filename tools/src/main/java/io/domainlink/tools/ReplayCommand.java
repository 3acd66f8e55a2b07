package io.domainlink.tools;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

import io.domainlink.common.TopicSpec;
import io.domainlink.common.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code domainlink replay <service> --to TIME}: moves a stopped service's consumer group back to a time so it
 * re-processes its input from there, and says what repeat-safety holds for that service.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Resets a service's consumer group on its input topics (from Topics) to the first offset at or after a time, "
                + "so the service re-processes from there when it starts again. Refuses while the group has members: stop every "
                + "instance first.",
                "Without --execute it only prints the plan. Prints, per partition, the committed offset and the new one, and what "
                + "repeat-safety guarantees hold for the service."})
final class ReplayCommand implements Callable<Integer> {

    /** The three services, their default group (Kafka Streams application id, or the connector's consumer group). */
    enum Service {
        REQUEST_INGESTOR("request-ingestor"),
        DOMAIN_CONNECTOR("domain-connector"),
        PROPAGATION_WATCHER("propagation-watcher");

        final String id;

        Service(String id) {
            this.id = id;
        }

        static Service of(String name) {
            for (Service s : values()) {
                if (s.id.equals(name) || s.name().equalsIgnoreCase(name)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown service '" + name + "': request-ingestor, domain-connector or propagation-watcher");
        }

        /** Its input topics, from {@link Topics}: those whose consumers name this service. */
        List<TopicSpec<?>> inputs() {
            return Topics.all().stream().filter(t -> t.consumedBy().stream().anyMatch(c -> c.startsWith(id))).toList();
        }
    }

    @Parameters(paramLabel = "SERVICE", description = "request-ingestor, domain-connector or propagation-watcher")
    String service;

    @Option(names = "--to", required = true, paramLabel = "TIME",
            description = "re-process records from this time: ISO instant, date, or a duration ago (2h, 1d)")
    String to;

    @Option(names = "--group", paramLabel = "GROUP", description = "consumer group / application id, when not the service's default name")
    String group;

    @Option(names = "--topic", paramLabel = "TOPIC", description = "only these input topics (repeat); default: every input topic of the service")
    List<String> topics;

    @Option(names = "--execute", description = "apply the reset (without it: print the plan only)")
    boolean execute;

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Spec
    CommandSpec spec;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Service s = Service.of(service);
        String groupId = group != null ? group : s.id;
        Instant time = Times.parse(to, clock);
        List<String> inputs = new ArrayList<>();
        for (TopicSpec<?> t : s.inputs()) {
            if (topics == null || topics.contains(t.name()) || topics.contains(TimelineCommand.stage(t.name()))) {
                inputs.add(t.name());
            }
        }
        if (inputs.isEmpty()) {
            err.println("no input topic of " + s.id + " matches " + topics + "; its inputs: " + s.inputs().stream().map(TopicSpec::name).toList());
            err.flush();
            return 2;
        }
        try (Admin admin = connection.admin("domainlink-replay");
             TopicReader reader = new TopicReader(connection.consumer("domainlink-replay"))) {
            ConsumerGroupDescription description = describe(admin, groupId);
            Collection<MemberDescription> members = description == null ? List.of() : description.members();
            if (!members.isEmpty()) {
                err.println("refused: consumer group " + groupId + " is active (" + description.groupState() + ", " + members.size()
                        + " member(s)): stop every instance of " + s.id + " first.");
                members.forEach(m -> err.println("  member " + m.consumerId() + " client " + m.clientId() + " host " + m.host()));
                err.flush();
                return 1;
            }
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            if (!committed.isEmpty()) {
                // Topics lists who reads each topic; the group's own offsets say what it really subscribes to
                List<String> subscribed = inputs.stream().filter(t -> committed.keySet().stream().anyMatch(tp -> tp.topic().equals(t))).toList();
                if (!subscribed.isEmpty()) {
                    inputs = subscribed;
                }
            }
            List<TopicPartition> tps = new ArrayList<>();
            for (String topic : inputs) {
                tps.addAll(reader.partitions(topic));
            }
            Map<TopicPartition, Long> target = reader.offsetsAt(tps, time);
            out.printf("%s group %s: reset %d partitions of %s to the first record at or after %s%n%n",
                    execute ? "Replaying" : "Plan (dry run, --execute to apply) for", groupId, tps.size(), inputs, time);
            Table table = new Table("TOPIC", "PARTITION", "COMMITTED", "NEW", "RECORDS TO RE-PROCESS").alignRight(1, 2, 3, 4);
            Map<TopicPartition, OffsetAndMetadata> reset = new HashMap<>();
            long again = 0;
            for (TopicPartition tp : tps) {
                OffsetAndMetadata old = committed.get(tp);
                long next = target.get(tp);
                long delta = old == null ? 0 : Math.max(0, old.offset() - next);
                again += delta;
                table.row(tp.topic(), tp.partition(), old == null ? "-" : old.offset(), next, old == null ? "-" : delta);
                reset.put(tp, new OffsetAndMetadata(next, "domainlink replay to " + time));
            }
            table.print(out);
            out.println();
            if (execute) {
                admin.alterConsumerGroupOffsets(groupId, reset).all().get(30, TimeUnit.SECONDS);
                out.printf("Reset done: %d records will be read again when %s starts.%n%n", again, s.id);
            } else {
                out.printf("Nothing changed (dry run): %d records would be read again.%n%n", again);
            }
            out.println("What re-processing does (repeat-safety of " + s.id + "):");
            out.println(RepeatSafety.of(s));
            out.flush();
        }
        return 0;
    }

    private static ConsumerGroupDescription describe(Admin admin, String groupId) throws InterruptedException, java.util.concurrent.TimeoutException {
        try {
            return admin.describeConsumerGroups(List.of(groupId)).all().get(30, TimeUnit.SECONDS).get(groupId);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return null;
            }
            throw new IllegalStateException("cannot describe consumer group " + groupId + ": " + e.getCause(), e.getCause());
        }
    }
}
