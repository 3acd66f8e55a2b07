package io.domainlink.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

import picocli.CommandLine;

class DomainlinkCliTest {

    @Test
    void everyCommandAndSubcommandHasHelpWithADescription() {
        List<String> paths = new ArrayList<>();
        collect(DomainlinkCli.commandLine(), "", paths);

        assertThat(paths).contains("submit", "timeline", "export", "stats", "dlq", "dlq list", "dlq show", "dlq redrive", "replay", "tail-outcomes");
        paths.remove("help");   // picocli's `help COMMAND`, the same text as COMMAND --help
        for (String path : paths) {
            List<String> args = new ArrayList<>(List.of(path.split(" ")));
            args.add("--help");
            PipelineTopics.Run run = PipelineTopics.run(args.toArray(String[]::new));
            assertThat(run.exitCode()).as(path).isZero();
            assertThat(run.out()).as(path).startsWith("Usage: domainlink " + path).contains("-h, --help");
            assertThat(run.out().lines().skip(1).filter(l -> !l.isBlank()).count()).as(path + " says what it does").isGreaterThan(3);
        }
    }

    @Test
    void commandsThatTalkToKafkaShareTheConnectionOptions() {
        for (String command : List.of("submit", "timeline", "export", "stats", "replay", "tail-outcomes", "dlq list", "dlq redrive")) {
            List<String> args = new ArrayList<>(List.of(command.split(" ")));
            args.add("--help");
            String help = PipelineTopics.run(args.toArray(String[]::new)).out();
            assertThat(help).as(command).contains("--bootstrap-servers", "--registry-url", "--command-config", "--registry-basic-auth");
        }
    }

    @Test
    void aCommandErrorIsOneLineAndExitCodeOne() {
        PipelineTopics.Run run = PipelineTopics.run("export", "--topic", "dead-letter");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo("domainlink export: IllegalArgumentException: domains.dead-letter holds raw bytes, not Avro: "
                + "use `domainlink dlq list` / `dlq show`");
    }

    @Test
    void theTimelinePartitionIsTheOneTheProducersDefaultPartitionerChooses() {
        for (String domain : List.of("example.com", "shop.corner-bakery-1.com", "xn--bcher-kva.example", "a.b.c.d.e")) {
            byte[] key = domain.getBytes(StandardCharsets.UTF_8);
            for (int partitions : new int[] {1, 3, 6, 12}) {
                assertThat(TopicReader.partitionFor(key, partitions)).isEqualTo(BuiltInPartitioner.partitionForKey(key, partitions));
            }
        }
    }

    private static void collect(CommandLine cl, String prefix, List<String> out) {
        cl.getSubcommands().forEach((name, sub) -> {
            String path = prefix.isEmpty() ? name : prefix + " " + name;
            out.add(path);
            collect(sub, path, out);
        });
    }
}
