package dev.switchboard.server.admin;

import dev.switchboard.transport.SwitchboardServer;
import dev.switchboard.transport.config.AdminConfig;
import dev.switchboard.transport.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mounts the operator's admin page (docs/admin.md) on a server being built, when
 * {@code admin.enabled}: at {@code /admin} on the internal port, or on the only port without
 * {@code internal_port}.
 *
 * <pre>{@code
 * ServerConfig config = ConfigLoader.load(...);
 * SwitchboardServer server = AdminPage.install(SwitchboardServer.builder().config(config), config.admin())
 *     .build()
 *     .start();
 * // then open http://127.0.0.1:<internal port>/admin/ and log in with admin.password
 * }</pre>
 */
public final class AdminPage {

    private static final Logger log = LoggerFactory.getLogger(AdminPage.class);

    /** Where the page lives. */
    public static final String PATH = AdminEndpoint.PREFIX + "/";

    private AdminPage() {}

    /**
     * Mounts the page when {@code admin.enabled}; does nothing otherwise.
     *
     * @return {@code builder}
     * @throws ConfigException naming {@code admin.password} when enabled without one
     */
    public static SwitchboardServer.Builder install(SwitchboardServer.Builder builder, AdminConfig admin) {
        if (!admin.enabled()) {
            return builder;
        }
        if (admin.password() == null) {
            throw new ConfigException("admin.password", "must be set when admin.enabled is true");
        }
        byte[] secret;
        if (admin.secret() != null) {
            secret = admin.secret().getBytes(StandardCharsets.UTF_8);
        } else {
            log.info("admin.secret is not set: admin sessions are signed with a random key and end with this"
                    + " process; nodes behind one address need the same admin.secret");
            secret = AdminSessions.randomSecret();
        }
        Clock clock = Clock.systemUTC();
        AdminSessions sessions = new AdminSessions(secret, admin.sessionTtl(), clock);
        LoginLimiter limiter = new LoginLimiter(clock);
        return builder.mount(
                AdminEndpoint.PREFIX,
                server -> new AdminEndpoint(
                        admin.password(),
                        sessions,
                        limiter,
                        server.apiExecutor()::execute,
                        () -> AdminStats.json(server.node().info(), server.meterRegistry(), clock.millis())));
    }
}
