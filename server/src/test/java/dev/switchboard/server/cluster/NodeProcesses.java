package dev.switchboard.server.cluster;

import dev.switchboard.server.testing.ApiClient;
import dev.switchboard.server.testing.TestServers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Node processes sharing one Redis under a key prefix of their own, with an API client each, and
 * the round-robin over live nodes a load balancer with health checks would do.
 */
final class NodeProcesses implements AutoCloseable {

    final List<NodeProcess> nodes = new ArrayList<>();
    final List<ApiClient> apis = new ArrayList<>();
    final String prefix = "p" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
    private int next;

    /** Starts {@code count} node processes on {@code redisUrl}, each listening before the next starts. */
    static NodeProcesses start(int count, String redisUrl, Path dir) throws Exception {
        NodeProcess.requireJar();
        NodeProcesses p = new NodeProcesses();
        for (int i = 0; i < count; i++) {
            NodeProcess n = new NodeProcess(NodeProcess.freePort(), redisUrl, p.prefix, dir);
            p.nodes.add(n);
            n.start();
            p.apis.add(new ApiClient(n.apiUrl(), TestServers.API_KEY));
        }
        return p;
    }

    /** The WebSocket URL of the next live node, round-robin. */
    synchronized String nextUrl() {
        for (int i = 0; i < nodes.size(); i++) {
            NodeProcess n = nodes.get(next++ % nodes.size());
            if (n.alive()) {
                return n.wsUrl();
            }
        }
        return nodes.get(0).wsUrl();
    }

    /** Any node's API client, live or not (callers retry on another). */
    ApiClient anyApi() {
        return apis.get(ThreadLocalRandom.current().nextInt(apis.size()));
    }

    /** A live node's API client; at least one must be live. */
    ApiClient anyLiveApi() {
        while (true) {
            int i = ThreadLocalRandom.current().nextInt(apis.size());
            if (nodes.get(i).alive()) {
                return apis.get(i);
            }
        }
    }

    @Override
    public void close() {
        nodes.forEach(NodeProcess::close);
    }
}
