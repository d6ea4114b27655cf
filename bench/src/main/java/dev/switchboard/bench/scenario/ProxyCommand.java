package dev.switchboard.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.bench.BenchContext;
import dev.switchboard.bench.Json;
import dev.switchboard.bench.load.Histograms;
import dev.switchboard.bench.proc.Cluster;
import dev.switchboard.bench.proc.LoadGenProcess;
import dev.switchboard.bench.report.Stats;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "proxy",
        mixinStandardHelpOptions = true,
        description = "Overhead of the HTTP connect and subscribe proxies: one node (memory engine), a tiny "
                + "in-process backend; N connects with a JWT vs tokenless through the connect proxy, each "
                + "subscribing to a namespace without proxy vs with subscribe_proxy_enabled. Switchboard only.")
public final class ProxyCommand extends ScenarioCommand {

    @Option(
            names = "--connects",
            defaultValue = "2000",
            description = "Measured connects per mode (default: ${DEFAULT-VALUE}).")
    int connects;

    @Option(
            names = "--concurrency",
            defaultValue = "8",
            description = "Connects in flight at most (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(
            names = "--warmup-connects",
            defaultValue = "1000",
            description = "Unmeasured connects per mode before measuring (default: ${DEFAULT-VALUE}).")
    int warmupConnects;

    @Option(
            names = "--rounds",
            defaultValue = "2",
            description = "Measured rounds; each runs both modes (order alternating), connects split evenly "
                    + "(default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(
            names = "--backend-threads",
            defaultValue = "2",
            description = "Threads of the in-process backend (default: ${DEFAULT-VALUE}).")
    int backendThreads;

    @Option(
            names = "--timeout",
            defaultValue = "120",
            description = "Bound on each run of connects, seconds (default: ${DEFAULT-VALUE}).")
    long timeoutSec;

    private static final List<String> MODES = List.of("direct", "proxy");

    @Override
    public String name() {
        return "proxy";
    }

    @Override
    protected String peerUnsupported() {
        return "the connect and subscribe proxies are Centrifugo's (and Switchboard's); Socket.IO has none";
    }

    @Override
    protected ObjectNode params() {
        return Json.object()
                .put("nodes", 1)
                .put("engine", "memory")
                .put("connects", connects)
                .put("concurrency", concurrency)
                .put("warmupConnects", warmupConnects)
                .put("rounds", rounds)
                .put("backendThreads", backendThreads);
    }

    /** The backend: answers every connect {@code {"result":{"user":"u<n>"}}}, every subscribe {@code {"result":{}}}. */
    static final class Backend implements AutoCloseable {
        final HttpServer server;
        final ExecutorService pool;
        final AtomicLong connectCalls = new AtomicLong();
        final AtomicLong subscribeCalls = new AtomicLong();

        Backend(int threads) throws IOException {
            // The JDK server writes headers and body in two segments: without TCP_NODELAY, Nagle and
            // the client's delayed ACK would add ~40 ms to answers. Read once, at the first server.
            System.setProperty("sun.net.httpserver.nodelay", "true");
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
            pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "proxy-backend");
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(pool);
            server.createContext(
                    "/connect", x -> answer(x, "{\"result\":{\"user\":\"u" + connectCalls.getAndIncrement() + "\"}}"));
            server.createContext("/subscribe", x -> {
                subscribeCalls.incrementAndGet();
                answer(x, "{\"result\":{}}");
            });
            server.start();
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }

        private static void answer(HttpExchange x, String body) throws IOException {
            try (InputStream in = x.getRequestBody()) {
                in.readAllBytes();
            }
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", "application/json");
            x.sendResponseHeaders(200, b.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(b);
            }
        }

