package dev.switchboard.bench.scenario;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.bench.BenchContext;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "fanout",
        mixinStandardHelpOptions = true,
        description =
                "N subscribers over K nodes, C channels, fixed publish rates stepped up until one is overloaded (under 99%% delivered): "
                        + "delivered messages/s and publish->deliver latency.")
public final class FanoutCommand extends ScenarioCommand {

    @Option(names = "--nodes", defaultValue = "2", description = "Nodes (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(
            names = "--subscribers",
            defaultValue = "1000",
            description = "Subscriber connections (default: ${DEFAULT-VALUE}).")
    int subscribers;

    @Option(names = "--channels", defaultValue = "10", description = "Channels (default: ${DEFAULT-VALUE}).")
    int channels;

    @Option(
            names = "--size",
            defaultValue = "100",
            description = "Publication data size in bytes (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(
            names = "--publishers",
            defaultValue = "4",
            description = "Publisher connections, spread over the nodes (default: ${DEFAULT-VALUE}).")
    int publishers;

    @Option(
            names = "--rates",
            split = ",",
            defaultValue = "250,500,1000,2000,3000,4000,5000",
            description =
                    "Publish rates in publications/s, tried in order until one is overloaded (default: ${DEFAULT-VALUE}).")
    List<Double> rates;

    @Option(
            names = "--warmup",
            defaultValue = "2000",
            description = "Warm-up per step, ms (default: ${DEFAULT-VALUE}).")
    long warmupMs;

    @Option(
            names = "--measure",
            defaultValue = "5000",
            description = "Measurement per step, ms (default: ${DEFAULT-VALUE}).")
    long measureMs;

    @Option(
            names = "--drain",
            defaultValue = "2000",
            description = "Wait for late deliveries after a step, ms (default: ${DEFAULT-VALUE}).")
    long drainMs;

    @Option(
            names = "--max-p99",
            defaultValue = "50",
            description = "A step passes with p99 at most this, ms (default: ${DEFAULT-VALUE}).")
    double maxP99;

    @Option(
            names = "--prewarm",
            defaultValue = "20000",
            description = "JIT warm-up before the first step, ms, not measured (default: ${DEFAULT-VALUE}).")
    long prewarmMs;

    @Option(
            names = "--prewarm-rate",
            defaultValue = "250",
            description =
                    "Publications/s during warm-up; keep it below every system's capacity, or the first step starts "
                            + "with a backlog (default: ${DEFAULT-VALUE}).")
    double prewarmRate;

    @Option(
            names = "--loadgen-threads",
            defaultValue = "2",
            description = "Event loop threads per load generator (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(
            names = "--history",
            description = "Keep history (size 100, ttl 60s) in the channels (Switchboard only; the peer has none).")
    boolean history;

    @Override
    public String name() {
        return "fanout";
    }

    PubSub.Params p() {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            all.add(i);
        }
        return new PubSub.Params(
                nodes,
                subscribers,
                channels,
                size,
                all,
                all,
                publishers,
                rates,
                warmupMs,
                measureMs,
                drainMs,
                maxP99,
                0.99,
                threads,
                true,
                channelYaml(history),
                prewarmMs,
                prewarmRate);
    }

    static String channelYaml(boolean history) {
        return "  allow_subscribe_for_client: true\n  allow_publish_for_client: true\n"
                + (history ? "  history_size: 100\n  history_ttl: 60s\n" : "");
    }

    @Override
    protected ObjectNode params() {
        return p().toJson().put("history", history);
    }

    @Override
    protected ObjectNode run(BenchContext ctx, String system) throws Exception {
        return PubSub.run(ctx, name(), system, p());
    }
}
