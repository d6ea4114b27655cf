package dev.switchboard.server.cli;

import dev.switchboard.server.config.DevSecrets;
import dev.switchboard.transport.config.ConfigException;
import dev.switchboard.transport.config.ServerConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code checkconfig [--config FILE]}: validates the file plus environment exactly as
 * {@code serve} would, without starting anything. Prints {@code config OK} and exits 0, or
 * prints the error (naming the key) and exits 1.
 *
 * <pre>{@code
 * $ java -jar switchboard.jar checkconfig --config switchboard.yaml
 * config OK
 * }</pre>
 */
@Command(
        name = "checkconfig",
        mixinStandardHelpOptions = true,
        description = "Validate the configuration (file plus environment) and exit: 0 when OK, 1 otherwise.")
public final class CheckConfigCommand implements Callable<Integer> {

    private final CliContext ctx;

    @Mixin
    ConfigOption config;

    CheckConfigCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        ServerConfig cfg;
        try {
            cfg = config.load(ctx);
        } catch (ConfigException e) {
            ctx.err().println("config error: " + e.getMessage());
            return Main.EXIT_FAILURE;
        }
        ctx.out().println("config OK");
        Path file = config.resolvedFile(ctx);
        ctx.out().println("  source: " + (file == null ? "defaults" : file) + " plus SWITCHBOARD_* environment");
        ctx.out()
                .println("  engine " + cfg.engine().configName() + ", " + cfg.address() + ":" + cfg.port() + ", "
                        + cfg.channel().namespaces().size() + " namespace(s)");
        if (DevSecrets.needed(cfg)) {
            ctx.out()
                    .println("  note: no token key and no api_key configured; serve will use development secrets"
                            + " from " + DevSecrets.fileIn(ctx.workDir()));
        }
        return Main.EXIT_OK;
    }
}
