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
import dev.switchboard.bench.proc.WriteBatching;
import dev.switchboard.bench.report.Stats;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.HdrHistogram.Histogram;

/**
 * Fixed-rate publishing into C channels with N subscribers spread over the nodes, one step per
 * rate: warm-up (not measured), measurement window, drain. Latency is publish→deliver of the
 * publications whose scheduled send time falls inside the window, measured from the scheduled
 * time (so a publisher that falls behind shows up as latency: no coordinated omission).
 */
final class PubSub {

    record Params(
            int nodes,
            int subscribers,
            int channels,
            int size,
            List<Integer> subscriberNodes,
            List<Integer> publisherNodes,
            int publishers,
            List<Double> rates,
            long warmupMs,
            long measureMs,
            long drainMs,
            double maxP99Ms,
            double minCompleteness,
            int threads,
            boolean stopWhenOverloaded,
            String channelYaml,
            long prewarmMs,
            double prewarmRate) {

        ObjectNode toJson() {
            ObjectNode o = Json.object();
            o.put("nodes", nodes)
                    .put("subscribers", subscribers)
                    .put("channels", channels)
                    .put("subscribersPerChannel", subscribers / channels)
                    .put("messageBytes", size)
                    .put("publishers", publishers)
                    .put("warmupMs", warmupMs)
                    .put("measureMs", measureMs)
                    .put("drainMs", drainMs)
                    .put("maxP99Ms", maxP99Ms)
                    .put("minCompleteness", minCompleteness)
                    .put("prewarmMs", prewarmMs)
                    .put("prewarmRate", prewarmRate);
            ArrayNode r = o.putArray("publishRates");
            rates.forEach(r::add);
            ArrayNode sn = o.putArray("subscriberNodes");
            subscriberNodes.forEach(sn::add);
            ArrayNode pn = o.putArray("publisherNodes");
            publisherNodes.forEach(pn::add);
            return o;
        }
    }

    /**
     * How the system is set up and reached: the default is the Redis engine, subscribers on the
     * JSON WebSocket and publishers as client connections.
     *
     * @param memory one node on the memory engine (no Redis); {@code nodes} must be 1
     * @param clientYaml extra {@code client:} lines of a memory node
     * @param transport the subscribers' transport (see the load generator)
     * @param apiPublish publish through the server API ({@code publishers} keep-alive HTTP lanes)
     */
    record Setup(boolean memory, String clientYaml, String transport, boolean apiPublish) {
        static final Setup DEFAULT = new Setup(false, "", "websocket", false);
    }

    private PubSub() {}

    static ObjectNode run(BenchContext ctx, String scenario, String system, Params p) throws Exception {
        return run(ctx, scenario, system, p, Setup.DEFAULT);
    }

