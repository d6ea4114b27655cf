package dev.switchboard.bench.scenario;

import dev.switchboard.bench.BenchContext;
import dev.switchboard.bench.report.Report;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = "Rebuilds report.json, report.md and the plot from the scenario files in the results folder.")
public final class ReportCommand implements Callable<Integer> {

    @Option(names = "--out", description = "Results folder (default: <repo>/bench/results).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Path dir = out != null
                ? out
                : BenchContext.findRoot(Path.of(System.getProperty("bench.root", ".")))
                        .resolve("bench")
                        .resolve("results");
        Report.write(dir);
        System.out.println(dir.resolve("report.md"));
        return 0;
    }
}
