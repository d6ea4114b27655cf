package dev.switchboard.server.cli;

import dev.switchboard.server.config.DevSecrets;
import dev.switchboard.transport.auth.TokenGenerator;
import dev.switchboard.transport.config.ConfigException;
import dev.switchboard.transport.config.Durations;
import dev.switchboard.transport.config.ServerConfig;
import dev.switchboard.transport.config.TokenConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gentoken --user U [--ttl 1h] [--channels a,b] [--routing-key K] [--info JSON] [--config FILE]}:
 * prints an HS256 connection token, and nothing else, to standard output; with
 * {@code --channel CH}, a subscription token for that channel instead.
 *
 * <p>The secret is {@code token.hmac_secret} from the config file or
 * {@code SWITCHBOARD_TOKEN_HMAC_SECRET}; when neither a token key nor an API key is configured it
 * is the one {@code serve} stored in {@code .switchboard/dev-secrets.yaml}. The token carries the
 * configured audience and issuer, so it verifies on a node using the same configuration.
 *
 * <pre>{@code
 * $ TOKEN=$(java -jar switchboard.jar gentoken --user alice --channels news)
 * }</pre>
 */
@Command(
        name = "gentoken",
        mixinStandardHelpOptions = true,
        description = "Print an HS256 connection token for a user, or with --channel a subscription token"
                + " (for development and tests).")
public final class GenTokenCommand implements Callable<Integer> {

    private final CliContext ctx;

    @Mixin
    ConfigOption config;

    @Option(
            names = {"-u", "--user"},
            required = true,
            paramLabel = "USER",
            description = "User id (the sub claim).")
    String user;

    @Option(
            names = "--ttl",
            paramLabel = "DURATION",
            defaultValue = "1h",
            description = "Lifetime like 30m, 1h, 7d; 0 for a token that never expires (default: ${DEFAULT-VALUE}).")
    String ttl;

    @Option(
            names = "--channels",
            split = ",",
            paramLabel = "CHANNEL",
            description = "Channels the server subscribes the connection to (comma-separated).")
    List<String> channels;

    @Option(
            names = "--routing-key",
            paramLabel = "KEY",
            description = "The connection's routing key (routing_key claim), e.g. project:environment,"
                    + " which /api/invoke can target.")
    String routingKey;

    @Option(
            names = "--channel",
            paramLabel = "CHANNEL",
            description = "Mint a subscription token for this channel instead of a connection token"
                    + " (its sub must be the connection's user).")
    String channel;

    @Option(
            names = "--info",
            paramLabel = "JSON",
            description = "Connection info (or, with --channel, channel info) shown to other clients, as JSON.")
    String info;

    GenTokenCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        if (user.isBlank()) {
            ctx.err().println("--user must not be empty");
            return Main.EXIT_USAGE;
        }
        Duration lifetime;
        try {
            lifetime = Durations.parse(ttl);
        } catch (IllegalArgumentException e) {
            ctx.err().println("--ttl " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        TokenGenerator generator;
        try {
            ServerConfig cfg = config.load(ctx);
            Optional<String> secret = secret(cfg);
            if (secret.isEmpty()) {
                return Main.EXIT_FAILURE;
            }
            TokenConfig token = cfg.token();
            generator = TokenGenerator.hmac(secret.get());
            if (token.audience() != null) {
                generator = generator.withAudience(token.audience());
            }
            if (token.issuer() != null) {
                generator = generator.withIssuer(token.issuer());
            }
        } catch (ConfigException e) {
            ctx.err().println("config error: " + e.getMessage());
            return Main.EXIT_FAILURE;
        }
        List<String> subs = channels == null
                ? List.of()
                : channels.stream().map(String::trim).filter(c -> !c.isEmpty()).toList();
        if (channel != null && (!subs.isEmpty() || routingKey != null)) {
            ctx.err().println("--channel mints a subscription token: --channels and --routing-key do not apply");
            return Main.EXIT_USAGE;
        }
        try {
            Duration exp = lifetime.isZero() ? null : lifetime;
            byte[] infoJson = info == null ? null : info.getBytes(StandardCharsets.UTF_8);
            String jwt = channel != null
                    ? generator.subscriptionToken(user, channel, exp, infoJson)
                    : generator.connectToken(user, exp, subs, infoJson, routingKey);
            ctx.out().println(jwt);
            ctx.out().flush();
        } catch (IllegalArgumentException e) {
            ctx.err().println("cannot create token: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        return Main.EXIT_OK;
    }

    /** The HMAC secret to sign with, or empty after explaining on stderr why there is none. */
    private Optional<String> secret(ServerConfig cfg) {
        if (cfg.token().hmacSecret() != null) {
            return Optional.of(cfg.token().hmacSecret());
        }
        if (DevSecrets.needed(cfg)) {
            Optional<DevSecrets> dev = DevSecrets.read(ctx.workDir());
            if (dev.isPresent()) {
                return Optional.of(dev.get().hmacSecret());
            }
            ctx.err()
                    .println("no token secret: set token.hmac_secret in the config (or SWITCHBOARD_TOKEN_HMAC_SECRET),"
                            + " or run `serve` once in this directory to create " + DevSecrets.fileIn(ctx.workDir()));
            return Optional.empty();
        }
        ctx.err()
                .println("gentoken signs HS256 tokens and token.hmac_secret is not set;"
                        + " sign tokens with the private key matching the configured public key");
        return Optional.empty();
    }
}
