package dev.switchboard.server.cli;

import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.transport.config.ServerConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option shared by the commands that read configuration. */
public final class ConfigOption {

    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            description =
                    "YAML config file. Default: $SWITCHBOARD_CONFIG, else none (defaults plus SWITCHBOARD_* environment).")
    Path file;

    /** The file that will be read, resolved against the working directory, or {@code null} for none. */
    Path resolvedFile(CliContext ctx) {
        Path f = ConfigLoader.configFile(file, ctx.env());
        return f == null ? null : ctx.resolve(f);
    }

    /**
     * Loads and validates the configuration.
     *
     * @throws dev.switchboard.transport.config.ConfigException naming the bad key
     */
    ServerConfig load(CliContext ctx) {
        return ConfigLoader.load(resolvedFile(ctx), ctx.env());
    }

    /** As given on the command line, for printing commands back to the user; {@code null} when not given. */
    String asGiven() {
        return file == null ? null : file.toString();
    }
}
