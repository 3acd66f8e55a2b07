package io.domainlink.wix.sandbox;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar wix-sandbox-<version>-all.jar --port 9000 --scenario scenario.json}: starts the sandbox, prints
 * its base URL on a line of its own on stdout, and runs until SIGTERM / Ctrl-C, which stops it cleanly.
 */
@Command(name = "wix-sandbox", mixinStandardHelpOptions = true,
        description = "A local stand-in for https://www.wixapis.com (Connected Domains, DNS, Resellers).")
public final class WixSandboxMain implements Callable<Integer> {
    static final String LOG_CONFIG = "wix-sandbox-log4j2.xml";

    @Option(names = "--port", defaultValue = "9000", description = "TCP port, 0 for a free one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "address to listen on (default: ${DEFAULT-VALUE})")
    String bind;

    @Option(names = "--scenario", description = "scenario JSON file (default: the built-in default scenario)")
    Path scenario;

    @Option(names = "--threads", defaultValue = "16", description = "HTTP worker threads (default: ${DEFAULT-VALUE})")
    int threads;

    public static void main(String[] args) {
        if (System.getProperty("log4j2.configurationFile") == null
                && System.getProperty("log4j.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", LOG_CONFIG);
        }
        System.exit(new CommandLine(new WixSandboxMain()).execute(args));
    }

    /** Starts a sandbox from command-line arguments; the caller owns it. */
    static WixSandbox start(String... args) throws Exception {
        WixSandboxMain main = new WixSandboxMain();
        new CommandLine(main).parseArgs(args);
        return main.startSandbox();
    }

    private WixSandbox startSandbox() throws Exception {
        SandboxConfig config = SandboxConfig.defaults().withBindAddress(bind).withPort(port).withThreads(threads);
        if (scenario != null) {
            config = config.withScenario(Scenario.load(scenario));
        }
        return WixSandbox.start(config);
    }

    @Override
    public Integer call() throws Exception {
        WixSandbox sandbox = startSandbox();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.close();
            stopped.countDown();
        }, "wix-sandbox-shutdown"));
        System.out.println(sandbox.baseUrl());
        System.out.flush();
        stopped.await();
        return 0;
    }
}
