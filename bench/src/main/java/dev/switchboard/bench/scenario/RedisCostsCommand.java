package dev.switchboard.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.bench.BenchContext;
import dev.switchboard.bench.Json;
import dev.switchboard.bench.Micros;
import dev.switchboard.bench.proc.Cluster;
import dev.switchboard.bench.proc.CpuMeter;
import dev.switchboard.bench.proc.LoadGenProcess;
import dev.switchboard.bench.proc.Managed;
import dev.switchboard.bench.proc.RedisBenchmark;
import dev.switchboard.bench.proc.RedisCli;
import dev.switchboard.bench.proc.RedisCluster;
import dev.switchboard.bench.proc.RedisServer;
import dev.switchboard.bench.proc.RedisStats;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What Switchboard costs Redis, per unit, for the capacity model of docs/scaling.md: Redis CPU
 * and commands per publication with history, per pub/sub message per subscribing node, per
 * connect + disconnect (the registry), and at rest per node (heartbeats, probes); then the same
 * on a local Redis Cluster, per shard. Switchboard only; every window is fixed in length.
 */
@Command(
        name = "redis-costs",
        mixinStandardHelpOptions = true,
        description = "Redis CPU and commands per publication, per subscribing node, per connect and at rest, "
                + "on one redis-server and on a local Redis Cluster (per shard). Switchboard only.")
public final class RedisCostsCommand extends ScenarioCommand {

    @Spec
    CommandSpec spec;

    @Option(names = "--nodes", defaultValue = "3", description = "Switchboard nodes (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(
            names = "--channels",
            defaultValue = "300",
            description = "Channels published to, round robin; each has one subscriber per subscribing node "
                    + "(default: ${DEFAULT-VALUE}).")
    int channels;

    @Option(
            names = "--rate",
            defaultValue = "1000",
            description = "Publications/s through the server API (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(
            names = "--publishers",
            defaultValue = "12",
            description = "Server API lanes (keep-alive, one request in flight), spread over the nodes "
                    + "(default: ${DEFAULT-VALUE}).")
    int publishers;

    @Option(names = "--size", defaultValue = "100", description = "Publication data bytes (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(
            names = "--warmup",
            defaultValue = "3000",
            description = "Per publish step, ms (default: ${DEFAULT-VALUE}).")
    long warmupMs;

    @Option(
            names = "--measure",
            defaultValue = "15000",
            description = "Per publish step, ms (default: ${DEFAULT-VALUE}).")
    long measureMs;

    @Option(names = "--drain", defaultValue = "2000", description = "Per publish step, ms (default: ${DEFAULT-VALUE}).")
    long drainMs;

    @Option(
            names = "--prewarm",
            defaultValue = "10000",
            description = "Unmeasured publishing at --prewarm-rate before the first window of each run (JIT), ms "
                    + "(default: ${DEFAULT-VALUE}).")
    long prewarmMs;

    @Option(
            names = "--prewarm-rate",
            defaultValue = "500",
            description = "Publications/s while warming up: below --rate, so that nodes still compiling do not "
                    + "pile up a backlog (default: ${DEFAULT-VALUE}).")
    double prewarmRate;

    @Option(
            names = "--idle",
            defaultValue = "8000",
            description = "Window at rest (nodes connected, nothing published), ms (default: ${DEFAULT-VALUE}).")
    long idleMs;

    @Option(
            names = "--connects",
            defaultValue = "2000",
            description = "Connects (each closed at once) measured for the registry (default: ${DEFAULT-VALUE}).")
    int connects;

    @Option(
            names = "--concurrency",
            defaultValue = "16",
            description = "Connects in flight at most (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(
            names = "--shards",
            defaultValue = "3",
            description =
                    "Primaries of the Redis Cluster run, one replica each; 0 skips it (default: ${DEFAULT-VALUE}).")
    int shards;

    @Option(
            names = "--bus-requests",
            defaultValue = "20000",
            description = "redis-benchmark PUBLISH and SPUBLISH requests on one cluster primary, to show what "
                    + "each costs the other nodes; 0 skips it (default: ${DEFAULT-VALUE}).")
    int busRequests;

    @Option(
            names = "--ceiling-requests",
            defaultValue = "50000",
            description = "redis-benchmark calls of the publish script and of each registry script on the "
                    + "redis-server, 50 clients, to find what one Redis core does when saturated; 0 skips it "
                    + "(default: ${DEFAULT-VALUE}).")
    int ceilingRequests;

    @Override
    public String name() {
        return "redis-costs";
    }

    @Override
    protected String peerUnsupported() {
        return "measures what Switchboard's engine costs Redis";
    }

    @Override
    protected ObjectNode params() {
        return Json.object()
                .put("nodes", nodes)
                .put("channels", channels)
                .put("publishRate", rate)
                .put("publishers", publishers)
                .put("messageBytes", size)
                .put("history", "size 100, ttl 60s")
                .put("warmupMs", warmupMs)
                .put("measureMs", measureMs)
                .put("drainMs", drainMs)
                .put("prewarmMs", prewarmMs)
                .put("prewarmRate", prewarmRate)
                .put("idleMs", idleMs)
                .put("connects", connects)
                .put("concurrency", concurrency)
                .put("shards", shards)
                .put("busRequests", busRequests)
                .put("ceilingRequests", ceilingRequests)
                .put("command", commandLine());
    }

