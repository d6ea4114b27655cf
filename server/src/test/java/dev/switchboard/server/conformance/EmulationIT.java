package dev.switchboard.server.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.redis.testing.RedisServerExtension;
import dev.switchboard.server.testing.ExternalTools;
import dev.switchboard.server.testing.TestServers;
import dev.switchboard.transport.SwitchboardServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HTTP-streaming and SSE emulation with a client we did not write: runs
 * {@code conformance/test/emulation.test.mjs} (centrifuge-js falling back from an unreachable
 * WebSocket) against two nodes over a real Redis, the stream on one and {@code /emulation} on the other.
 */
class EmulationIT {

    private static final String TAG = "emulation";

    @RegisterExtension
    static RedisServerExtension redis = RedisServerExtension.create();

    @Test
    void centrifugeJsFallsBackToHttpStreamAndSseAcrossTwoNodes() throws Exception {
        Path root = ExternalTools.repoRoot();
        ExternalTools.requirePrerequisite(TAG, root != null, "repository root (with conformance/) not found");
        Path conformance = root.resolve("conformance");
        String node = ExternalTools.requireNodeSuite(TAG, conformance);
        ExternalTools.requirePrerequisite(
                TAG,
                Files.isDirectory(conformance.resolve("node_modules").resolve("eventsource")),
                "conformance/node_modules/eventsource missing: run `npm ci --prefix conformance`");
        String prefix = "emu" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
        String yaml = String.join("\n", "engine: redis", "redis:", "  url: " + redis.url(), "  prefix: " + prefix, "");
        // An RPC method on node A, where the stream is: its reply travels back on the stream.
        try (SwitchboardServer a = TestServers.start(
                        yaml, bb -> bb.rpc("echo", r -> CompletableFuture.completedFuture(r.data())));
                SwitchboardServer b = TestServers.start(yaml, bb -> bb)) {
            int exit = ExternalTools.runNodeTests(
                    TAG,
                    node,
                    conformance,
                    List.of("test/emulation.test.mjs"),
                    Map.of(
                            "SWITCHBOARD_EMU_A",
                            "http://127.0.0.1:" + a.port(),
                            "SWITCHBOARD_EMU_B",
                            "http://127.0.0.1:" + b.port(),
                            "SWITCHBOARD_API_URL",
                            TestServers.apiUrl(a),
                            "SWITCHBOARD_API_KEY",
                            TestServers.API_KEY,
                            "SWITCHBOARD_HMAC_SECRET",
                            TestServers.SECRET),
                    Duration.ofMinutes(2));
            assertEquals(0, exit, "emulation.test.mjs failed (node exit " + exit + "); see the output above");
        }
    }
}
