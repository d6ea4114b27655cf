package dev.switchboard.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.redis.testing.RedisServerExtension;
import dev.switchboard.server.testing.ExternalTools;
import dev.switchboard.server.testing.TestServers;
import dev.switchboard.transport.SwitchboardServer;
import dev.switchboard.transport.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin page in headless Chromium (docs/admin.md): three nodes over a real redis-server, each
 * with the admin page on its internal port and the same {@code admin.secret}, then
 * {@code conformance/test/admin.test.mjs} (playwright-core driving Debian's Chromium, stock
 * centrifuge-js clients) logs in on node A, sees the three nodes and node A's live charts, finds a
 * client of node B by user, publishes to it, invokes a method on it and disconnects it. Its
 * screenshots land in {@code server/target/admin-screenshots/}; docs/img/admin-*.png are copies.
 *
 * <p>Prerequisites: {@code node} 18+ with {@code conformance/node_modules}, Chromium and
 * {@code redis-server}. Missing ones skip the test with the reason printed, except under
 * {@code CI=true}, where they fail it.
 */
class AdminBrowserIT {

    private static final String TAG = "admin-browser";
    private static final String SECRET = "admin-browser-it-secret-shared-by-the-3-nodes";
    private static final Duration SUITE_TIMEOUT = Duration.ofSeconds(90);

    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.create();

    private final List<SwitchboardServer> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(SwitchboardServer::close);
    }

    @Test
    void anOperatorUsesThePageAgainstThreeNodes() throws Exception {
        Path root = ExternalTools.repoRoot();
        ExternalTools.requirePrerequisite(TAG, root != null, "repository root (with conformance/) not found");
        Path conformance = root.resolve("conformance");
        String node = ExternalTools.requireNodeSuite(TAG, conformance);
        String chromium = ExternalTools.requireChromium(TAG);

        long started = System.nanoTime();
        String prefix = "admin-it-" + Long.toHexString(System.nanoTime());
        SwitchboardServer a = startNode("a", prefix);
        SwitchboardServer b = startNode("b", prefix);
        SwitchboardServer c = startNode("c", prefix);
        Path shots = Path.of("target", "admin-screenshots").toAbsolutePath();

        int exit = ExternalTools.runNodeTests(
                TAG,
                node,
                conformance,
                List.of("test/admin.test.mjs"),
                Map.of(
                        "SWITCHBOARD_ADMIN_URL",
                        "http://127.0.0.1:" + a.internalPort() + AdminPage.PATH,
                        "SWITCHBOARD_ADMIN_PASSWORD",
                        AdminPageIT.PASSWORD,
                        "SWITCHBOARD_ADMIN_NODE_A_WS",
                        TestServers.wsUrl(a),
                        "SWITCHBOARD_ADMIN_NODE_B_WS",
                        TestServers.wsUrl(b),
                        "SWITCHBOARD_API_URL",
                        "http://127.0.0.1:" + c.internalPort() + "/api",
                        "SWITCHBOARD_API_KEY",
                        TestServers.API_KEY,
                        "SWITCHBOARD_HMAC_SECRET",
                        TestServers.SECRET,
                        "SWITCHBOARD_ADMIN_SCREENSHOTS",
                        shots.toString(),
                        "CHROMIUM",
                        chromium),
                SUITE_TIMEOUT);
        assertEquals(0, exit, "admin.test.mjs failed; the failing steps are listed above");
        for (String shot : List.of("admin-login", "admin-overview", "admin-lookup", "admin-consoles")) {
            assertTrue(Files.size(shots.resolve(shot + ".png")) > 10_000, shot + ".png was taken");
        }
        System.out.printf(
                "[%s] done in %d ms%n",
                TAG, Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    /** A node over the shared Redis: the page on its internal port, the same admin secret as the others. */
    private SwitchboardServer startNode(String name, String prefix) throws Exception {
        ServerConfig config = TestServers.config(TestServers.CONFIG_YAML
                + String.join(
                        "\n",
                        "node_name: admin-it-node-" + name,
                        "internal_port: " + ExternalTools.freePort(),
                        "internal_address: 127.0.0.1",
                        "engine: redis",
                        "redis:",
                        "  url: " + redis.url(),
                        "  prefix: " + prefix,
                        "shutdown:",
                        "  drain_delay: 0s",
                        "admin:",
                        "  enabled: true",
                        "  password: " + AdminPageIT.PASSWORD,
                        "  secret: " + SECRET,
                        ""));
        SwitchboardServer server = AdminPage.install(SwitchboardServer.builder().config(config), config.admin())
                .build();
        nodes.add(server);
        server.start();
        return server;
    }
}
