package dev.switchboard.transport.config;

import dev.switchboard.transport.tls.TlsMaterial;
import java.nio.file.Path;

/**
 * Checks that need more than the values themselves: whether key files exist and hold usable keys (the
 * token keys, the TLS certificate and key), whether the {@code io_transport} named loads here,
 * and a dry run of the mapping to the core options. Runs before anything starts so that a bad
 * config never leaves a half-started node.
 *
 * <pre>{@code
 * ConfigValidator.validate(config); // throws ConfigException naming the key
 * }</pre>
 */
public final class ConfigValidator {

    private ConfigValidator() {}

    /**
     * Validates the config.
     *
     * @throws ConfigException naming the first key that is wrong
     */
    public static void validate(ServerConfig config) {
        config.token().checkPublicKeys();
        try {
            config.ioTransport().resolve();
        } catch (IllegalStateException e) {
            throw new ConfigException("io_transport", e.getMessage().replaceFirst("^io_transport: ", ""));
        }
        config.toNodeOptions();
        if (config.tls().enabled()) {
            // Reads both files and checks the key belongs to the certificate; the context is dropped.
            TlsMaterial.read(
                    Path.of(config.tls().certPemFile()), Path.of(config.tls().keyPemFile()));
        }
    }
}
