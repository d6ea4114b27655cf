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
import dev.switchboard.bench.report.Stats;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "rpc",
        mixinStandardHelpOptions = true,
        description =
                "Server-to-client invocations at fixed rates: agents on node 1; callers POST /api/invoke to node 1 "
                        + "(local), to node 2 (cross-node), or call from a worker process (Switchboard only).")
public final class RpcCommand extends ScenarioCommand {

    @Option(
            names = "--agents",
            defaultValue = "4",
            description = "Agent connections on node 1 (default: ${DEFAULT-VALUE}).")
    int agents;

    @Option(names = "--rate", defaultValue = "1000", description = "Calls/s per mode (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(
            names = "--lanes",
            defaultValue = "4",
            description = "Closed-loop caller lanes (keep-alive connections) (default: ${DEFAULT-VALUE}).")
    int lanes;

    @Option(
            names = "--modes",
            split = ",",
            defaultValue = "local,cross,worker",
            description = "Modes (default: ${DEFAULT-VALUE}).")
    List<String> modes;

    @Option(
            names = "--warmup",
            defaultValue = "3000",
            description = "Warm-up per mode, ms (default: ${DEFAULT-VALUE}).")
    long warmupMs;

    @Option(
            names = "--measure",
            defaultValue = "10000",
            description = "Measurement per mode, ms (default: ${DEFAULT-VALUE}).")
    long measureMs;

    @Option(
            names = "--prewarm",
            defaultValue = "16000",
            description =
                    "JIT warm-up before the measured modes (half local, half cross-node), ms (default: ${DEFAULT-VALUE}).")
    long prewarmMs;

    @Mixin
    RepeatOptions repeat = new RepeatOptions();

    @Override
    RepeatOptions repeatOptions() {
        return repeat;
    }

    @Override
    public String name() {
        return "rpc";
    }

    @Override
    protected ObjectNode params() {
        ObjectNode o = Json.object()
                .put("nodes", 2)
                .put("agents", agents)
                .put("ratePerMode", rate)
                .put("lanes", lanes)
                .put("warmupMs", warmupMs)
                .put("measureMs", measureMs)
                .put("prewarmMs", prewarmMs);
        ArrayNode m = o.putArray("modes");
        modes.forEach(m::add);
        return o;
    }

    @Override
    protected ObjectNode run(BenchContext ctx, String system) throws Exception {
        long budget = 120 + prewarmMs / 1000 + modes.size() * (warmupMs + measureMs + 15_000) / 1000;
        ObjectNode out = Json.object();
        try (Cluster cl = Cluster.start(ctx, system, name(), 2, FanoutCommand.channelYaml(false), budget)) {
            ObjectNode spec = Runs.baseSpec(ctx, cl);
            spec.put("threads", 1);
            spec.putObject("agents").put("count", agents).put("node", 0).put("prefix", "agent-");
            List<LoadGenProcess> lgs = Runs.start(ctx, name(), List.of(spec), budget, 30_000);
            try {
                Thread.sleep(500);
                ObjectNode res = out.putObject("modes");
                int id = 0;
                if (prewarmMs > 0) {
                    ctx.log("rpc %s: warming up for %d ms", system, prewarmMs);
                    for (int node = 0; node < 2; node++) {
                        ObjectNode cmd = Json.object()
                                .put("cmd", "rpc")
                                .put("id", id++)
                                .put("rate", rate)
                                .put("lanes", lanes)
                                .put("warmupMs", prewarmMs / 2)
                                .put("measureMs", 1)
                                .put("timeoutMs", 5000)
                                .put("agents", agents)
                                .put("via", "http")
                                .put("node", node)
                                .put("startUs", Micros.now() + 200_000);
                        lgs.get(0).send(cmd);
                        lgs.get(0).await("rpc", prewarmMs + 60_000);
                    }
                }
                for (String mode : modes) {
                    if (mode.equals("worker") && !cl.isSwitchboard()) {
                        res.putObject(mode)
                                .put(
                                        "skipped",
                                        "Socket.IO has no process-without-sockets that can await a client's ack "
                                                + "(@socket.io/redis-emitter cannot receive acks)");
                        continue;
                    }
                    ObjectNode cmd = Json.object()
                            .put("cmd", "rpc")
                            .put("id", id++)
                            .put("rate", rate)
                            .put("lanes", lanes)
                            .put("warmupMs", warmupMs)
                            .put("measureMs", measureMs)
                            .put("timeoutMs", 5000)
                            .put("agents", agents);
                    switch (mode) {
                        case "local" -> cmd.put("via", "http").put("node", 0);
                        case "cross" -> cmd.put("via", "http").put("node", 1);
                        case "worker" -> cmd.put("via", "worker");
                        default -> throw new IllegalArgumentException("unknown mode " + mode);
                    }
                    if (mode.equals("worker")) {
                        // Let the worker join (and warm up) before the schedule starts.
                        cmd.put("startUs", Micros.now() + 3_000_000);
                    } else {
                        cmd.put("startUs", Micros.now() + 300_000);
                    }
                    long from = cmd.path("startUs").asLong() + warmupMs * 1000;
                    CompletableFuture<ObjectNode> cpu =
                            CpuMeter.measure(Runs.roles(cl, lgs), from, from + measureMs * 1000);
                    lgs.get(0).send(cmd);
                    JsonNode ev = lgs.get(0).await("rpc", warmupMs + measureMs + 60_000);
                    Histogram h = Runs.merge(List.of(ev));
                    ObjectNode r = res.putObject(mode);
                    r.put("calls", ev.path("count").asLong())
                            .put("errors", ev.path("errors").asLong())
                            .put("callsPerSec", Math.round(ev.path("count").asLong() / (measureMs / 1000.0)));
                    if (ev.hasNonNull("firstError")) {
                        r.put("firstError", ev.path("firstError").asText());
                    }
                    r.set("latencyMs", Stats.summary(h));
                    r.set("cpu", cpu.join());
                    r.set("curve", Stats.curve(h));
                    ctx.log(
                            "rpc %s %s: %d calls, %d errors, p50 %.3f ms, p99 %.3f ms, max %.3f ms",
                            system,
                            mode,
                            ev.path("count").asLong(),
                            ev.path("errors").asLong(),
                            r.path("latencyMs").path("p50").asDouble(),
                            r.path("latencyMs").path("p99").asDouble(),
                            r.path("latencyMs").path("max").asDouble());
                }
            } finally {
                Runs.closeAll(lgs);
            }
        }
        return out;
    }
}
