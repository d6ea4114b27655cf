package dev.switchboard.server.cluster;

import dev.switchboard.server.testing.ApiClient;
import dev.switchboard.server.testing.TestServers;
import dev.switchboard.server.testing.WsTestClient;
import dev.switchboard.transport.SwitchboardServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Several nodes in this JVM sharing one Redis under a prefix of their own. */
final class TestCluster implements AutoCloseable {

    final List<SwitchboardServer> nodes = new ArrayList<>();
    final String redisUrl;
    final String prefix = "t" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
    private int next;

    TestCluster(String redisUrl, int size) {
        this.redisUrl = redisUrl;
        for (int i = 0; i < size; i++) {
            nodes.add(startNode());
        }
    }

    /** @param redisUrl one Redis URL, or several separated by spaces for {@code redis.urls} */
    SwitchboardServer startNode() {
        String where = redisUrl.contains(" ")
                ? "  urls: [" + String.join(", ", redisUrl.split(" ")) + "]"
                : "  url: " + redisUrl;
        return TestServers.start(
                String.join("\n", "engine: redis", "redis:", where, "  prefix: " + prefix, ""), b -> b);
    }

    SwitchboardServer node(int i) {
        return nodes.get(i);
    }

    ApiClient api(int i) {
        return new ApiClient(TestServers.apiUrl(nodes.get(i)), TestServers.API_KEY);
    }

    /** A connected client on the next node, round-robin, as behind a plain load balancer. */
    WsTestClient client(String user) {
        SwitchboardServer s = nodes.get(next++ % nodes.size());
        WsTestClient c = WsTestClient.open(TestServers.wsUrl(s));
        c.connect(TestServers.token(user));
        return c;
    }

    @Override
    public void close() {
        for (SwitchboardServer s : nodes) {
            s.close();
        }
    }
}
