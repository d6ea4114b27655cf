package dev.switchboard.bench.scenario;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.bench.BenchContext;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "latency",
        mixinStandardHelpOptions = true,
        description = "Cross-node publish->deliver latency at a fixed rate: publishers on node 1, every subscriber on "
                + "node 2; the full percentile spectrum.")
public final class LatencyCommand extends ScenarioCommand {

    @Mixin
    Workload workload = new Workload();

    @Option(
            names = "--rate",
            defaultValue = "200",
            description = "Publications/s (default: ${DEFAULT-VALUE}; x subscribers/channels = deliveries/s).")
    double rate;

    @Option(
            names = "--publishers",
            defaultValue = "2",
            description = "Publisher connections on node 1 (default: ${DEFAULT-VALUE}).")
    int publishers;

    @Option(names = "--warmup", defaultValue = "5000", description = "Warm-up, ms (default: ${DEFAULT-VALUE}).")
    long warmupMs;

    @Option(names = "--measure", defaultValue = "30000", description = "Measurement, ms (default: ${DEFAULT-VALUE}).")
    long measureMs;

    @Option(
            names = "--prewarm",
            defaultValue = "30000",
            description = "JIT warm-up before the measured run, ms, at the same rate (default: ${DEFAULT-VALUE}).")
    long prewarmMs;

    @Mixin
    RepeatOptions repeat = new RepeatOptions();

    @Override
    RepeatOptions repeatOptions() {
        return repeat;
    }

    @Override
    public String name() {
        return "latency";
    }

    PubSub.Params p() {
        return new PubSub.Params(
                2,
                workload.subscribers,
                workload.channels,
                workload.size,
                List.of(1),
                List.of(0),
                publishers,
                List.of(rate),
                warmupMs,
                measureMs,
                2000,
                Double.MAX_VALUE,
                0.99,
                2,
                false,
                FanoutCommand.channelYaml(false),
                prewarmMs,
                rate);
    }

    @Override
    protected ObjectNode params() {
        return p().toJson().put("deliveriesPerSec", Math.round(rate * workload.subscribers / workload.channels));
    }

    @Override
    protected ObjectNode run(BenchContext ctx, String system) throws Exception {
        return PubSub.run(ctx, name(), system, p());
    }
}