    private String commandLine() {
        List<String> args = spec == null
                ? List.of("redis-costs")
                : spec.commandLine().getParseResult().originalArgs();
        return "java -jar bench/target/switchboard-bench.jar " + String.join(" ", args);
    }

    /** A redis-server whose figures are read. */
    private record Target(String name, String shard, String role, int port) {}

    private long stepSeconds() {
        return (warmupMs + measureMs + drainMs) / 1000 + 2;
    }

    @Override
    protected ObjectNode run(BenchContext ctx, String system) throws Exception {
        long budget = 180 + 3 * stepSeconds() + 2 * (idleMs + prewarmMs) / 1000 + connects / 20;
        ObjectNode out = Json.object();
        out.set("standalone", standalone(ctx, budget));
        if (shards > 0) {
            try {
                out.set("cluster", cluster(ctx, budget));
            } catch (Exception e) {
                // The one-server figures stand on their own: keep them.
                ctx.log("redis-costs: cluster run failed: %s", e);
                out.putObject("cluster").put("error", e.toString());
            }
        }
        String md = markdown(out);
        out.put("markdown", md);
        System.out.println();
        System.out.println(md);
        Files.createDirectories(ctx.out());
        Files.writeString(ctx.out().resolve("redis-costs.md"), md);
        ctx.log("redis-costs: report in %s", ctx.out().resolve("redis-costs.md"));
        return out;
    }

    // ---- one redis-server ----

    private ObjectNode standalone(BenchContext ctx, long budget) throws Exception {
        ObjectNode out = Json.object();
        try (RedisServer redis = RedisServer.start(ctx, name(), "costs-redis", budget);
                Cluster cl =
                        Cluster.startOn(ctx, name(), nodes, redis.url(), FanoutCommand.channelYaml(true), budget)) {
            List<Target> targets = List.of(new Target("redis", "-", "standalone", redis.port()));
            List<Managed> redisProcs = List.of(redis.process());
            // Subscribers of every channel on node 1 only; the publishers' lanes go to every node.
            List<LoadGenProcess> lgs = new ArrayList<>();
            try {
                lgs.addAll(Runs.start(
                        ctx, name(), List.of(spec(ctx, cl, 0, channels, List.of(0), publishers)), budget, 60_000));
                prewarm(ctx, lgs, targets);
                ObjectNode idle = idle(ctx, cl, lgs, targets, redisProcs);
                out.set("idle", idle);
                ObjectNode one = pubStep(ctx, "1 subscribing node", cl, lgs, targets, redisProcs, 1, idle);
                out.set("publish1", one);
                if (nodes > 1) {
                    List<Integer> rest = new ArrayList<>();
                    for (int i = 1; i < nodes; i++) {
                        rest.add(i);
                    }
                    lgs.addAll(Runs.start(
                            ctx, name(), List.of(spec(ctx, cl, channels, channels * nodes, rest, 0)), budget, 60_000));
                    quiesce(ctx, targets);
                    ObjectNode all =
                            pubStep(ctx, nodes + " subscribing nodes", cl, lgs, targets, redisProcs, nodes, idle);
                    out.set("publishN", all);
                    double c1 =
                            one.path("redis").path("cpuMicrosPerPublication").asDouble();
                    double cn =
                            all.path("redis").path("cpuMicrosPerPublication").asDouble();
                    double[] split = RedisCosts.split(c1, 1, cn, nodes);
                    out.putObject("perPublication")
                            .put("cpuMicrosFixed", RedisCosts.round(split[0], 2))
                            .put("cpuMicrosPerSubscribingNode", RedisCosts.round(split[1], 2))
                            .put("cpuMicrosWith1Node", RedisCosts.round(c1, 2))
                            .put("cpuMicrosWithNNodes", RedisCosts.round(cn, 2));
                    ctx.log(
                            "redis-costs: standalone Redis CPU per publication %.2f us fixed + %.2f us per subscribing node",
                            split[0], split[1]);
                }
                out.set("connects", connectStep(ctx, lgs.get(0), targets, idle));
            } finally {
                Runs.closeAll(lgs);
            }
            if (ceilingRequests > 0) {
                out.set("ceiling", ceilingStep(ctx, redis.port()));
            }
        }
        return out;
    }

    // ---- one Redis core saturated: the engine's own scripts under redis-benchmark ----

