package dev.switchboard.bench.scenario;

import dev.switchboard.bench.BenchContext;
import dev.switchboard.bench.report.Report;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "all",
        mixinStandardHelpOptions = true,
        description =
                "Runs every scenario with its defaults (ceiling, fanout, latency, rpc, idle, broadcast, transports) against "
                        + "Switchboard and both Socket.IO peers, and writes report.json, report.md and latency-percentiles.png.")
public final class AllCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(
            names = "--scenarios",
            split = ",",
            defaultValue = "ceiling,fanout,latency,rpc,idle,broadcast,transports",
            description = "Scenarios to run (default: ${DEFAULT-VALUE}).")
    List<String> scenarios;

    @Option(
            names = "--repeats",
            defaultValue = "3",
            description = "Full runs per system of the headline scenarios fanout, latency and rpc, reported as "
                    + "median and min-max; the others run once (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Override
    public Integer call() throws Exception {
        BenchContext ctx = common.context();
        List<ScenarioCommand> cmds = new ArrayList<>();
        for (String s : scenarios) {
            ScenarioCommand c = switch (s) {
                case "ceiling" -> new CeilingCommand();
                case "fanout" -> new FanoutCommand();
                case "latency" -> new LatencyCommand();
                case "rpc" -> new RpcCommand();
                case "idle" -> new IdleCommand();
                case "broadcast" -> new BroadcastCommand();
                case "transports" -> new TransportsCommand();
                default -> throw new CommandLine.ParameterException(new CommandLine(this), "unknown scenario " + s);
            };
            new CommandLine(c).parseArgs(); // defaults
            c.shareContext(ctx, common);
            if (c.repeatOptions() != null) {
                c.repeatOptions().repeats = repeats;
            }
            cmds.add(c);
        }
        long t0 = System.nanoTime();
        for (ScenarioCommand c : cmds) {
            c.execute(ctx);
            Report.write(ctx.out());
        }
        ctx.log(
                "all: done in %d s; report: %s",
                (System.nanoTime() - t0) / 1_000_000_000L, ctx.out().resolve("report.md"));
        return 0;
    }
}
