package io.domainlink.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.domainlink.common.kafka.KafkaDefaults;
import io.domainlink.common.registry.SchemaRegistryClient;
import io.domainlink.events.ConnectionRequested;
import io.domainlink.tools.RequestFile;
import io.domainlink.tools.RequestSubmitter;
import io.domainlink.tools.SubmitCommand;
import io.domainlink.tools.TailOutcomesCommand;
import io.domainlink.wix.sandbox.Scenario;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The local stack: {@code deploy/local-stack.sh} runs this. Starts the broker, the registry, the Wix sandbox, the
 * topics and the three services (in that order, each checked ready), submits the demo requests (or the user's),
 * plays the site owner, prints one line each time a request moves on, then a summary table, and stops everything in
 * reverse order (also on Ctrl-C). Subcommands {@code submit} and {@code tail-outcomes} talk to a running stack.
 */
@Command(name = "local-stack", mixinStandardHelpOptions = true, sortOptions = false,
        subcommands = {SubmitCommand.class, TailOutcomesCommand.class, TopicsCommand.class},
        description = {"Runs the whole pipeline locally: Kafka (KRaft), schema registry, Wix sandbox, request-ingestor, "
                + "domain-connector, propagation-watcher; submits demo requests for all three flows and shows their progress.",
                "Ctrl-C stops everything in reverse order."})
public final class LocalStack implements Callable<Integer> {

    static final String LOG_CONFIG = "local-stack-log4j2.properties";
    static final String DEMO_REQUESTS = "demo/requests.json";
    static final String DEMO_SCENARIO = "demo/sandbox-scenario.json";

    @Option(names = "--data-dir", description = "broker data, registry database, service state and logs; kept between runs "
            + "(default: data/ at the repository root)")
    Path dataDir;

    @Option(names = "--kafka-port", defaultValue = "9092", description = "Kafka broker port (default: ${DEFAULT-VALUE})")
    int kafkaPort;

    @Option(names = "--controller-port", defaultValue = "9093", description = "KRaft controller port (default: ${DEFAULT-VALUE})")
    int controllerPort;

    @Option(names = "--registry-port", defaultValue = "8082", description = "schema registry port (default: ${DEFAULT-VALUE})")
    int registryPort;

    @Option(names = "--sandbox-port", defaultValue = "9000", description = "Wix sandbox port (default: ${DEFAULT-VALUE})")
    int sandboxPort;

    @Option(names = "--requests", paramLabel = "FILE", description = "submit these requests (JSON, see demo/requests.json) instead of the demo set")
    Path requests;

    @Option(names = "--no-demo", description = "submit nothing: just start the stack and leave it running")
    boolean noDemo;

    @Option(names = "--keep-running", description = "after the summary, keep the stack running (and showing progress) until Ctrl-C")
    boolean keepRunning;

    @Option(names = "--scenario", paramLabel = "FILE", description = "Wix sandbox scenario JSON (default: demo/sandbox-scenario.json)")
    Path scenario;

    @Option(names = "--no-owner", description = "do not play the site owner (POINTING/SUBDOMAIN requests then wait for POST /_sandbox/owner-records/{domain})")
    boolean noOwner;

    @Option(names = "--timeout", defaultValue = "120", description = "seconds to wait for every submitted request's outcome (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Option(names = "--broker-heap", defaultValue = "512m", description = "heap of the broker process (default: ${DEFAULT-VALUE})")
    String brokerHeap;

    private final PrintStream out;
    private final Object lifecycle = new Object();
    private Stack stack;
    private PipelineObserver observer;
    private OwnerSimulator owner;
    private ProgressBoard board;
    private boolean summaryPrinted;

    public LocalStack() {
        this(System.out);
    }

    /** Prints progress to {@code out} instead of stdout (tests). */
    LocalStack(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        configureLogging(resolveDataDir(args));
        int code = new CommandLine(new LocalStack()).execute(args);
        System.exit(code);
    }

    /** Logs go to {@code <data-dir>/logs/local-stack.log}; the console shows progress and errors only. */
    static void configureLogging(Path dataDir) {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", LOG_CONFIG);
        }
        System.setProperty("domainlink.logDir", dataDir.resolve("logs").toAbsolutePath().toString());
    }

    private static Path resolveDataDir(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--data-dir") && i + 1 < args.length) {
                return Paths.get(args[i + 1]);
            }
            if (args[i].startsWith("--data-dir=")) {
                return Paths.get(args[i].substring("--data-dir=".length()));
            }
        }
        return defaultDataDir();
    }

    /** {@code data/} at the repository root (the folder holding {@code deploy/pom.xml}), else {@code ./data}. */
    static Path defaultDataDir() {
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("deploy/pom.xml"))) {
                return dir.resolve("data");
            }
        }
        return Paths.get("data").toAbsolutePath();
    }

    @Override
    public Integer call() throws Exception {
        Logger log = LoggerFactory.getLogger(LocalStack.class);
        Path data = (dataDir != null ? dataDir : defaultDataDir()).toAbsolutePath();
        Files.createDirectories(data);
        String run = Integer.toString(nextRun(data));
        Instant t0 = Instant.now();
        List<RequestFile.Planned> planned = noDemo ? List.of()
                : requests != null ? RequestFile.read(requests, run, t0)
                : RequestFile.parse(resource(DEMO_REQUESTS), run, t0);
        Scenario sandboxScenario = scenario != null ? Scenario.load(scenario) : Scenario.parse(resource(DEMO_SCENARIO));

        Thread hook = new Thread(this::shutdown, "local-stack-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("Starting the local stack (run " + run + ", data in " + data + ", logs in " + data.resolve("logs") + ")");
        Stack.Settings settings = new Stack.Settings(data, kafkaPort, controllerPort, registryPort, sandboxPort, sandboxScenario,
                System.getProperty("java.class.path"), brokerHeap, RegistryServer.locateJar(version()), null, null,
                PipelineServices.LOCAL_WATCH_SCHEDULE, null);
        try {
            Stack started = Stack.start(settings, out);
            synchronized (lifecycle) {
                stack = started;
            }
        } catch (RuntimeException e) {
            log.warn("the stack did not start", e);
            out.println();
            out.println("The stack did not start: " + e.getMessage());
            Runtime.getRuntime().removeShutdownHook(hook);
            return 2;
        }
        out.printf("Stack ready in %s.%n", Stack.seconds(Duration.between(t0, Instant.now()).toNanos()));

        SchemaRegistryClient registry = KafkaDefaults.registry(stack.clientConfig());
        board = new ProgressBoard(Instant.now(), true);
        List<java.util.function.Consumer<Object>> listeners = new ArrayList<>();
        if (!noOwner) {
            owner = stack.register("owner simulation", new OwnerSimulator(stack.sandbox().baseUrl(), Duration.ofSeconds(1)));
            listeners.add(owner);
        }
        observer = stack.register("progress observer", new PipelineObserver(stack.clientConfig(), registry, board, out, listeners, Clock.systemUTC()));

        int code = 0;
        if (!planned.isEmpty()) {
            out.printf("Submitting %d requests to %s; progress (time since submission, domain, flow, stage):%n", planned.size(),
                    io.domainlink.common.Topics.REQUESTS.name());
            board.restartClock(Instant.now());
            try (RequestSubmitter submitter = new RequestSubmitter(stack.clientConfig(), registry)) {
                for (RequestFile.Planned p : planned) {
                    ConnectionRequested request = p.stamped(Instant.now());
                    out.println(board.plan(request, p.expect()));
                    submitter.submit(request);
                }
            }
            List<String> ids = planned.stream().map(p -> p.request().getRequestId()).toList();
            Instant deadline = Instant.now().plusSeconds(timeoutSeconds);
            while (!board.allDone(ids) && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
            }
            Thread.sleep(300);   // let the last progress lines print before the table
            printSummary();
            code = board.allAsExpected() ? 0 : 1;
            if (!board.allDone(ids)) {
                out.println("Some requests have no outcome after " + timeoutSeconds + " s (see " + data.resolve("logs") + ").");
            }
        }
        if (keepRunning || planned.isEmpty()) {
            out.println();
            out.println("The stack keeps running. Try your own domain:");
            out.println("  deploy/local-stack.sh submit --file my-request.json      (see deploy/README.md)");
            out.println("  deploy/local-stack.sh tail-outcomes");
            out.println("Press Ctrl-C to stop everything.");
            new CountDownLatch(1).await();   // until Ctrl-C: the shutdown hook stops the stack
        }
        out.println("Stopping the local stack");
        shutdown();
        Runtime.getRuntime().removeShutdownHook(hook);
        registry.close();
        return code;
    }

    private void printSummary() {
        synchronized (lifecycle) {
            if (summaryPrinted || board == null) {
                return;
            }
            summaryPrinted = true;
        }
        out.println();
        out.print(board.summary());
        out.println();
        out.flush();
    }

    /** Ctrl-C or the end of the run: summary (if not shown yet), then every part stopped in reverse order. */
    private void shutdown() {
        Stack s;
        synchronized (lifecycle) {
            s = stack;
            stack = null;
        }
        if (s == null) {
            return;
        }
        if (board != null && !board.rows().isEmpty()) {
            printSummary();
        }
        s.close();
        out.println("Local stack stopped.");
        out.flush();
    }

    /** Run number kept in the data folder: the demo puts it in request ids and domains so every run is fresh. */
    static int nextRun(Path dataDir) throws IOException {
        Path file = dataDir.resolve("run-count");
        int run = 1;
        if (Files.isRegularFile(file)) {
            try {
                run = Integer.parseInt(Files.readString(file).trim()) + 1;
            } catch (NumberFormatException e) {
                run = 1;
            }
        }
        Files.writeString(file, Integer.toString(run));
        return run;
    }

    static String resource(String name) {
        try (InputStream in = LocalStack.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " missing from the deploy jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** This module's version, which is also the registry-server's. */
    static String version() {
        String v = LocalStack.class.getPackage().getImplementationVersion();
        return v != null ? v : resource("deploy-version.txt").trim();
    }
}
