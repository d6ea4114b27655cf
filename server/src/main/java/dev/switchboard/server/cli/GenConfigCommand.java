package dev.switchboard.server.cli;

import dev.switchboard.server.config.DevSecrets;
import dev.switchboard.server.config.SampleConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code genconfig [FILE] [--force]}: writes the commented sample configuration (every key
 * with its default) with a fresh random {@code token.hmac_secret} and {@code api_key}.
 *
 * <p>The file is created readable by its owner only, since it holds secrets; the secrets are
 * never printed.
 *
 * <pre>{@code
 * $ java -jar switchboard.jar genconfig                # writes ./switchboard.yaml
 * $ java -jar switchboard.jar genconfig prod.yaml --force
 * }</pre>
 */
@Command(
        name = "genconfig",
        mixinStandardHelpOptions = true,
        description = "Write a commented sample config with a new random token secret and API key.")
public final class GenConfigCommand implements Callable<Integer> {

    /** File written when none is named. */
    public static final String DEFAULT_FILE = "switchboard.yaml";

    static final String SECRET_LINE = "  hmac_secret: \"\"";
    static final String API_KEY_LINE = "api_key: \"\"";

    private final CliContext ctx;

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "FILE",
            defaultValue = DEFAULT_FILE,
            description = "Where to write (default: ${DEFAULT-VALUE}).")
    Path file;

    @Option(
            names = {"-f", "--force"},
            description = "Overwrite FILE if it exists.")
    boolean force;

    GenConfigCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    /** The sample with new secrets filled in. */
    static String render() {
        String sample = sample();
        return replaceOnce(
                replaceOnce(sample, SECRET_LINE, "  hmac_secret: \"" + DevSecrets.newHmacSecret() + "\""),
                API_KEY_LINE,
                "api_key: \"" + DevSecrets.newApiKey() + "\"");
    }

    /** The sample as written from the key table (empty secrets). */
    static String sample() {
        return SampleConfig.text();
    }

    private static String replaceOnce(String text, String line, String replacement) {
        int at = text.indexOf("\n" + line + "\n");
        if (at < 0 || text.indexOf("\n" + line + "\n", at + 1) >= 0) {
            throw new IllegalStateException("sample config must contain the line '" + line + "' exactly once");
        }
        return text.substring(0, at + 1) + replacement + text.substring(at + 1 + line.length());
    }

    @Override
    public Integer call() throws IOException {
        Path target = ctx.resolve(file);
        if (Files.exists(target) && !force) {
            ctx.err().println(file + " already exists; use --force to overwrite it");
            return Main.EXIT_FAILURE;
        }
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".genconfig", ".tmp", ownerOnly());
        try {
            Files.writeString(tmp, render(), StandardCharsets.UTF_8);
            if (force) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.move(tmp, target); // fails if someone created the file meanwhile
            }
        } catch (FileAlreadyExistsException e) {
            ctx.err().println(file + " already exists; use --force to overwrite it");
            return Main.EXIT_FAILURE;
        } finally {
            Files.deleteIfExists(tmp);
        }
        ctx.out().println("wrote " + file + " with a new token.hmac_secret and api_key (keep the file private)");
        ctx.out().println("check it:  " + ServeCommand.selfCommand() + " checkconfig --config " + file);
        ctx.out().println("start it:  " + ServeCommand.selfCommand() + " serve --config " + file);
        return Main.EXIT_OK;
    }

    private static FileAttribute<?>[] ownerOnly() {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[] {
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
        };
    }
}
