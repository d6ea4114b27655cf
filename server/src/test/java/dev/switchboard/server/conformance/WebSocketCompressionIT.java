package dev.switchboard.server.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.server.testing.ExternalTools;
import dev.switchboard.server.testing.TestServers;
import dev.switchboard.transport.SwitchboardServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * permessage-deflate with a client we did not write: runs {@code conformance/test/compression.test.mjs}
 * (centrifuge-js over {@code ws}) against a node with {@code websocket.compression: true}.
 */
class WebSocketCompressionIT {

    private static final String TAG = "compression";

    @Test
    void centrifugeJsOverCompressedWebSockets() throws Exception {
        Path root = ExternalTools.repoRoot();
        ExternalTools.requirePrerequisite(TAG, root != null, "repository root (with conformance/) not found");
        Path conformance = root.resolve("conformance");
        String node = ExternalTools.requireNodeSuite(TAG, conformance);
        String yaml = String.join(
                "\n", "websocket:", "  compression: true", "  compression_level: 1", "  compression_min_size: 64", "");
        try (SwitchboardServer server = TestServers.start(yaml, b -> b)) {
            int exit = ExternalTools.runNodeTests(
                    TAG,
                    node,
                    conformance,
                    List.of("test/compression.test.mjs"),
                    Map.of(
                            "SWITCHBOARD_COMPRESSION_WS_URL",
                            TestServers.wsUrl(server),
                            "SWITCHBOARD_HMAC_SECRET",
                            TestServers.SECRET),
                    Duration.ofMinutes(2));
            assertEquals(0, exit, "compression.test.mjs failed (node exit " + exit + "); see the output above");
        }
    }
}