    static ObjectNode run(BenchContext ctx, String scenario, String system, Params p, Setup setup) throws Exception {
        if (p.subscribers % p.channels != 0) {
            throw new IllegalArgumentException("subscribers must be a multiple of channels");
        }
        long stepMs = p.warmupMs + p.measureMs + p.drainMs + 1000;
        long budget = 180 + p.rates.size() * stepMs / 1000 + p.subscribers / 500 + p.prewarmMs / 1000;
        ObjectNode out = Json.object();
        try (Cluster cl = setup.memory()
                ? Cluster.startMemory(ctx, scenario, setup.clientYaml(), p.channelYaml, budget)
                : Cluster.start(ctx, system, scenario, p.nodes, p.channelYaml, budget)) {
            int l = Runs.loadgensFor(p.subscribers + p.publishers);
            List<ObjectNode> specs = new ArrayList<>();
            for (int i = 0; i < l; i++) {
                ObjectNode s = Runs.baseSpec(ctx, cl);
                s.put("size", p.size).put("threads", p.threads).put("transport", setup.transport());
                s.putObject("channels").put("count", p.channels).put("prefix", "ch");
                ObjectNode subs = s.putObject("subscribers")
                        .put("from", (int) ((long) p.subscribers * i / l))
                        .put("to", (int) ((long) p.subscribers * (i + 1) / l))
                        .put("perConn", 1);
                ArrayNode sn = subs.putArray("nodes");
                p.subscriberNodes.forEach(sn::add);
                ObjectNode pubs = s.putObject("publishers")
                        .put("count", i == 0 ? p.publishers : 0)
                        .put("via", setup.apiPublish() ? "api" : "client");
                ArrayNode pn = pubs.putArray("nodes");
                p.publisherNodes.forEach(pn::add);
                specs.add(s);
            }
            List<LoadGenProcess> lgs = Runs.start(ctx, scenario, specs, budget, 60_000 + p.subscribers * 10L);
            try {
                Thread.sleep(1000);
                if (p.prewarmMs > 0) {
                    // JIT warm-up (C2 needs tens of seconds on two shared cores): publish, measure nothing.
                    ctx.log(
                            "%s %s: warming up for %d ms at %.0f publications/s",
                            scenario, system, p.prewarmMs, p.prewarmRate);
                    ObjectNode cmd = Json.object()
                            .put("cmd", "pub")
                            .put("id", -1)
                            .put("rate", p.prewarmRate)
                            .put("startUs", Micros.now() + 200_000)
                            .put("warmupMs", p.prewarmMs)
                            .put("measureMs", 1)
                            .put("drainMs", Math.max(1000, p.drainMs));
                    for (LoadGenProcess lg : lgs) {
                        lg.send(cmd);
                    }
                    for (LoadGenProcess lg : lgs) {
                        lg.await("pub", p.prewarmMs + p.drainMs + 60_000);
                    }
                }
                ArrayNode steps = out.putArray("steps");
                ObjectNode best = null;
                int id = 0;
                for (double rate : p.rates) {
                    long start = Micros.now() + 300_000;
                    long from = start + p.warmupMs * 1000;
                    long to = from + p.measureMs * 1000;
                    CompletableFuture<ObjectNode> cpu = CpuMeter.measure(Runs.roles(cl, lgs), from, to);
                    CompletableFuture<ObjectNode> writes = WriteBatching.measure(cl, from, to);
                    ObjectNode cmd = Json.object()
                            .put("cmd", "pub")
                            .put("id", id++)
                            .put("rate", rate)
                            .put("startUs", start)
                            .put("warmupMs", p.warmupMs)
                            .put("measureMs", p.measureMs)
                            .put("drainMs", p.drainMs);
                    for (LoadGenProcess lg : lgs) {
                        lg.send(cmd);
                    }
                    List<JsonNode> evs = new ArrayList<>();
                    for (LoadGenProcess lg : lgs) {
                        evs.add(lg.await("pub", stepMs + 60_000));
                    }
                    Histogram h = Runs.merge(evs);
                    long delivered = h.getTotalCount();
                    long publishedInWindow =
                            evs.get(0).path("publishedInWindow").asLong();
                    long expected = publishedInWindow * (p.subscribers / p.channels);
                    double secs = p.measureMs / 1000.0;
                    double completeness = expected == 0 ? 0 : delivered / (double) expected;
                    long pubErr = Runs.sum(evs, "pubErr");
                    long closed = Runs.sum(evs, "closedUnexpectedly");
                    ObjectNode lat = Stats.summary(h);
                    boolean pass = completeness >= p.minCompleteness
                            && pubErr == 0
                            && closed == 0
                            && delivered > 0
                            && lat.path("p99").asDouble() <= p.maxP99Ms;
                    ObjectNode step = steps.addObject();
                    step.put("publishRate", rate)
                            .put("offeredDeliveriesPerSec", Math.round(rate * (p.subscribers / p.channels)))
                            .put("deliveredPerSec", Math.round(delivered / secs))
                            .put("completeness", Stats.round(completeness, 4))
                            .put("published", publishedInWindow)
                            .put("delivered", delivered)
                            .put("pubErrors", pubErr)
                            .put("closedUnexpectedly", closed)
                            .put("pass", pass);
                    String why = Runs.first(evs, "firstPubError");
                    if (why != null) {
                        step.put("firstPubError", why);
                    }
                    String closeWhy = Runs.first(evs, "firstClose");
                    if (closeWhy != null) {
                        step.put("firstClose", closeWhy);
                    }
                    step.set("latencyMs", lat);
                    step.set("cpu", cpu.join());
                    step.set("writes", writes.join());
                    double nodeCpuSeconds =
                            step.path("cpu").path("nodes").path("cores").asDouble()
                                    * step.path("cpu").path("windowSeconds").asDouble(secs);
                    if (delivered > 0) {
                        step.put("nodeCpuUsPerDelivery", Stats.round(nodeCpuSeconds * 1e6 / delivered, 3));
                    }
                    if (nodeCpuSeconds > 0) {
                        // The figure that survives a shared machine: what the nodes did per CPU-second they got.
                        step.put("deliveriesPerNodeCpuSecond", Math.round(delivered / nodeCpuSeconds));
                    }
                    step.set("curve", Stats.curve(h));
                    ctx.log(
                            "%s %s: rate %.0f/s -> %d deliveries/s (%.1f%%), p50 %.3f ms, p99 %.3f ms, max %.3f ms, node cpu %.2f cores (jit %.2f), %s messages per write %s",
                            scenario,
                            system,
                            rate,
                            Math.round(delivered / secs),
                            completeness * 100,
                            lat.path("p50").asDouble(),
                            lat.path("p99").asDouble(),
                            lat.path("max").asDouble(),
                            step.path("cpu").path("nodes").path("cores").asDouble(),
                            step.path("cpu").path("nodes").path("jitCores").asDouble(),
                            step.path("writes").path("messagesPerWrite").asText("n/a"),
                            pass ? "PASS" : "FAIL");
                    if (pass
                            && (best == null
                                    || step.path("deliveredPerSec").asLong()
                                            > best.path("deliveredPerSec").asLong())) {
                        best = step;
                    }
                    if (!pass && !out.has("firstFailure")) {
                        out.set("firstFailure", step.deepCopy().without("curve"));
                    }
                    // Only an overloaded step ends the climb: its backlog would spill into the next. A step
                    // that just misses the p99 limit goes on, since higher rates batch more per write.
                    boolean overloaded = completeness < p.minCompleteness || pubErr > 0;
                    if (overloaded && p.stopWhenOverloaded) {
                        break;
                    }
                    if (closed > 0) {
                        break; // connections are gone: later steps would measure nothing
                    }
                }
                if (best != null) {
                    out.set("best", best);
                }
            } finally {
                Runs.closeAll(lgs);
            }
        }
        return out;
    }
}
