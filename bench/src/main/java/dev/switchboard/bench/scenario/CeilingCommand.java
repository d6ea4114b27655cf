package dev.switchboard.bench.scenario;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.bench.BenchContext;
import dev.switchboard.bench.Json;
import dev.switchboard.bench.proc.Managed;
import dev.switchboard.bench.proc.RedisBenchmark;
import dev.switchboard.bench.proc.RedisServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "ceiling",
        mixinStandardHelpOptions = true,
        description =
                "Context: redis-benchmark PUBLISH on this machine (with two subscribed connections, like two nodes).")
public final class CeilingCommand extends ScenarioCommand {

    /** Longest one {@code redis-benchmark} run may take before it is killed (a run takes seconds). */
    static final long BENCHMARK_MAX_SECONDS = 120;

    @Option(
            names = "--requests",
            defaultValue = "200000",
            description = "PUBLISH commands per run (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(
            names = "--clients",
            defaultValue = "50",
            description = "redis-benchmark clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--size", defaultValue = "100", description = "Message size in bytes (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(
            names = "--subscribers",
            defaultValue = "2",
            description = "Subscribed connections (default: ${DEFAULT-VALUE}).")
    int subscribers;

    @Override
    public String name() {
        return "ceiling";
    }

    @Override
    protected String peerUnsupported() {
        return "a property of Redis on this machine, not of a system";
    }

    @Override
    protected ObjectNode params() {
        return Json.object()
                .put("requests", requests)
                .put("clients", clients)
                .put("messageBytes", size)
                .put("subscribers", subscribers);
    }

    @Override
    protected ObjectNode run(BenchContext ctx, String system) throws Exception {
        ObjectNode out = Json.object();
        try (RedisServer redis = RedisServer.start(ctx, name(), "ceiling-redis", 300)) {
            List<Managed> subs = new ArrayList<>();
            try {
                for (int i = 0; i < subscribers; i++) {
                    subs.add(Managed.start(
                            "sub" + i,
                            List.of("redis-cli", "-p", Integer.toString(redis.port()), "subscribe", "bench"),
                            Map.of(),
                            ctx.runDir(),
                            ctx.runDir().resolve("ceiling-sub.log"),
                            300,
                            false,
                            ctx.pinning().load()));
                }
                Thread.sleep(500);
                String msg = "x".repeat(size);
                for (int pipeline : new int[] {1, 16}) {
                    double rps = RedisBenchmark.run(
                                    ctx,
                                    "ceiling-benchmark-p" + pipeline,
                                    redis.port(),
                                    List.of(
                                            "-n",
                                            Integer.toString(requests),
                                            "-c",
                                            Integer.toString(clients),
                                            "-P",
                                            Integer.toString(pipeline),
                                            "PUBLISH",
                                            "bench",
                                            msg),
                                    BENCHMARK_MAX_SECONDS)
                            .requestsPerSecond();
                    out.put(pipeline == 1 ? "publishPerSec" : "publishPerSecPipelined16", Math.round(rps));
                    out.put(
                            pipeline == 1 ? "deliveriesPerSec" : "deliveriesPerSecPipelined16",
                            Math.round(rps * subscribers));
                    ctx.log("ceiling: redis-benchmark PUBLISH -P %d: %.0f/s", pipeline, rps);
                }
            } finally {
                subs.forEach(s -> s.stop(1000));
            }
        }
        return out;
    }
}
