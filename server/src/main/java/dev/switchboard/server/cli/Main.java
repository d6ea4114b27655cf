package dev.switchboard.server.cli;

import dev.switchboard.core.node.NodeOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code switchboard} command line: {@code serve}, {@code genconfig}, {@code gentoken},
 * {@code checkconfig}.
 *
 * <p>Exit codes: {@value #EXIT_OK} success; {@value #EXIT_FAILURE} bad configuration, a check
 * that failed, a server that could not start, a file that would be overwritten; {@value #EXIT_USAGE}
 * wrong arguments.
 *
 * <pre>{@code
 * java -jar switchboard.jar serve                       # dev node on :8000, in-memory engine
 * java -jar switchboard.jar gentoken --user alice       # a dev token for that node
 * int exit = Main.run(CliContext.system(), "checkconfig", "--config", "prod.yaml");
 * }</pre>
 */
@Command(
        name = "switchboard",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Real-time messaging server speaking the Centrifugo client protocol.",
        commandListHeading = "%nCommands:%n",
        footer = {
            "",
            "Exit codes: 0 success, 1 failure (bad config, check failed, cannot start), 2 wrong arguments.",
            "Configuration reference: docs/configuration.md"
        })
public final class Main implements Callable<Integer> {

    /** Success. */
    public static final int EXIT_OK = 0;
    /** Bad configuration, failed check, server could not start, refused overwrite. */
    public static final int EXIT_FAILURE = 1;
    /** Wrong command-line arguments (picocli's usage code). */
    public static final int EXIT_USAGE = 2;

    @Spec
    CommandSpec spec;

    private Main() {}

    /**
     * Netty's leak detection level when the JVM is not given one: {@code disabled}. At its own
     * default it tracks about one buffer in 128 with a stack trace, which costs a busy node about 1 %
     * of its CPU (measured: {@code docs/benchmarks.md}). In-process tests keep Netty's default.
     */
    static final String DEFAULT_LEAK_DETECTION = "disabled";

    private static final String LEAK_DETECTION_PROPERTY = "io.netty.leakDetection.level";

    /** Runs the command line in this JVM and exits with its code. */
    public static void main(String[] args) {
        // Before any Netty class loads; -Dio.netty.leakDetection.level=simple turns it back on.
        if (System.getProperty(LEAK_DETECTION_PROPERTY) == null) {
            System.setProperty(LEAK_DETECTION_PROPERTY, DEFAULT_LEAK_DETECTION);
        }
        System.exit(run(CliContext.system(), args));
    }

    /**
     * Runs one command and returns its exit code, never calling {@code System.exit}.
     *
     * @param ctx streams, environment and working directory to use
     * @param args the arguments, starting with the command name
     */
    public static int run(CliContext ctx, String... args) {
        return commandLine(ctx).execute(args);
    }

    /** The configured picocli command line, for embedding or tests. */
    public static CommandLine commandLine(CliContext ctx) {
        CommandLine cl = new CommandLine(new Main());
        cl.addSubcommand(new ServeCommand(ctx));
        cl.addSubcommand(new GenConfigCommand(ctx));
        cl.addSubcommand(new GenTokenCommand(ctx));
        cl.addSubcommand(new CheckConfigCommand(ctx));
        cl.setOut(ctx.out());
        cl.setErr(ctx.err());
        // Failures are reported as one line; stack traces could only confuse, and none should leak into logs.
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + e.getMessage());
            return EXIT_FAILURE;
        });
        return cl;
    }

    @Override
    public Integer call() {
        // No command given: show what there is.
        spec.commandLine().usage(spec.commandLine().getErr());
        return EXIT_USAGE;
    }

    /** Reports the node version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"switchboard " + NodeOptions.DEFAULT_VERSION};
        }
    }
}
