package dev.switchboard.bench.scenario;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.bench.BenchContext;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    StepOptions steps = new StepOptions();

    @Option(
            names = "--history",
            description = "Keep history (size 100, ttl 60s) in the channels (Switchboard only; the peer has none).")
    boolean history;

    @Mixin
    RepeatOptions repeat = new RepeatOptions();

    @Override
    RepeatOptions repeatOptions() {
        return repeat;
    }

    @Override
    public String name() {
        return "fanout";
    }

    PubSub.Params p() {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            all.add(i);
        }
        return steps.params(nodes, all, all, publishers, rates, channelYaml(history));
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
