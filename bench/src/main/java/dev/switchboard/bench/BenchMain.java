package dev.switchboard.bench;

import dev.switchboard.bench.scenario.AllCommand;
import dev.switchboard.bench.scenario.BroadcastCommand;
import dev.switchboard.bench.scenario.CeilingCommand;
import dev.switchboard.bench.scenario.FanoutCommand;
import dev.switchboard.bench.scenario.IdleCommand;
import dev.switchboard.bench.scenario.JfrTopCommand;
import dev.switchboard.bench.scenario.LatencyCommand;
import dev.switchboard.bench.scenario.ProxyCommand;
import dev.switchboard.bench.scenario.RedisCostsCommand;
import dev.switchboard.bench.scenario.ReportCommand;
import dev.switchboard.bench.scenario.RpcCommand;
import dev.switchboard.bench.scenario.ScalingModelCommand;
import dev.switchboard.bench.scenario.TransportsCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar bench/target/switchboard-bench.jar <scenario> [options]}: starts Redis, the
 * nodes (Switchboard, then the Socket.IO peer) and load generator processes on loopback, runs
 * the scenario, stops everything, and writes the report into {@code bench/results/}.
 */
@Command(
        name = "switchboard-bench",
        mixinStandardHelpOptions = true,
        version = "switchboard-bench 0.1.0",
        description = "Switchboard benchmark suite, with a Socket.IO 4 peer measured in the same run.",
        subcommands = {
            AllCommand.class,
            FanoutCommand.class,
            LatencyCommand.class,
            RpcCommand.class,
            IdleCommand.class,
            BroadcastCommand.class,
            CeilingCommand.class,
            ReportCommand.class,
            JfrTopCommand.class,
            ProxyCommand.class,
            TransportsCommand.class,
            RedisCostsCommand.class,
            ScalingModelCommand.class
        })
public final class BenchMain implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Runs the command line and returns the exit code (used by the smoke test too). */
    public static int run(String... args) {
        System.setProperty("java.awt.headless", "true");
        return new CommandLine(new BenchMain()).execute(args);
    }

    public static void main(String[] args) {
        int code = run(args);
        System.exit(code);
    }
}
