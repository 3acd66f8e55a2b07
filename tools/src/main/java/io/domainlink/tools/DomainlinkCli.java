package io.domainlink.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code domainlink}: the analysts' and operators' command line. Works against any cluster and registry the services
 * work against (the same environment variables, or {@code --bootstrap-servers}, {@code --registry-url},
 * {@code --command-config} for Kafka security settings).
 */
@Command(name = "domainlink", mixinStandardHelpOptions = true, versionProvider = DomainlinkCli.Version.class,
        description = "Analyst and operator tools for the domainlink pipeline: publish requests, follow a domain, export topics, "
                + "outcome statistics, dead letters, consumer-group replay.",
        subcommands = {SubmitCommand.class, TimelineCommand.class, ExportCommand.class, StatsCommand.class, DlqCommand.class,
                ReplayCommand.class, TailOutcomesCommand.class, CommandLine.HelpCommand.class})
public final class DomainlinkCli implements Runnable {

    static final String LOG_CONFIG = "domainlink-cli-log4j2.properties";

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", LOG_CONFIG);
        }
        System.exit(commandLine().execute(args));
    }

    /** The command line with its error handling: a failed command prints one line (the cause), not a stack trace. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new DomainlinkCli());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            Throwable cause = e;
            while (cause.getCause() != null && (cause.getMessage() == null || cause instanceof java.util.concurrent.ExecutionException)) {
                cause = cause.getCause();
            }
            commandLine.getErr().println("domainlink " + commandLine.getCommandName() + ": " + cause.getClass().getSimpleName()
                    + ": " + cause.getMessage());
            commandLine.getErr().flush();
            return 1;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = DomainlinkCli.class.getPackage().getImplementationVersion();
            return new String[] {"domainlink " + (v == null ? "(development build)" : v)};
        }
    }
}