    private ObjectNode ceilingStep(BenchContext ctx, int port) throws Exception {
        ObjectNode out = Json.object();
        String pub = load(port, "publish.lua");
        String add = load(port, "conn_add.lua");
        String remove = load(port, "conn_remove.lua");
        String payload = "x".repeat(size + 60); // the data framed as a publication
        String p = "sbbench";
        for (int subs : nodes > 1 ? List.of(0, nodes) : List.of(0)) {
            List<java.net.Socket> subscribers = new ArrayList<>();
            try {
                for (int i = 0; i < subs; i++) {
                    subscribers.add(patternSubscriber(port, p + ":ch:*"));
                }
                Thread.sleep(200);
                ObjectNode o = benchmark(
                        ctx,
                        port,
                        List.of(
                                // One channel: its stream and meta must agree on the offset.
                                "EVALSHA",
                                pub,
                                "2",
                                p + ":stream:{c1}",
                                p + ":meta:{c1}",
                                payload,
                                "100",
                                "60",
                                "120",
                                p + ":ch:{c1}",
                                "epoch",
                                "0",
                                "publish"));
                o.put("subscribingConnections", subs);
                out.set("publish" + subs, o);
            } finally {
                for (java.net.Socket sk : subscribers) {
                    sk.close();
                }
            }
        }
        // Memory: one channel's history (100 entries) and one registry entry (a connection with its indexes).
        out.put("historyStreamBytes", (Long)
                RedisCli.command(port, "MEMORY", "USAGE", p + ":stream:{c1}", "SAMPLES", "0"));
        long mem0 = usedMemory(port);
        long conns0 = (Long) RedisCli.command(port, "HLEN", p + ":conns");
        String entry = "{\"client\":\"00000000-0000-0000-0000-000000000000\",\"user\":\"u1\",\"node\":"
                + "\"11111111-1111-1111-1111-111111111111\",\"at\":1700000000000,\"info\":null}";
        out.set(
                "connAdd",
                benchmark(
                        ctx,
                        port,
                        List.of(
                                "EVALSHA",
                                add,
                                "1",
                                p + ":conns",
                                p,
                                "c__rand_int__",
                                entry,
                                "u__rand_int__",
                                "",
                                "node-1",
                                "1700000000000",
                                "",
                                "10000",
                                "publish")));
        long added = (Long) RedisCli.command(port, "HLEN", p + ":conns") - conns0;
        if (added > 0) {
            out.put("registryEntries", added)
                    .put("registryBytesPerConnection", Math.round((usedMemory(port) - mem0) / (double) added));
        }
        out.set(
                "connRemove",
                benchmark(
                        ctx,
                        port,
                        List.of(
                                "EVALSHA",
                                remove,
                                "1",
                                p + ":conns",
                                p,
                                "c__rand_int__",
                                "u__rand_int__",
                                "",
                                "node-1",
                                "",
                                "10000",
                                "publish")));
        return out;
    }

    private static long usedMemory(int port) throws IOException {
        return Long.parseLong(RedisCli.info(port, "memory").get("used_memory"));
    }

