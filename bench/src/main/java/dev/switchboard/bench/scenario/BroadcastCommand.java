package dev.switchboard.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.bench.BenchContext;
import dev.switchboard.bench.Json;
import dev.switchboard.bench.Micros;
import dev.switchboard.bench.load.Histograms;
import dev.switchboard.bench.load.Payload;
import dev.switchboard.bench.proc.Cluster;
import dev.switchboard.bench.proc.LoadGenProcess;
import dev.switchboard.bench.report.Stats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "broadcast",
        mixinStandardHelpOptions = true,
        description = "Every connection subscribed to one channel over K nodes; one publication (HTTP API on node 1) "
                + "at a time: time until the last connection has it.")
public final class BroadcastCommand extends ScenarioCommand {

    @Option(names = "--nodes", defaultValue = "3", description = "Nodes (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--connections", defaultValue = "51000", description = "Connections (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--rounds", defaultValue = "5", description = "Broadcasts (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(
            names = "--interval",
            defaultValue = "2000",
            description = "Pause between broadcasts, ms (default: ${DEFAULT-VALUE}).")
    long intervalMs;

    @Option(
            names = "--warmup-rounds",
            defaultValue = "5",
            description = "Broadcasts before the measured ones, not measured (default: ${DEFAULT-VALUE}).")
    int warmupRounds;

    @Option(
            names = "--size",
            defaultValue = "100",
            description = "Publication data size in bytes (default: ${DEFAULT-VALUE}).")
    int size;

    @Override
    public String name() {
        return "broadcast";
    }

    @Override
    protected ObjectNode params() {
        return Json.object()
                .put("nodes", nodes)
                .put("connections", connections)
                .put("rounds", rounds)
                .put("intervalMs", intervalMs)
                .put("messageBytes", size)
                .put("warmupRounds", warmupRounds);
    }

    @Override
    protected ObjectNode run(BenchContext ctx, String system) throws Exception {
        long budget = 240 + connections / 200 + rounds * (intervalMs + 15_000) / 1000;
        ObjectNode out = Json.object();
        try (Cluster cl = Cluster.start(ctx, system, name(), nodes, FanoutCommand.channelYaml(false), budget)) {
            int l = Runs.loadgensFor(connections);
            List<ObjectNode> specs = new ArrayList<>();
            int[] share = new int[l];
            for (int i = 0; i < l; i++) {
                ObjectNode s = Runs.baseSpec(ctx, cl);
                s.put("threads", 1);
                s.putObject("channels").put("count", 1).put("prefix", "bcast");
                int from = (int) ((long) connections * i / l);
                int to = (int) ((long) connections * (i + 1) / l);
                share[i] = to - from;
                // Connection k goes to node k % nodes (one channel: the formula is k / 1 % nodes).
                ArrayNode sn = s.putObject("subscribers")
                        .put("from", from)
                        .put("to", to)
                        .put("perConn", 1)
                        .putArray("nodes");
                for (int n = 0; n < nodes; n++) {
                    sn.add(n);
                }
                specs.add(s);
            }
            List<LoadGenProcess> lgs = Runs.start(ctx, name(), specs, budget, 60_000 + connections * 10L);
            try {
                Thread.sleep(2000);
                Payload payload = new Payload(size);
                Histogram all = Histograms.empty();
                ArrayNode rs = out.putArray("rounds");
                double[] lasts = new double[rounds];
                long received = 0;
                for (int r = -warmupRounds; r < rounds; r++) {
                    for (int i = 0; i < l; i++) {
                        lgs.get(i)
                                .send(Json.object()
                                        .put("cmd", "bround")
                                        .put("id", r)
                                        .put("expect", share[i])
                                        .put("timeoutMs", 15_000));
                    }
                    for (LoadGenProcess lg : lgs) {
                        lg.await("armed", 10_000);
                    }
                    int status = cl.publish(0, "bcast0", payload.toJson(Micros.now()));
                    if (status != 200) {
                        throw new IllegalStateException("publish returned HTTP " + status);
                    }
                    List<JsonNode> evs = new ArrayList<>();
                    for (LoadGenProcess lg : lgs) {
                        evs.add(lg.await("bround", 30_000));
                    }
                    Histogram h = Runs.merge(evs);
                    if (r < 0) {
                        ctx.log(
                                "broadcast %s warm-up round: %d/%d received, last after %.1f ms",
                                system, h.getTotalCount(), connections, Stats.ms(h.getMaxValue()));
                        Thread.sleep(Math.min(intervalMs, 500));
                        continue;
                    }
                    all.add(h);
                    received += h.getTotalCount();
                    lasts[r] = Stats.ms(h.getMaxValue());
                    ObjectNode ro = rs.addObject();
                    ro.put("received", h.getTotalCount())
                            .put("timeToLastMs", lasts[r])
                            .put("p50Ms", Stats.ms(h.getValueAtPercentile(50)))
                            .put("p99Ms", Stats.ms(h.getValueAtPercentile(99)));
                    ctx.log(
                            "broadcast %s round %d: %d/%d received, p50 %.1f ms, last after %.1f ms",
                            system,
                            r + 1,
                            h.getTotalCount(),
                            connections,
                            Stats.ms(h.getValueAtPercentile(50)),
                            lasts[r]);
                    Thread.sleep(intervalMs);
                }
                double[] sorted = lasts.clone();
                Arrays.sort(sorted);
                out.put("connections", connections)
                        .put("completeness", Stats.round(received / (double) ((long) connections * rounds), 4))
                        .put("timeToLastMsMedian", sorted[sorted.length / 2])
                        .put("timeToLastMsMax", sorted[sorted.length - 1]);
                out.set("latencyMs", Stats.summary(all));
                out.set("curve", Stats.curve(all));
            } finally {
                Runs.closeAll(lgs);
            }
        }
        return out;
    }
}
