package dev.switchboard.bench.proc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.bench.BenchContext;
import dev.switchboard.bench.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The system under test: K nodes of Switchboard ({@code java -jar switchboard.jar serve}) or of
 * the Socket.IO peer ({@code node bench/peer/server.js}), sharing one fresh Redis. Everything
 * listens on 127.0.0.1 and is stopped by {@link #close()} (and by {@code timeout} regardless).
 */
public final class Cluster implements AutoCloseable {

    public static final String SWITCHBOARD = "switchboard";
    /** The Socket.IO peer on {@code @socket.io/redis-adapter} (Redis PUB/SUB). */
    public static final String SOCKETIO = "socketio";
    /** The Socket.IO peer on {@code @socket.io/redis-streams-adapter} with connection-state recovery. */
    public static final String SOCKETIO_STREAMS = "socketio-streams";

    /** Every system the bench knows, in the order it runs them. */
    public static final List<String> SYSTEMS = List.of(SWITCHBOARD, SOCKETIO, SOCKETIO_STREAMS);

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private final String system;
    private final RedisServer redis;
    private final List<Managed> nodes;
    private final List<InetSocketAddress> addresses;
    private final String redisPrefix;
    private final BenchContext ctx;

    private Cluster(
            BenchContext ctx,
            String system,
            RedisServer redis,
            List<Managed> nodes,
            List<InetSocketAddress> addresses,
            String redisPrefix) {
        this.ctx = ctx;
        this.system = system;
        this.redis = redis;
        this.nodes = nodes;
        this.addresses = addresses;
        this.redisPrefix = redisPrefix;
    }

    /**
     * Starts Redis and {@code k} nodes of {@code system}.
     *
     * @param channelYaml the {@code channel:} section for Switchboard nodes (indented by two spaces)
     */
    public static Cluster start(
            BenchContext ctx, String system, String scenario, int k, String channelYaml, long maxSeconds)
            throws IOException, InterruptedException {
        RedisServer redis = RedisServer.start(ctx, scenario, system + "-redis", maxSeconds);
        return start(ctx, system, scenario, k, redis, redis.url(), "", channelYaml, maxSeconds);
    }

    /**
     * {@code k} Switchboard nodes on a Redis the caller started and stops ({@code redisUrl}: any
     * URL the nodes accept, {@code redis+cluster://} too); {@link #redis()} is then null.
     */
    public static Cluster startOn(
            BenchContext ctx, String scenario, int k, String redisUrl, String channelYaml, long maxSeconds)
            throws IOException, InterruptedException {
        return start(ctx, SWITCHBOARD, scenario, k, null, redisUrl, "", channelYaml, maxSeconds);
    }

    /**
     * One Switchboard node on the memory engine (no Redis): for scenarios measuring one node alone.
     *
     * @param clientYaml extra lines of the {@code client:} section (indented by two spaces)
     */
    public static Cluster startMemory(
            BenchContext ctx, String scenario, String clientYaml, String channelYaml, long maxSeconds)
            throws IOException, InterruptedException {
        return start(ctx, SWITCHBOARD, scenario, 1, null, null, clientYaml, channelYaml, maxSeconds);
    }

    private static Cluster start(
            BenchContext ctx,
            String system,
            String scenario,
            int k,
            RedisServer redis,
            String redisUrl,
            String clientYaml,
            String channelYaml,
            long maxSeconds)
            throws IOException, InterruptedException {
        List<Managed> nodes = new ArrayList<>();
        List<InetSocketAddress> addresses = new ArrayList<>();
        String prefix = "sbbench";
        try {
            Path config = null;
            if (system.equals(SWITCHBOARD)) {
                config = ctx.runDir().resolve(scenario + "-node.yaml");
                Files.writeString(config, nodeConfig(clientYaml, channelYaml));
            }
            for (int i = 0; i < k; i++) {
                int port = BenchContext.freePort();
                String name = system + "-node" + (i + 1);
                Path log = ctx.logs(scenario).resolve(name + ".log");
                Managed m;
                if (system.equals(SWITCHBOARD)) {
                    List<String> cmd = new ArrayList<>();
                    cmd.add(BenchContext.javaBin());
                    cmd.addAll(ctx.nodeJvmOpts());
                    if (ctx.jfr()) {
                        Path jfr = ctx.out().resolve("jfr").resolve(scenario + "-" + name + ".jfr");
                        Files.createDirectories(jfr.getParent());
                        cmd.add("-XX:StartFlightRecording=settings=profile,filename=" + jfr + ",dumponexit=true");
                    }
                    cmd.addAll(List.of("-jar", ctx.serverJar().toString(), "serve", "--config", config.toString()));
                    Map<String, String> env = new HashMap<>();
                    env.put("SWITCHBOARD_TOKEN_HMAC_SECRET", ctx.secret());
                    env.put("SWITCHBOARD_API_KEY", ctx.apiKey());
                    env.put("SWITCHBOARD_PORT", Integer.toString(port));
                    if (redisUrl != null) {
                        env.put("SWITCHBOARD_ENGINE", "redis");
                        env.put("SWITCHBOARD_REDIS_URL", redisUrl);
                    } else {
                        env.put("SWITCHBOARD_ENGINE", "memory");
                    }
                    env.put("SWITCHBOARD_NODE_NAME", name);
                    env.put("SWITCHBOARD_IO_THREADS", Integer.toString(ctx.nodeIoThreads()));
                    env.put("SWITCHBOARD_IO_TRANSPORT", ctx.nodeIoTransport());
                    env.putAll(ctx.nodeEnv());
                    m = Managed.start(
                            name,
                            cmd,
                            env,
                            ctx.runDir(),
                            log,
                            maxSeconds,
                            false,
                            ctx.pinning().nodes());
                } else {
                    peerAdapter(system); // an unknown system fails here, before anything starts
                    List<String> cmd = List.of(
                            "node",
                            "--expose-gc",
                            "--max-old-space-size=4096",
                            "server.js",
                            "--port",
                            Integer.toString(port),
                            "--redis",
                            redisUrl,
                            "--name",
                            name,
                            "--max-seconds",
                            Long.toString(maxSeconds),
                            "--adapter",
                            peerAdapter(system));
                    m = Managed.start(
                            name,
                            cmd,
                            Map.of(),
                            ctx.peerDir(),
                            log,
                            maxSeconds + 10,
                            false,
                            ctx.pinning().nodes());
                }
                nodes.add(m);
                addresses.add(new InetSocketAddress("127.0.0.1", port));
            }
            for (int i = 0; i < k; i++) {
                awaitHealthy(nodes.get(i), addresses.get(i));
            }
            return new Cluster(ctx, system, redis, nodes, addresses, prefix);
        } catch (IOException | InterruptedException | RuntimeException e) {
            nodes.forEach(Managed::close);
            if (redis != null) {
                redis.close();
            }
            throw e;
        }
    }

    private static String nodeConfig(String clientYaml, String channelYaml) {
        return """
            # Written by the bench: limits raised for load, everything else at its default.
            address: 127.0.0.1
            shutdown_timeout: 2s
            client:
              command_rate_limit: 0
              max_pending_commands: 100000
              queue_max_bytes: 8MiB
            """ + clientYaml + """
            redis:
              prefix: sbbench
            channel:
            """ + channelYaml;
    }

    private static void awaitHealthy(Managed m, InetSocketAddress a) throws IOException, InterruptedException {
        // 60 s: a node on a Redis Cluster on a busy two-core machine has been seen to take 30.
        long deadline = System.currentTimeMillis() + 60_000;
        URI uri = URI.create("http://127.0.0.1:" + a.getPort() + "/health");
        while (System.currentTimeMillis() < deadline) {
            if (!m.isAlive()) {
                throw new IOException(m.name() + " exited at start (see " + m.log() + ")");
            }
            try {
                HttpResponse<String> r = HTTP.send(
                        HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IOException(m.name() + " not healthy within 60 s (see " + m.log() + ")");
    }

    public String system() {
        return system;
    }

    /** Whether {@code system} is one of the Socket.IO peers. */
    public static boolean isPeer(String system) {
        return system.equals(SOCKETIO) || system.equals(SOCKETIO_STREAMS);
    }

    /** What the load generator speaks to {@code system}: both peers speak Socket.IO. */
    public static String protocol(String system) {
        return isPeer(system) ? SOCKETIO : system;
    }

    /** The peer's {@code --adapter} for {@code system}. */
    private static String peerAdapter(String system) {
        return switch (system) {
            case SOCKETIO -> "redis";
            case SOCKETIO_STREAMS -> "redis-streams";
            default ->
                throw new IllegalArgumentException(
                        "unknown system " + system + " (one of " + String.join(", ", SYSTEMS) + ")");
        };
    }

    public boolean isSwitchboard() {
        return system.equals(SWITCHBOARD);
    }

    public List<InetSocketAddress> addresses() {
        return addresses;
    }

    public List<Managed> nodes() {
        return nodes;
    }

    /** Redis, or null for a node on the memory engine. */
    public RedisServer redis() {
        return redis;
    }

    public String redisPrefix() {
        return redisPrefix;
    }

    /** Publishes {@code dataJson} into {@code channel} over HTTP on node {@code node}; returns the status. */
    public int publish(int node, String channel, String dataJson) throws IOException, InterruptedException {
        InetSocketAddress a = addresses.get(node);
        HttpRequest.Builder b;
        if (isSwitchboard()) {
            b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.getPort() + "/api/publish"))
                    .header("X-API-Key", ctx.apiKey())
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"channel\":\"" + channel + "\",\"data\":" + dataJson + "}"));
        } else {
            b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.getPort() + "/publish"))
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"room\":\"" + channel + "\",\"data\":" + dataJson + "}"));
        }
        HttpResponse<String> r = HTTP.send(
                b.header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode();
    }

    /** GET on a node, as JSON (for the peer's /stats). */
    public JsonNode getJson(int node, String path) throws IOException, InterruptedException {
        InetSocketAddress a = addresses.get(node);
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.getPort() + path))
                        .timeout(Duration.ofSeconds(20))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.parse(r.body());
    }

    /** GET on a node, as text (for Switchboard's /metrics). */
    public String getText(int node, String path) throws IOException, InterruptedException {
        InetSocketAddress a = addresses.get(node);
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.getPort() + path))
                        .timeout(Duration.ofSeconds(20))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    @Override
    public void close() {
        nodes.parallelStream().forEach(m -> m.stop(isSwitchboard() ? 8000 : 4000));
        if (redis != null) {
            redis.close();
        }
    }
}
