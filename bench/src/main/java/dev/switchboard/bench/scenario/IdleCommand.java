package dev.switchboard.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.bench.BenchContext;
import dev.switchboard.bench.Json;
import dev.switchboard.bench.Micros;
import dev.switchboard.bench.proc.Cluster;
import dev.switchboard.bench.proc.CpuMeter;
import dev.switchboard.bench.proc.LoadGenProcess;
import dev.switchboard.bench.proc.Managed;
import dev.switchboard.bench.report.Stats;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "idle",
        mixinStandardHelpOptions = true,
        description = "N idle connections (connected, one subscription each) on one node: RSS, heap and CPU per "
                + "connection at rest.")
public final class IdleCommand extends ScenarioCommand {

    @Option(
            names = "--connections",
            defaultValue = "19000",
            description =
                    "Connections (default: ${DEFAULT-VALUE}; one node process cannot hold more than its open-file limit).")
    int connections;

    @Option(
            names = "--channels",
            defaultValue = "100",
            description = "Channels they subscribe to (default: ${DEFAULT-VALUE}).")
    int channels;

    @Option(
            names = "--hold",
            defaultValue = "20000",
            description = "Measurement at rest, ms (default: ${DEFAULT-VALUE}).")
    long holdMs;

    @Option(
            names = "--settle",
            defaultValue = "15000",
            description =
                    "Pause after the last connection before measuring (lets the JIT finish), ms (default: ${DEFAULT-VALUE}).")
    long settleMs;

    @Override
    public String name() {
        return "idle";
    }

    @Override
    protected ObjectNode params() {
        return Json.object()
                .put("nodes", 1)
                .put("connections", connections)
                .put("channels", channels)
                .put("holdMs", holdMs)
                .put("settleMs", settleMs)
                .put("openFileLimit", openFileLimit());
    }

    static long openFileLimit() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    return Long.parseLong(line.substring(26).trim().split("\\s+")[1]);
                }
            }
        } catch (Exception ignored) {
            // unknown
        }
        return -1;
    }

    @Override
    protected ObjectNode run(BenchContext ctx, String system) throws Exception {
        long budget = 180 + connections / 200 + (holdMs + settleMs) / 1000;
        ObjectNode out = Json.object();
        try (Cluster cl = Cluster.start(ctx, system, name(), 1, FanoutCommand.channelYaml(false), budget)) {
            Managed node = cl.nodes().get(0);
            Thread.sleep(2000);
            long[] before = memory(cl, node);
            int l = Runs.loadgensFor(connections);
            List<ObjectNode> specs = new ArrayList<>();
            for (int i = 0; i < l; i++) {
                ObjectNode s = Runs.baseSpec(ctx, cl);
                s.put("threads", 1);
                s.putObject("channels").put("count", channels).put("prefix", "idle");
                s.putObject("subscribers")
                        .put("from", (int) ((long) connections * i / l))
                        .put("to", (int) ((long) connections * (i + 1) / l))
                        .put("perConn", 1)
                        .putArray("nodes")
                        .add(0);
                specs.add(s);
            }
            List<LoadGenProcess> lgs = Runs.start(ctx, name(), specs, budget, 60_000 + connections * 10L);
            try {
                Thread.sleep(settleMs);
                long[] after = memory(cl, node);
                long from = Micros.now() + 500_000;
                ObjectNode cpu = CpuMeter.measure(Runs.roles(cl, lgs), from, from + holdMs * 1000)
                        .join();
                List<JsonNode> stats = new ArrayList<>();
                for (LoadGenProcess lg : lgs) {
                    lg.send(Json.object().put("cmd", "stats"));
                    stats.add(lg.await("stats", 10_000));
                }
                long closed = Runs.sum(stats, "closedUnexpectedly");
                out.put("connections", connections)
                        .put("closedUnexpectedly", closed)
                        .put("rssBeforeMiB", Stats.round(before[0] / 1048576.0, 1))
                        .put("rssAfterMiB", Stats.round(after[0] / 1048576.0, 1))
                        .put("rssPerConnectionKiB", Stats.round((after[0] - before[0]) / 1024.0 / connections, 2));
                if (before[1] >= 0 && after[1] >= 0) {
                    out.put("heapBeforeMiB", Stats.round(before[1] / 1048576.0, 1))
                            .put("heapAfterMiB", Stats.round(after[1] / 1048576.0, 1))
                            .put("heapPerConnectionKiB", Stats.round((after[1] - before[1]) / 1024.0 / connections, 2));
                }
                double nodeCores = cpu.path("nodes").path("cores").asDouble();
                out.put("nodeCpuCoresAtRest", nodeCores)
                        .put("nodeCpuMicrosPerConnectionPerSec", Stats.round(nodeCores * 1e6 / connections, 3));
                out.set("cpu", cpu);
                ctx.log(
                        "idle %s: %d connections, RSS %+.1f MiB (%.2f KiB each), heap %.2f KiB each, node CPU at rest %.3f cores",
                        system,
                        connections,
                        (after[0] - before[0]) / 1048576.0,
                        out.path("rssPerConnectionKiB").asDouble(),
                        out.path("heapPerConnectionKiB").asDouble(-1),
                        nodeCores);
            } finally {
                Runs.closeAll(lgs);
            }
        }
        return out;
    }

    /** [RSS, heap used after a full GC] of the node, in bytes (heap -1 when unknown). */
    private static long[] memory(Cluster cl, Managed node) throws Exception {
        long heap = -1;
        if (cl.isSwitchboard()) {
            Process p = new ProcessBuilder("jcmd", Long.toString(node.pid()), "GC.run")
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            p.waitFor();
            Thread.sleep(500);
            heap = 0;
            for (String line : cl.getText(0, "/metrics").split("\n")) {
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    heap += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        } else {
            JsonNode s = cl.getJson(0, "/stats"); // runs global.gc() first
            heap = s.path("heapUsed").asLong(-1);
            Thread.sleep(500);
        }
        return new long[] {node.rssBytes(), heap};
    }
}
