package dev.switchboard.server.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.core.channel.ChannelOptions;
import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.testing.ExternalTools;
import dev.switchboard.transport.SwitchboardServer;
import dev.switchboard.transport.config.ChannelConfig;
import dev.switchboard.transport.config.ServerConfig;
import dev.switchboard.transport.config.TokenConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Runs the Node.js conformance suite in {@code conformance/} — the real {@code centrifuge} npm
 * client driving a Switchboard node — against a node started in this JVM.
 *
 * <p>Prerequisites: {@code node} (18 or newer) on {@code PATH} (or its path in the {@code NODE}
 * environment variable) and {@code conformance/node_modules} ({@code npm ci} in
 * {@code conformance/}). When one is missing the test is skipped with the reason printed, except
 * with {@code CI=true}, where it fails: CI must run the suite.
 *
 * <p>The node is configured as documented at the top of
 * {@code conformance/test/centrifuge-js.test.mjs}; keep both in step. The suite also holds
 * {@code conformance/test/browser-origin.test.mjs}, which drives a real Chromium against the origin
 * check when one is installed and skips itself otherwise,
 * {@code conformance/test/centrifuge-js-protobuf.test.mjs}, which runs centrifuge-js's protobuf
 * build against the same node, {@code conformance/test/browser-uni-sse.test.mjs}, a real Chromium's own
 * {@code EventSource} resuming on uni SSE (the node serves {@code uni_sse}), and
 * {@code conformance/test/proxy.test.mjs}, which runs the application's backend on the port this
 * test chooses ({@code SWITCHBOARD_PROXY_BACKEND_PORT}) for a second node whose proxies point there
 * ({@code SWITCHBOARD_PROXY_WS_URL}; see {@link #startProxyNode}).
 */
class CentrifugeJsConformanceIT {

    private static final String API_KEY = "conformance-api-key";
    private static final String HMAC_SECRET = "conformance-hmac-secret-0123456789abcdef";
    private static final Duration SUITE_TIMEOUT = Duration.ofMinutes(5);

    @Test
    void centrifugeJsClientAgainstSwitchboard() throws Exception {
        Path root = ExternalTools.repoRoot();
        Path conformanceDir = root == null ? null : root.resolve("conformance");
        String node = ExternalTools.findExecutable("node", "NODE");
        requirePrerequisite(node != null, "node not found: install Node.js 18+ on PATH (or set NODE to its path)");
        int major = ExternalTools.nodeMajorVersion(node);
        requirePrerequisite(major >= 18, "node at " + node + " is version " + major + ", need 18 or newer");
        requirePrerequisite(
                conformanceDir != null,
                "conformance/ folder with package.json not found above "
                        + Paths.get("").toAbsolutePath());
        requirePrerequisite(
                Files.isDirectory(conformanceDir.resolve("node_modules").resolve("centrifuge"))
                        && Files.isDirectory(
                                conformanceDir.resolve("node_modules").resolve("ws")),
                "conformance/node_modules missing: run `npm ci` in " + conformanceDir);

        int backendPort = ExternalTools.freePort();
        try (RunningNode server = startNode();
                RunningNode proxied = startProxyNode(backendPort)) {
            System.out.println("[conformance] node under test: " + server.wsUrl() + " , API " + server.apiUrl());
            System.out.println("[conformance] proxy node: " + proxied.wsUrl() + " , backend port " + backendPort);
            int exit = ExternalTools.runNodeTests(
                    "conformance",
                    node,
                    conformanceDir,
                    List.of(),
                    Map.of(
                            "SWITCHBOARD_WS_URL",
                            server.wsUrl(),
                            "SWITCHBOARD_API_URL",
                            server.apiUrl(),
                            "SWITCHBOARD_API_KEY",
                            API_KEY,
                            "SWITCHBOARD_HMAC_SECRET",
                            HMAC_SECRET,
                            "SWITCHBOARD_PROXY_WS_URL",
                            proxied.wsUrl(),
                            "SWITCHBOARD_PROXY_BACKEND_PORT",
                            Integer.toString(backendPort)),
                    SUITE_TIMEOUT);
            assertEquals(
                    0,
                    exit,
                    "centrifuge-js conformance suite failed (node exit " + exit
                            + "); the failing tests are listed in the output above");
        }
    }

    // ------------------------------------------------------------------------------------------
    // The node under test

    /** A started node: the URLs the suite needs, stopped on close. */
    private record RunningNode(String wsUrl, String apiUrl, AutoCloseable stopper) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            stopper.close();
        }
    }

    private static RunningNode startNode() throws Exception {
        ChannelOptions defaults = ChannelOptions.builder()
                .historySize(100)
                .historyTtl(Duration.ofSeconds(300))
                .forceRecovery(true)
                .presence(true)
                .joinLeave(true)
                .allowPublishForSubscriber(true)
                .allowSubscribeForClient(true)
                .allowPresenceForSubscriber(true)
                .allowHistoryForSubscriber(true)
                .build();
        ChannelOptions small = ChannelOptions.builder()
                .historySize(3)
                .historyTtl(Duration.ofSeconds(300))
                .forceRecovery(true)
                .allowSubscribeForClient(true)
                .build();
        ChannelOptions delta = small.toBuilder()
                .historySize(100)
                .allowedDeltaTypes(List.of(ChannelOptions.DELTA_FOSSIL))
                .build();
        ChannelOptions cache = small.toBuilder()
                .historySize(10)
                .recoveryMode(dev.switchboard.core.channel.RecoveryMode.CACHE)
                .build();
        ChannelOptions privateNs =
                ChannelOptions.builder().allowSubscribeForClient(false).build();
        ServerConfig config = ServerConfig.builder()
                .address("127.0.0.1")
                .port(0)
                .apiKey(API_KEY)
                .uniSseEnabled(true)
                .token(TokenConfig.builder().hmacSecret(HMAC_SECRET).build())
                .channel(ChannelConfig.builder()
                        .defaultOptions(defaults)
                        .namespace("small", small)
                        .namespace("cache", cache)
                        .namespace("private", privateNs)
                        .namespace("delta", delta)
                        .build())
                .build();
        SwitchboardServer server = SwitchboardServer.builder()
                .config(config)
                .rpc("echo", request -> CompletableFuture.completedFuture(request.data()))
                .build();
        server.start();
        String base = "127.0.0.1:" + server.port();
        return new RunningNode("ws://" + base + "/connection/websocket", "http://" + base + "/api", server::close);
    }

    /**
     * The second node, for {@code conformance/test/proxy.test.mjs}: every client-facing proxy
     * pointed at {@code http://127.0.0.1:backendPort}, where that test file runs the application's
     * backend itself. Configured from YAML with the keys a Centrifugo user writes (see
     * docs/proxy.md). A node of its own, so the proxies never decide anything for the token-based
     * suite (its tokenless connects and unknown-method rpc would otherwise reach the backend).
     */
    private static RunningNode startProxyNode(int backendPort) {
        String base = "http://127.0.0.1:" + backendPort;
        String yaml = String.join(
                "\n",
                "address: 127.0.0.1",
                "port: 0",
                "client:",
                "  proxy:",
                "    connect: {enabled: true, endpoint: \"" + base + "/rt/connect\", timeout: 2s,"
                        + " http_headers: [Cookie]}",
                "rpc:",
                "  proxy: {enabled: true, endpoint: \"" + base
                        + "/rt/rpc\", timeout: 2s, include_connection_meta: true}",
                "channel:",
                "  proxy:",
                "    subscribe: {endpoint: \"" + base + "/rt/subscribe\", timeout: 2s, http_headers: [Cookie]}",
                "    publish: {endpoint: \"" + base + "/rt/publish\", timeout: 2s}",
                "  namespaces:",
                "    - name: jobs",
                "      subscribe_proxy_enabled: true",
                "      publish_proxy_enabled: true",
                "");
        ServerConfig config = ConfigLoader.loadYaml(
                yaml,
                "conformance-proxy",
                Map.of("SWITCHBOARD_TOKEN_HMAC_SECRET", HMAC_SECRET, "SWITCHBOARD_API_KEY", API_KEY));
        SwitchboardServer server = SwitchboardServer.builder().config(config).build();
        server.start();
        String hostPort = "127.0.0.1:" + server.port();
        return new RunningNode(
                "ws://" + hostPort + "/connection/websocket", "http://" + hostPort + "/api", server::close);
    }

    private static void requirePrerequisite(boolean met, String reason) {
        ExternalTools.requirePrerequisite("conformance", met, reason);
    }
}
