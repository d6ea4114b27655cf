package dev.switchboard.bench.scenario;

import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options of a stepped fixed-rate publish run ({@code fanout}, {@code transports}). */
final class StepOptions {

    @Mixin
    Workload workload = new Workload();

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
            defaultValue = "40000",
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

    PubSub.Params params(
            int nodes,
            List<Integer> subscriberNodes,
            List<Integer> publisherNodes,
            int publishers,
            List<Double> rates,
            String channelYaml) {
        return new PubSub.Params(
                nodes,
                workload.subscribers,
                workload.channels,
                workload.size,
                subscriberNodes,
                publisherNodes,
                publishers,
                rates,
                warmupMs,
                measureMs,
                drainMs,
                maxP99,
                0.99,
                threads,
                true,
                channelYaml,
                prewarmMs,
                prewarmRate);
    }
}
