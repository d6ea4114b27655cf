package dev.switchboard.server.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.protocol.ProtocolCodec;
import dev.switchboard.server.testing.TestServers;
import dev.switchboard.server.testing.WsTestClient;
import dev.switchboard.transport.SwitchboardServer;
import dev.switchboard.transport.proxy.TestBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/** What the proxy ITs share: a real HTTP backend on 127.0.0.1, the node under test, its clients. */
abstract class ProxyITSupport {

    final TestBackend backend;
    final List<AutoCloseable> toClose = new ArrayList<>();
    SwitchboardServer server;

    ProxyITSupport() throws Exception {
        backend = new TestBackend();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
        backend.close();
    }

    /** Starts the node from the test config plus these YAML lines, as a Centrifugo user would write them. */
    void startWithYaml(String... lines) {
        server = TestServers.start("\n" + String.join("\n", lines) + "\n", b -> b);
    }

    /** A WebSocket client of the node whose upgrade request carries {@code headers}, closed after the test. */
    WsTestClient open(Map<String, String> headers) {
        WsTestClient c = WsTestClient.open(TestServers.wsUrl(server), headers);
        toClose.add(c);
        return c;
    }

    /** The requests the backend got on {@code path}, in order. */
    List<TestBackend.Seen> seen(String path) {
        return backend.seen.stream().filter(s -> s.path().equals(path)).toList();
    }

    static JsonNode json(String s) throws Exception {
        return ProtocolCodec.mapper().readTree(s);
    }

    static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }
}
