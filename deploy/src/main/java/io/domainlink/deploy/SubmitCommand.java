package io.domainlink.deploy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.producer.RecordMetadata;

import io.domainlink.common.Topics;
import io.domainlink.common.config.ServiceConfig;
import io.domainlink.common.kafka.KafkaDefaults;
import io.domainlink.common.registry.SchemaRegistryClient;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code local-stack submit --file r.json | --json '{...}'}: publishes ConnectionRequested events from JSON. */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = "Publishes ConnectionRequested events written as JSON (one object or an array; format in deploy/README.md) "
                + "to the requests topic of a running stack.")
final class SubmitCommand implements Callable<Integer> {

    static final class Source {
        @Option(names = "--file", paramLabel = "FILE", required = true, description = "JSON file with one request or an array of them")
        Path file;

        @Option(names = "--json", paramLabel = "JSON", required = true, description = "the request(s) as a JSON string")
        String json;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Mixin
    ClientOptions client = new ClientOptions();

    @Override
    public Integer call() throws Exception {
        String run = Long.toString(System.currentTimeMillis() / 1000, 36);
        List<RequestFile.Planned> planned = source.file != null
                ? RequestFile.read(source.file, run, Instant.now())
                : RequestFile.parse(source.json, run, Instant.now());
        ServiceConfig config = client.config("local-stack-submit");
        try (SchemaRegistryClient registry = KafkaDefaults.registry(config);
             RequestSubmitter submitter = new RequestSubmitter(config, registry)) {
            for (RequestFile.Planned p : planned) {
                RecordMetadata m = submitter.submit(p.request());
                System.out.printf("submitted requestId=%s domain=%s to %s-%d@%d%n", p.request().getRequestId(),
                        p.request().getDomain(), Topics.REQUESTS.name(), m.partition(), m.offset());
            }
        }
        return 0;
    }
}