    private static String load(int port, String script) throws IOException {
        try (var in = RedisCostsCommand.class.getResourceAsStream("/dev/switchboard/redis/" + script)) {
            if (in == null) {
                throw new IOException("script " + script + " not on the class path");
            }
            return (String) RedisCli.command(
                    port, "SCRIPT", "LOAD", new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** A pub/sub connection that reads and drops everything (a node's subscriber, without the node). */
    private static java.net.Socket patternSubscriber(int port, String pattern) throws IOException {
        java.net.Socket s = new java.net.Socket("127.0.0.1", port);
        s.getOutputStream()
                .write(("*2\r\n$10\r\nPSUBSCRIBE\r\n$" + pattern.length() + "\r\n" + pattern + "\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Thread t = new Thread(
                () -> {
                    byte[] buf = new byte[65536];
                    try (var in = s.getInputStream()) {
                        while (in.read(buf) >= 0) {
                            // dropped
                        }
                    } catch (IOException ignored) {
                        // closed
                    }
                },
                "redis-costs-subscriber");
        t.setDaemon(true);
        t.start();
        return s;
    }

    /** redis-benchmark of one command, 50 clients, no pipelining; Redis CPU per call and calls per core-second. */
    private ObjectNode benchmark(BenchContext ctx, int port, List<String> command) throws Exception {
        List<String> args =
                new ArrayList<>(List.of("-n", Integer.toString(ceilingRequests), "-c", "50", "-r", "100000"));
        args.addAll(command);
        RedisStats a = RedisStats.read(port);
        RedisBenchmark.Result run =
                RedisBenchmark.run(ctx, "redis-costs-benchmark", port, args, CeilingCommand.BENCHMARK_MAX_SECONDS);
        double rps = run.requestsPerSecond();
        String text = run.output();
        RedisStats d = RedisStats.read(port).minus(a);
        long[] es = d.commandStats().get("evalsha");
        long calls = es == null ? 0 : es[0];
        ObjectNode o = Json.object();
        o.put("requests", ceilingRequests)
                .put("callsPerSec", Math.round(rps))
                .put("evalshaCalls", calls)
                .put("redisCores", RedisCosts.round(d.cores(), 3))
                .put("cpuMicrosPerCall", calls == 0 ? 0 : RedisCosts.round(d.cpuSeconds() * 1e6 / calls, 2))
                .put("callsPerCoreSecond", d.cpuSeconds() <= 0 ? 0 : Math.round(calls / d.cpuSeconds()))
                .put("evalshaMicrosPerCall", calls == 0 ? 0 : RedisCosts.round(es[1] / (double) calls, 2));
        if (calls < ceilingRequests) {
            o.put("output", text.length() > 500 ? text.substring(text.length() - 500) : text);
        }
        ctx.log(
                "redis-costs: redis-benchmark %s: %.0f/s, Redis %.3f cores, %.2f us CPU per call",
                command.get(0) + " " + command.get(4),
                rps,
                d.cores(),
                o.path("cpuMicrosPerCall").asDouble());
        return o;
    }

    // ---- a Redis Cluster ----

    private ObjectNode cluster(BenchContext ctx, long budget) throws Exception {
        ObjectNode out = Json.object();
        long t0 = System.nanoTime();
        try (RedisCluster rc = RedisCluster.start(ctx, name(), shards, budget)) {
            ctx.log(
                    "redis-costs: Redis Cluster of %d shards up in %d ms",
                    shards, (System.nanoTime() - t0) / 1_000_000);
            List<Target> targets = new ArrayList<>();
            List<Managed> procs = new ArrayList<>();
            int s = 0;
            for (RedisCluster.Shard sh : rc.shards()) {
                s++;
                targets.add(new Target(
                        "shard" + s + "-primary",
                        "shard " + s,
                        "primary",
                        sh.primary().port()));
                procs.add(sh.primary().process());
                if (sh.replica() != null) {
                    targets.add(new Target(
                            "shard" + s + "-replica",
                            "shard " + s,
                            "replica",
                            sh.replica().port()));
                    procs.add(sh.replica().process());
                }
            }
            out.put("url", rc.url());
            try (Cluster cl = Cluster.startOn(ctx, name(), nodes, rc.url(), FanoutCommand.channelYaml(true), budget)) {
                List<Integer> all = new ArrayList<>();
                for (int i = 0; i < nodes; i++) {
                    all.add(i);
                }
                List<LoadGenProcess> lgs = new ArrayList<>();
                try {
                    lgs.addAll(Runs.start(
                            ctx, name(), List.of(spec(ctx, cl, 0, channels * nodes, all, publishers)), budget, 60_000));
                    prewarm(ctx, lgs, targets);
                    ObjectNode idle = idle(ctx, cl, lgs, targets, procs);
                    out.set("idle", idle);
                    out.set(
                            "publishN",
                            pubStep(ctx, nodes + " subscribing nodes", cl, lgs, targets, procs, nodes, idle));
                    out.set("connects", connectStep(ctx, lgs.get(0), targets, idle));
                } finally {
                    Runs.closeAll(lgs);
                }
            }
            if (busRequests > 0) {
                out.set("bus", busStep(ctx, rc, targets));
            }
        }
        return out;
    }

    // ---- load generator specs ----

    private ObjectNode spec(BenchContext ctx, Cluster cl, int from, int to, List<Integer> subNodes, int pubs) {
        ObjectNode s = Runs.baseSpec(ctx, cl);
        s.put("size", size).put("threads", 1);
        s.putObject("channels").put("count", channels).put("prefix", "ch");
        ObjectNode subs =
                s.putObject("subscribers").put("from", from).put("to", to).put("perConn", 1);
        ArrayNode sn = subs.putArray("nodes");
        subNodes.forEach(sn::add);
        ObjectNode p = s.putObject("publishers").put("count", pubs).put("via", "api");
        ArrayNode pn = p.putArray("nodes");
        for (int i = 0; i < nodes; i++) {
            pn.add(i);
        }
        return s;
    }

    // ---- windows ----

    private Map<String, RedisStats> readAll(List<Target> targets) throws IOException {
        Map<String, RedisStats> m = new LinkedHashMap<>();
        for (Target t : targets) {
            m.put(t.name(), RedisStats.read(t.port()));
        }
        return m;
    }

    private static Map<String, List<Managed>> roles(Cluster cl, List<LoadGenProcess> lgs, List<Managed> redis) {
        Map<String, List<Managed>> m = Runs.roles(cl, lgs);
        m.put("redis", redis);
        return m;
    }

    /** Publishes at {@code rate} for {@code prewarmMs}, measuring nothing (the nodes' JIT), then waits for the backlog. */
    private void prewarm(BenchContext ctx, List<LoadGenProcess> lgs, List<Target> targets) throws Exception {
        if (prewarmMs > 0) {
            ctx.log("redis-costs: warming up for %d ms at %.0f publications/s", prewarmMs, prewarmRate);
            ObjectNode cmd = Json.object()
                    .put("cmd", "pub")
                    .put("id", -1)
                    .put("rate", prewarmRate)
                    .put("startUs", Micros.now() + 200_000)
                    .put("warmupMs", prewarmMs)
                    .put("measureMs", 1)
                    .put("drainMs", 1000);
            for (LoadGenProcess lg : lgs) {
                lg.send(cmd);
            }
            for (LoadGenProcess lg : lgs) {
                lg.await("pub", prewarmMs + 60_000);
            }
        }
        quiesce(ctx, targets);
    }

    /**
     * Waits until no publication runs any more (a server API lane that fell behind keeps sending
     * its backlog after a step), so that the next window holds only its own work: XADD calls
     * unchanged over one second, 30 s at most (the scenario must stay within its few minutes).
     */
    private void quiesce(BenchContext ctx, List<Target> targets) throws Exception {
        long t0 = System.currentTimeMillis();
        long last = -1;
        while (System.currentTimeMillis() - t0 < 30_000) {
            long n = 0;
            for (Target t : targets) {
                if (!t.role().equals("replica")) {
                    n += RedisStats.read(t.port()).calls("xadd");
                }
            }
            if (n == last) {
                break;
            }
            last = n;
            Thread.sleep(1000);
        }
        long waited = System.currentTimeMillis() - t0;
        if (waited > 1500) {
            ctx.log("redis-costs: waited %d ms for the publish backlog to drain", waited);
        }
    }

    /** Nodes connected, subscribers subscribed, nothing published: heartbeats, probes. */
    private ObjectNode idle(
            BenchContext ctx, Cluster cl, List<LoadGenProcess> lgs, List<Target> targets, List<Managed> redis)
            throws Exception {
        long from = Micros.now() + 200_000;
        CompletableFuture<ObjectNode> cpu = CpuMeter.measure(roles(cl, lgs, redis), from, from + idleMs * 1000);
        Micros.sleepUntil(from);
        Map<String, RedisStats> a = readAll(targets);
        Micros.sleepUntil(from + idleMs * 1000);
        Map<String, RedisStats> b = readAll(targets);
        ObjectNode out = Json.object();
        out.put("label", "at rest");
        for (Target t : targets) {
            RedisStats d = b.get(t.name()).minus(a.get(t.name()));
            ObjectNode o = window(t, d);
            o.put("cpuMicrosPerNodePerSec", RedisCosts.round(d.cores() * 1e6 / nodes, 1));
            o.put("commandsPerNodePerSec", RedisCosts.round(d.commands() / d.seconds() / nodes, 1));
            out.set(t.name(), o);
        }
        out.set("cpu", cpu.join());
        ctx.log("redis-costs: at rest: %s", summary(out, targets));
        return out;
    }

    private ObjectNode pubStep(
            BenchContext ctx,
            String label,
            Cluster cl,
            List<LoadGenProcess> lgs,
            List<Target> targets,
            List<Managed> redis,
            int subscribingNodes,
            ObjectNode idle)
            throws Exception {
        long start = Micros.now() + 300_000;
        long from = start + warmupMs * 1000;
        long to = from + measureMs * 1000;
        CompletableFuture<ObjectNode> cpu = CpuMeter.measure(roles(cl, lgs, redis), from, to);
        ObjectNode cmd = Json.object()
                .put("cmd", "pub")
                .put("id", 0)
                .put("rate", rate)
                .put("startUs", start)
                .put("warmupMs", warmupMs)
                .put("measureMs", measureMs)
                .put("drainMs", drainMs);
        for (LoadGenProcess lg : lgs) {
            lg.send(cmd);
        }
        Micros.sleepUntil(from);
        Map<String, RedisStats> a = readAll(targets);
        Micros.sleepUntil(to);
        Map<String, RedisStats> b = readAll(targets);
        List<JsonNode> evs = new ArrayList<>();
        for (LoadGenProcess lg : lgs) {
            evs.add(lg.await("pub", stepSeconds() * 1000 + 60_000));
        }
        long published = evs.get(0).path("publishedInWindow").asLong();
        long delivered = Runs.sum(evs, "count");
        long expected = published * subscribingNodes;
        ObjectNode out = Json.object();
        out.put("label", label)
                .put("subscribingNodes", subscribingNodes)
                .put("publishedInWindow", published)
                .put("publicationsPerSec", Math.round(published / (measureMs / 1000.0)))
                .put("delivered", delivered)
                .put("completeness", expected == 0 ? 0 : RedisCosts.round(delivered / (double) expected, 4))
                .put("deliveredOutsideWindows", Runs.sum(evs, "outside"))
                .put("pubErrors", Runs.sum(evs, "pubErr"));
        String why = Runs.first(evs, "firstPubError");
        if (why != null) {
            out.put("firstPubError", why);
        }
        double cpuSum = 0;
        double idleSum = 0;
        long xadds = 0;
        for (Target t : targets) {
            RedisStats d = b.get(t.name()).minus(a.get(t.name()));
            RedisStats rest = statsOf(idle, t.name());
            ObjectNode o = window(t, d);
            // Publications this server ran (one XADD each: history is on), or those of the whole run.
            long units = t.role().equals("replica") ? 0 : d.calls("xadd");
            o.put("publications", units);
            if (units > 0) {
                o.put("cpuMicrosPerPublication", RedisCosts.round(RedisCosts.netCpuMicrosPerUnit(d, rest, units), 2));
            }
            cpuSum += d.cpuSeconds();
            idleSum += rest == null ? 0 : rest.cores() * d.seconds();
            xadds += units;
            out.set(t.name(), o);
        }
        if (xadds > 0) {
            out.put("publicationsRun", xadds)
                    .put("cpuMicrosPerPublicationAllServers", RedisCosts.round((cpuSum - idleSum) * 1e6 / xadds, 2));
        }
        out.set("cpu", cpu.join());
        ctx.log(
                "redis-costs: %s: %d publications/s, %.1f%% delivered, %s",
                label,
                out.path("publicationsPerSec").asLong(),
                out.path("completeness").asDouble() * 100,
                summary(out, targets));
        return out;
    }

    private ObjectNode connectStep(BenchContext ctx, LoadGenProcess lg, List<Target> targets, ObjectNode idle)
            throws Exception {
        quiesce(ctx, targets);
        Map<String, RedisStats> a = readAll(targets);
        lg.send(Json.object()
                .put("cmd", "conns")
                .put("id", 1)
                .put("count", connects)
                .put("concurrency", concurrency)
                .put("token", true)
                .put("timeoutMs", 120_000));
        JsonNode ev = lg.await("conns", 150_000);
        Thread.sleep(200); // the last disconnects' registry writes
        Map<String, RedisStats> b = readAll(targets);
        long ok = ev.path("ok").asLong();
        ObjectNode out = Json.object();
        out.put("label", "connect + disconnect")
                .put("connects", ok)
                .put("failed", ev.path("failed").asLong())
                .put("connectsPerSec", Math.round(ok / (ev.path("elapsedUs").asLong() / 1e6)));
        if (ev.hasNonNull("firstError")) {
            out.put("firstError", ev.path("firstError").asText());
        }
        for (Target t : targets) {
            RedisStats d = b.get(t.name()).minus(a.get(t.name()));
            RedisStats rest = statsOf(idle, t.name());
            ObjectNode o = window(t, d);
            if (ok > 0) {
                o.put("cpuMicrosPerConnect", RedisCosts.round(RedisCosts.netCpuMicrosPerUnit(d, rest, ok), 2));
                ObjectNode per = o.putObject("callsPerConnect");
                for (String c : d.commandStats().keySet()) {
                    double v = RedisCosts.netCallsPerUnit(d, rest, c, ok);
                    if (v >= 0.05) {
                        per.put(c, RedisCosts.round(v, 2));
                    }
                }
            }
            out.set(t.name(), o);
        }
        ctx.log(
                "redis-costs: %d connects + disconnects at %d/s: %s",
                ok, out.path("connectsPerSec").asLong(), summary(out, targets));
        return out;
    }

    /**
     * Classic PUBLISH against SPUBLISH on one primary (redis-benchmark, no subscribers): with
     * PUBLISH every node of the cluster receives every message over the cluster bus; with SPUBLISH
     * only the shard's replica does.
     */
    private ObjectNode busStep(BenchContext ctx, RedisCluster rc, List<Target> targets) throws Exception {
        ObjectNode out = Json.object();
        Target primary = targets.get(0);
        long slot0 = -1;
        String channel = null;
        for (String line : ((String) RedisCli.command(primary.port(), "CLUSTER", "NODES")).split("\n")) {
            String[] f = line.split(" ");
            if (f.length > 8 && f[2].contains("myself")) {
                String[] r = f[8].split("-");
                slot0 = Long.parseLong(r[0]);
                long slot1 = Long.parseLong(r[r.length - 1]);
                for (int i = 0; i < 100_000 && channel == null; i++) {
                    long slot = (Long) RedisCli.command(primary.port(), "CLUSTER", "KEYSLOT", "bus" + i);
                    if (slot >= slot0 && slot <= slot1) {
                        channel = "bus" + i;
                    }
                }
            }
        }
        if (channel == null) {
            out.put("skipped", "no channel found in " + primary.name() + "'s slots");
            return out;
        }
        for (String command : List.of("PUBLISH", "SPUBLISH")) {
            Map<String, RedisStats> a = readAll(targets);
            double rps = RedisBenchmark.run(
                            ctx,
                            "redis-costs-bus-" + command.toLowerCase(Locale.ROOT),
                            primary.port(),
                            List.of(
                                    "-n",
                                    Integer.toString(busRequests),
                                    "-c",
                                    "10",
                                    command,
                                    channel,
                                    "x".repeat(size)),
                            CeilingCommand.BENCHMARK_MAX_SECONDS)
                    .requestsPerSecond();
            Map<String, RedisStats> b = readAll(targets);
            ObjectNode o = out.putObject(command.toLowerCase(Locale.ROOT));
            o.put("requests", busRequests).put("perSec", Math.round(rps)).put("channel", channel);
            for (Target t : targets) {
                RedisStats d = b.get(t.name()).minus(a.get(t.name()));
                o.set(
                        t.name(),
                        window(t, d)
                                .put("cpuMicrosPerMessage", RedisCosts.round(d.cpuSeconds() * 1e6 / busRequests, 2)));
            }
            ctx.log(
                    "redis-costs: %d %s on %s at %.0f/s: %s",
                    busRequests, command, primary.name(), rps, summary(o, targets));
        }
        return out;
    }

    private static ObjectNode window(Target t, RedisStats d) {
        ObjectNode o = Json.object();
        o.put("shard", t.shard())
                .put("role", t.role())
                .put("port", t.port())
                .put("seconds", RedisCosts.round(d.seconds(), 3))
                .put("cpuSeconds", RedisCosts.round(d.cpuSeconds(), 4))
                .put("cores", RedisCosts.round(d.cores(), 4))
                .put("commandsPerSec", Math.round(d.commands() / d.seconds()))
                .put("netInBytesPerSec", Math.round(d.netInBytes() / d.seconds()))
                .put("netOutBytesPerSec", Math.round(d.netOutBytes() / d.seconds()));
        long[] es = d.commandStats().get("evalsha");
        if (es != null && es[0] > 0) {
            // Time inside the scripts (commandstats usec): what Redis spends on the work itself, without I/O.
            o.put("evalshaMicrosPerCall", RedisCosts.round(es[1] / (double) es[0], 2));
        }
        ObjectNode cs = o.putObject("commandStats");
        d.commandStats().forEach((k, v) -> cs.putObject(k).put("calls", v[0]).put("usec", v[1]));
        return o;
    }

    /** A window's figures back as a difference (for subtracting what a server does at rest). */
    private static RedisStats statsOf(ObjectNode window, String target) {
        if (window == null || !window.has(target)) {
            return null;
        }
        JsonNode o = window.get(target);
        Map<String, long[]> cs = new LinkedHashMap<>();
        o.path("commandStats")
                .fields()
                .forEachRemaining(e -> cs.put(e.getKey(), new long[] {
                    e.getValue().path("calls").asLong(),
                    e.getValue().path("usec").asLong()
                }));
        return new RedisStats(
                (long) (o.path("seconds").asDouble() * 1e9),
                o.path("cpuSeconds").asDouble(),
                0,
                0,
                0,
                cs);
    }

    private static String summary(JsonNode w, List<Target> targets) {
        StringBuilder sb = new StringBuilder();
        for (Target t : targets) {
            JsonNode o = w.path(t.name());
            sb.append(String.format(
                    Locale.ROOT,
                    "%s %.3f cores %d cmd/s; ",
                    t.name(),
                    o.path("cores").asDouble(),
                    o.path("commandsPerSec").asLong()));
        }
        return sb.toString();
    }

    // ---- report ----

    String markdown(JsonNode out) {
        StringBuilder md = new StringBuilder();
        md.append("# redis-costs\n\n```sh\n").append(commandLine()).append("\n```\n\n");
        md.append(String.format(
                Locale.ROOT,
                "%d Switchboard nodes, %d channels with history (size 100, ttl 60 s), %d-byte data, "
                        + "%.0f publications/s through the server API (%d lanes over the nodes), each publish step "
                        + "%d ms warm-up + %d ms measured; at rest %d ms; %d connects (closed at once, %d in flight). "
                        + "Redis CPU = used_cpu_sys + used_cpu_user of INFO cpu over the window; *net* = less what the "
                        + "same server spent at rest over as long.%n%n",
                nodes,
                channels,
                size,
                rate,
                publishers,
                warmupMs,
                measureMs,
                idleMs,
                connects,
                concurrency));
        JsonNode st = out.path("standalone");
        md.append("## One redis-server\n\n");
        md.append(
                "| Window | Publications/s scheduled / run | Delivered | Redis cores | Commands/s | Net Redis µs / publication "
                        + "| EVALSHA µs / call | Node cores (all) | Other cores |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String w : List.of("idle", "publish1", "publishN")) {
            JsonNode s = st.path(w);
            if (s.isMissingNode()) {
                continue;
            }
            JsonNode r = s.path("redis");
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %.4f | %d | %s | %.2f | %.3f | %.3f |%n",
                    s.path("label").asText(),
                    s.has("publicationsPerSec")
                            ? s.path("publicationsPerSec").asLong() + " / "
                                    + Math.round(r.path("publications").asLong()
                                            / Math.max(1e-9, r.path("seconds").asDouble()))
                            : "0",
                    s.has("completeness")
                            ? String.format(
                                    Locale.ROOT,
                                    "%.2f %%",
                                    s.path("completeness").asDouble() * 100)
                            : "",
                    r.path("cores").asDouble(),
                    r.path("commandsPerSec").asLong(),
                    r.has("cpuMicrosPerPublication")
                            ? String.format(
                                    Locale.ROOT,
                                    "%.2f",
                                    r.path("cpuMicrosPerPublication").asDouble())
                            : "",
                    r.path("evalshaMicrosPerCall").asDouble(),
                    s.path("cpu").path("nodes").path("cores").asDouble(),
                    s.path("cpu").path("otherCores").asDouble()));
        }
        JsonNode pp = st.path("perPublication");
        if (!pp.isMissingNode()) {
            md.append(String.format(
                    Locale.ROOT,
                    "%nRedis CPU per publication with history: **%.2f µs fixed + %.2f µs per subscribing node** "
                            + "(a line through %.2f µs with 1 and %.2f µs with %d subscribing nodes).%n",
                    pp.path("cpuMicrosFixed").asDouble(),
                    pp.path("cpuMicrosPerSubscribingNode").asDouble(),
                    pp.path("cpuMicrosWith1Node").asDouble(),
                    pp.path("cpuMicrosWithNNodes").asDouble(),
                    nodes));
        }
        JsonNode idle = st.path("idle").path("redis");
        md.append(String.format(
                Locale.ROOT,
                "%nAt rest, per node: %.1f µs of Redis CPU per second, %.1f commands/s (%s).%n",
                idle.path("cpuMicrosPerNodePerSec").asDouble(),
                idle.path("commandsPerNodePerSec").asDouble(),
                calls(idle.path("commandStats"), idle.path("seconds").asDouble(), nodes, "/s per node")));
        JsonNode pub = st.path("publishN").isMissingNode() ? st.path("publish1") : st.path("publishN");
        md.append(String.format(
                Locale.ROOT,
                "%nCommands while publishing (%s): %s.%n",
                pub.path("label").asText(),
                calls(
                        pub.path("redis").path("commandStats"),
                        1,
                        Math.max(1, pub.path("redis").path("publications").asLong()),
                        " per publication")));
        JsonNode c = st.path("connects");
        md.append(String.format(
                Locale.ROOT,
                "%nConnect + disconnect (%d at %d/s): **%.2f µs of Redis CPU** (net), calls per connect: %s.%n",
                c.path("connects").asLong(),
                c.path("connectsPerSec").asLong(),
                c.path("redis").path("cpuMicrosPerConnect").asDouble(),
                perConnect(c.path("redis").path("callsPerConnect"))));
        JsonNode ce = st.path("ceiling");
        if (!ce.isMissingNode()) {
            md.append("\n### One Redis core saturated (redis-benchmark, 50 clients, no pipelining)\n\n");
            md.append(
                    "| Script | Calls/s | Redis cores | Redis CPU µs / call | Calls per core-second | EVALSHA µs / call |\n"
                            + "|---|---:|---:|---:|---:|---:|\n");
            ce.fields().forEachRemaining(e -> {
                JsonNode o = e.getValue();
                if (!o.isObject()) {
                    return;
                }
                String what = switch (e.getKey()) {
                    case "connAdd" -> "conn_add.lua (connect)";
                    case "connRemove" -> "conn_remove.lua (disconnect)";
                    default ->
                        "publish.lua, history on, "
                                + o.path("subscribingConnections").asInt() + " subscribed node connections";
                };
                md.append(String.format(
                        Locale.ROOT,
                        "| %s | %d | %.3f | %.2f | %d | %.2f |%n",
                        what,
                        o.path("callsPerSec").asLong(),
                        o.path("redisCores").asDouble(),
                        o.path("cpuMicrosPerCall").asDouble(),
                        o.path("callsPerCoreSecond").asLong(),
                        o.path("evalshaMicrosPerCall").asDouble()));
            });
        }
        if (ce.has("registryBytesPerConnection")) {
            md.append(String.format(
                    Locale.ROOT,
                    "%nRedis memory: %d bytes per registry entry (a connection with its user and node indexes, "
                            + "%d entries written by conn_add.lua above); %d bytes for one channel's history "
                            + "(100 entries of %d-byte payloads, MEMORY USAGE of the stream).%n",
                    ce.path("registryBytesPerConnection").asLong(),
                    ce.path("registryEntries").asLong(),
                    ce.path("historyStreamBytes").asLong(),
                    size + 60));
        }
        JsonNode cl = out.path("cluster");
        if (cl.has("error")) {
            md.append("\n## Redis Cluster\n\nFailed: ")
                    .append(cl.path("error").asText())
                    .append('\n');
        } else if (!cl.isMissingNode()) {
            md.append("\n## Redis Cluster, per shard\n\n");
            md.append("| Server | At rest: cores | Publishing: cores | Publications/s run | Net µs / publication "
                    + "| Commands/s | Out MB/s | Connects: cores | Registry calls / connect |\n"
                    + "|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
            JsonNode pn = cl.path("publishN");
            JsonNode cn = cl.path("connects");
            double secs = measureMs / 1000.0;
            for (var it = pn.fields(); it.hasNext(); ) {
                var e = it.next();
                if (!e.getValue().has("role")) {
                    continue;
                }
                String n = e.getKey();
                JsonNode p = e.getValue();
                md.append(String.format(
                        Locale.ROOT,
                        "| %s | %.4f | %.4f | %d | %s | %d | %.2f | %.4f | %s |%n",
                        n,
                        cl.path("idle").path(n).path("cores").asDouble(),
                        p.path("cores").asDouble(),
                        Math.round(p.path("publications").asLong() / secs),
                        p.has("cpuMicrosPerPublication")
                                ? String.format(
                                        Locale.ROOT,
                                        "%.2f",
                                        p.path("cpuMicrosPerPublication").asDouble())
                                : "",
                        p.path("commandsPerSec").asLong(),
                        p.path("netOutBytesPerSec").asLong() / 1e6,
                        cn.path(n).path("cores").asDouble(),
                        perConnect(cn.path(n).path("callsPerConnect"))));
            }
            md.append(String.format(
                    Locale.ROOT,
                    "%nPublishing: %d publications/s, %.2f %% delivered, %d subscribing nodes; all servers together "
                            + "(primaries and replicas) %.2f µs of CPU per publication (net). Connects: %d at %d/s.%n",
                    pn.path("publicationsPerSec").asLong(),
                    pn.path("completeness").asDouble() * 100,
                    pn.path("subscribingNodes").asInt(),
                    pn.path("cpuMicrosPerPublicationAllServers").asDouble(),
                    cn.path("connects").asLong(),
                    cn.path("connectsPerSec").asLong()));
            JsonNode bus = cl.path("bus");
            if (bus.has("publish")) {
                md.append("\n### PUBLISH against SPUBLISH on one primary (no subscribers)\n\n");
                md.append("| Command | Requests/s |");
                List<String> names = new ArrayList<>();
                bus.path("publish").fields().forEachRemaining(e -> {
                    if (e.getValue().has("role")) {
                        names.add(e.getKey());
                    }
                });
                names.forEach(n -> md.append(' ').append(n).append(" µs/msg |"));
                md.append("\n|---|---:|");
                names.forEach(n -> md.append("---:|"));
                md.append('\n');
                for (String cmd : List.of("publish", "spublish")) {
                    JsonNode b = bus.path(cmd);
                    md.append("| ")
                            .append(cmd.toUpperCase(Locale.ROOT))
                            .append(" | ")
                            .append(b.path("perSec").asLong())
                            .append(" |");
                    names.forEach(n -> md.append(String.format(
                            Locale.ROOT,
                            " %.2f |",
                            b.path(n).path("cpuMicrosPerMessage").asDouble())));
                    md.append('\n');
                }
            }
        }
        return md.toString();
    }

    private static String calls(JsonNode cs, double seconds, double divisor, String unit) {
        List<String> l = new ArrayList<>();
        cs.fields().forEachRemaining(e -> {
            double v = e.getValue().path("calls").asDouble() / Math.max(seconds, 1e-9) / divisor;
            if (v >= 0.01) {
                l.add(String.format(Locale.ROOT, "%s %.2f", e.getKey(), v));
            }
        });
        return l.isEmpty() ? "none" : String.join(", ", l) + unit;
    }

    private static String perConnect(JsonNode per) {
        List<String> l = new ArrayList<>();
        per.fields().forEachRemaining(e -> l.add(e.getKey() + " " + e.getValue().asText()));
        return l.isEmpty() ? "" : String.join(", ", l);
    }
}
