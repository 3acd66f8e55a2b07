package io.domainlink.tools;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.domainlink.common.Topics;
import io.domainlink.common.config.ServiceConfig;
import io.domainlink.common.registry.SchemaRegistryClient;
import io.domainlink.events.RecheckRequested;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code submit}: publishes {@code ConnectionRequested} events (from a JSON file, inline JSON or flags) to the requests
 * topic, or with {@code --recheck} a {@code RecheckRequested} to the rechecks topic, the way an upstream system does.
 */
@Command(name = "submit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Publishes ConnectionRequested events to " + "domains.requests" + " from a JSON file (one object or an array), "
                + "inline JSON or flags; or, with --recheck, a RecheckRequested to domains.rechecks (the owner says DNS was fixed).",
                "Keyed by the normalized domain, Avro in the Confluent wire format (schema registered on first use), acks=all."})
public final class SubmitCommand implements Callable<Integer> {

    static final class Source {
        @Option(names = "--file", paramLabel = "FILE", required = true, description = "JSON file with one request or an array of them")
        Path file;

        @Option(names = "--json", paramLabel = "JSON", required = true, description = "the request(s) as a JSON string")
        String json;

        @Option(names = "--domain", paramLabel = "DOMAIN", required = true, description = "build one request (or recheck) from flags for this domain")
        String domain;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--recheck", description = "publish a RecheckRequested for --domain instead of a request")
    boolean recheck;

    @Option(names = "--request-id", paramLabel = "ID", description = "request id (default: a random UUID; with --recheck: only that request's watch)")
    String requestId;

    @Option(names = "--connection-type", paramLabel = "TYPE", description = "NAMESERVERS or POINTING for a root domain; none for a subdomain")
    String connectionType;

    @Option(names = "--account-id", paramLabel = "GUID", description = "Wix account id")
    String accountId;

    @Option(names = "--site-id", paramLabel = "GUID", description = "Wix site id")
    String siteId;

    @Option(names = "--assignment", paramLabel = "PRIMARY|REDIRECT", description = "site assignment (default: PRIMARY)")
    String assignment;

    @Option(names = "--suppress-notifications", description = "ask Wix not to notify the owner")
    boolean suppressNotifications;

    @Option(names = "--plan-product", paramLabel = "GUID", description = "buy this Premium plan first (catalog product id)")
    String planProduct;

    @Option(names = "--plan-country", paramLabel = "CC", defaultValue = "US", description = "the plan's country code (default: ${DEFAULT-VALUE})")
    String planCountry;

    @Option(names = "--plan-cycle", paramLabel = "TYPE[:UNIT:COUNT]", defaultValue = "RECURRING:MONTH:1",
            description = "the plan's billing cycle, e.g. ONE_TIME or RECURRING:YEAR:1 (default: ${DEFAULT-VALUE})")
    String planCycle;

    @Option(names = "--correlation", paramLabel = "KEY=VALUE", description = "correlation metadata echoed on every event (repeat)")
    Map<String, String> correlation = new LinkedHashMap<>();

    @Mixin
    ConnectionOptions client = new ConnectionOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ServiceConfig config = client.config("domainlink-submit");
        if (recheck) {
            if (source.domain == null) {
                throw new ParameterException(spec.commandLine(), "--recheck needs --domain");
            }
            return recheck(config, out);
        }
        String run = Long.toString(System.currentTimeMillis() / 1000, 36);
        List<RequestFile.Planned> planned = source.file != null ? RequestFile.read(source.file, run, Instant.now())
                : source.json != null ? RequestFile.parse(source.json, run, Instant.now())
                : RequestFile.parse(AvroJson.write(fromFlags()), run, Instant.now());
        try (SchemaRegistryClient registry = client.registry();
             RequestSubmitter submitter = new RequestSubmitter(config, registry, "domainlink-submit")) {
            for (RequestFile.Planned p : planned) {
                RecordMetadata m = submitter.submit(p.stamped(Instant.now()));
                out.printf("submitted requestId=%s domain=%s to %s-%d@%d%n", p.request().getRequestId(),
                        p.request().getDomain(), Topics.REQUESTS.name(), m.partition(), m.offset());
            }
        }
        out.flush();
        return 0;
    }

    /** The flags as a request object in the file format, so flags and files are validated by one parser. */
    ObjectNode fromFlags() {
        ObjectNode n = AvroJson.JSON.createObjectNode();
        n.put("domain", source.domain);
        if (requestId != null) {
            n.put("requestId", requestId);
        }
        if (connectionType != null) {
            n.put("connectionType", connectionType);
        }
        n.put("accountId", accountId);
        n.put("siteId", siteId);
        if (assignment != null) {
            n.put("assignment", assignment);
        }
        n.put("suppressNotifications", suppressNotifications);
        if (planProduct != null) {
            ObjectNode plan = n.putObject("premiumPlan");
            plan.put("catalogProductId", planProduct);
            plan.put("countryCode", planCountry);
            String[] cycle = planCycle.split(":");
            ObjectNode c = plan.putObject("billingCycle");
            c.put("type", cycle[0]);
            if (cycle.length > 2) {
                c.put("unit", cycle[1]);
                c.put("count", Integer.parseInt(cycle[2]));
            }
        }
        ObjectNode corr = n.putObject("correlation");
        correlation.forEach(corr::put);
        return n;
    }

    private int recheck(ServiceConfig config, PrintWriter out) throws Exception {
        String domain = TimelineCommand.normalize(source.domain);
        RecheckRequested event = RecheckRequested.newBuilder()
                .setDomain(domain)
                .setRequestId(requestId)
                .setCorrelation(new LinkedHashMap<>(correlation))
                .setRequestedAt(Instant.now())
                .build();
        try (SchemaRegistryClient registry = client.registry();
             KafkaProducer<String, RecheckRequested> producer = new KafkaProducer<>(
                     io.domainlink.common.kafka.KafkaDefaults.producer(config, "domainlink-submit-recheck"), new StringSerializer(),
                     Topics.RECHECKS.valueSerializer(registry, true))) {
            RecordMetadata m = producer.send(new ProducerRecord<>(Topics.RECHECKS.name(), domain, event)).get(30, TimeUnit.SECONDS);
            out.printf("submitted recheck domain=%s%s to %s-%d@%d%n", domain, requestId == null ? "" : " requestId=" + requestId,
                    Topics.RECHECKS.name(), m.partition(), m.offset());
        }
        out.flush();
        return 0;
    }
}