        @Override
        public void close() {
            server.stop(0);
            pool.shutdownNow();
        }
    }

    @Override
    protected ObjectNode run(BenchContext ctx, String system) throws Exception {
        long budget = 120 + (long) (2 + rounds * 2) * timeoutSec;
        ObjectNode out = Json.object();
        try (Backend backend = new Backend(backendThreads)) {
            String client = "  proxy:\n    connect:\n      enabled: true\n      endpoint: \"" + backend.url("/connect")
                    + "\"\n      timeout: 5s\n";
            String channel = "  proxy:\n    subscribe:\n      endpoint: \"" + backend.url("/subscribe")
                    + "\"\n      timeout: 5s\n"
                    + "  namespaces:\n"
                    + "    - name: direct\n      allow_subscribe_for_client: true\n"
                    + "    - name: proxy\n      subscribe_proxy_enabled: true\n";
            try (Cluster cl = Cluster.startMemory(ctx, name(), client, channel, budget)) {
                ObjectNode spec = Runs.baseSpec(ctx, cl);
                spec.put("threads", 1);
                List<LoadGenProcess> lgs = Runs.start(ctx, name(), List.of(spec), budget, 30_000);
                try {
                    LoadGenProcess lg = lgs.get(0);
                    int[] id = {0};
                    if (warmupConnects > 0) {
                        for (String mode : MODES) {
                            ctx.log("proxy: warming up, %d %s connects", warmupConnects, mode);
                            JsonNode ev = conns(lg, id[0]++, mode, warmupConnects);
                            check(ev, mode + " warm-up");
                        }
                    }
                    Map<String, Histogram> conn = new LinkedHashMap<>();
                    Map<String, Histogram> sub = new LinkedHashMap<>();
                    Map<String, long[]> counts = new LinkedHashMap<>(); // ok, failed, elapsedUs
                    for (String mode : MODES) {
                        conn.put(mode, Histograms.empty());
                        sub.put(mode, Histograms.empty());
                        counts.put(mode, new long[3]);
                    }
                    long c0 = backend.connectCalls.get();
                    long s0 = backend.subscribeCalls.get();
                    String metrics0 = cl.getText(0, "/metrics");
                    int per = Math.max(1, connects / Math.max(1, rounds));
                    for (int r = 0; r < rounds; r++) {
                        List<String> order = r % 2 == 0 ? MODES : List.of(MODES.get(1), MODES.get(0));
                        for (String mode : order) {
                            JsonNode ev = conns(lg, id[0]++, mode, per);
                            check(ev, mode);
                            conn.get(mode)
                                    .add(Histograms.decode(
                                            ev.path("connectHist").asText()));
                            sub.get(mode)
                                    .add(Histograms.decode(
                                            ev.path("subscribeHist").asText()));
                            long[] c = counts.get(mode);
                            c[0] += ev.path("ok").asLong();
                            c[1] += ev.path("failed").asLong();
                            c[2] += ev.path("elapsedUs").asLong();
                        }
                    }
                    ObjectNode modes = out.putObject("modes");
                    for (String mode : MODES) {
                        long[] c = counts.get(mode);
                        ObjectNode m = modes.putObject(mode);
                        m.put("connects", c[0])
                                .put("failed", c[1])
                                .put("connectsPerSec", Math.round(c[0] / (c[2] / 1e6)));
                        m.set("connectMs", Stats.summary(conn.get(mode)));
                        m.set("subscribeMs", Stats.summary(sub.get(mode)));
                    }
                    String metrics1 = cl.getText(0, "/metrics");
                    out.put("backendConnectCalls", backend.connectCalls.get() - c0)
                            .put("backendSubscribeCalls", backend.subscribeCalls.get() - s0);
                    ObjectNode calls = out.putObject("proxyCallMeanMs");
                    for (String proxy : List.of("connect", "subscribe")) {
                        double[] a = durations(metrics0, proxy);
                        double[] b = durations(metrics1, proxy);
                        double n = b[1] - a[1];
                        calls.put(proxy, n > 0 ? Stats.round((b[0] - a[0]) / n * 1000, 3) : 0);
                    }
                    String md = markdown(modes)
                            + String.format(
                                    Locale.ROOT,
                                    "%nBackend calls while measuring: %d connect, %d subscribe; their mean duration as "
                                            + "the node measures it (switchboard_proxy_duration_seconds): connect "
                                            + "%.3f ms, subscribe %.3f ms.%n",
                                    out.path("backendConnectCalls").asLong(),
                                    out.path("backendSubscribeCalls").asLong(),
                                    calls.path("connect").asDouble(),
                                    calls.path("subscribe").asDouble());
                    out.put("markdown", md);
                    System.out.println();
                    System.out.println(md);
                    Files.createDirectories(ctx.out());
                    Files.writeString(ctx.out().resolve("proxy.md"), md);
                    ctx.log("proxy: table in %s", ctx.out().resolve("proxy.md"));
                } finally {
                    Runs.closeAll(lgs);
                }
            }
        }
        return out;
    }

    /** Sum (seconds) and count of {@code switchboard_proxy_duration_seconds} for one proxy, from /metrics. */
    static double[] durations(String metrics, String proxy) {
        double[] r = new double[2];
        String tag = "proxy=\"" + proxy + "\"";
        for (String line : metrics.split("\n")) {
            if (!line.contains(tag)) {
                continue;
            }
            int sp = line.lastIndexOf(' ');
            if (line.startsWith("switchboard_proxy_duration_seconds_sum")) {
                r[0] = Double.parseDouble(line.substring(sp + 1));
            } else if (line.startsWith("switchboard_proxy_duration_seconds_count")) {
                r[1] = Double.parseDouble(line.substring(sp + 1));
            }
        }
        return r;
    }

    private JsonNode conns(LoadGenProcess lg, int id, String mode, int count) throws Exception {
        boolean proxy = mode.equals("proxy");
        lg.send(Json.object()
                .put("cmd", "conns")
                .put("id", id)
                .put("count", count)
                .put("concurrency", concurrency)
                .put("token", !proxy)
                .put("namespace", proxy ? "proxy" : "direct")
                .put("timeoutMs", timeoutSec * 1000));
        return lg.await("conns", timeoutSec * 1000 + 30_000);
    }

    private static void check(JsonNode ev, String what) {
        if (ev.path("failed").asLong() > 0 || ev.hasNonNull("firstError")) {
            throw new IllegalStateException(what + ": " + ev.path("failed").asLong() + " connects failed, first: "
                    + ev.path("firstError").asText());
        }
    }

    static String markdown(JsonNode modes) {
        JsonNode d = modes.path("direct");
        JsonNode p = modes.path("proxy");
        StringBuilder sb = new StringBuilder();
        sb.append("| Measure | Mode | p50 ms | p90 ms | p99 ms | max ms | connects/s |\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|\n");
        row(sb, "connect (open → reply)", "JWT, no proxy", d.path("connectMs"), d.path("connectsPerSec"));
        row(sb, "connect (open → reply)", "connect proxy", p.path("connectMs"), p.path("connectsPerSec"));
        delta(
                sb,
                "connect",
                d.path("connectMs"),
                p.path("connectMs"),
                d.path("connectsPerSec"),
                p.path("connectsPerSec"));
        row(sb, "subscribe (command → reply)", "no proxy", d.path("subscribeMs"), null);
        row(sb, "subscribe (command → reply)", "subscribe proxy", p.path("subscribeMs"), null);
        delta(sb, "subscribe", d.path("subscribeMs"), p.path("subscribeMs"), null, null);
        return sb.toString();
    }

    private static void row(StringBuilder sb, String what, String mode, JsonNode l, JsonNode rate) {
        sb.append("| ").append(what).append(" | ").append(mode);
        for (String k : List.of("p50", "p90", "p99", "max")) {
            sb.append(" | ").append(String.format(Locale.ROOT, "%.3f", l.path(k).asDouble()));
        }
        sb.append(" | ")
                .append(rate == null ? "" : String.format(Locale.ROOT, "%,d", rate.asLong()))
                .append(" |\n");
    }

    private static void delta(StringBuilder sb, String what, JsonNode d, JsonNode p, JsonNode dr, JsonNode pr) {
        sb.append("| ").append(what).append(" | **delta (proxy − direct)**");
        for (String k : List.of("p50", "p90", "p99", "max")) {
            sb.append(" | ")
                    .append(String.format(
                            Locale.ROOT,
                            "%+.3f",
                            p.path(k).asDouble() - d.path(k).asDouble()));
        }
        sb.append(" | ")
                .append(dr == null ? "" : String.format(Locale.ROOT, "%+,d", pr.asLong() - dr.asLong()))
                .append(" |\n");
    }
}
