package dev.switchboard.bench.proc;

import dev.switchboard.bench.BenchContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code redis-benchmark -q} run and the rate it reports. It starts through {@link Managed}
 * like every other child of the bench: on the load generators' CPUs, and killed after {@code
 * maxSeconds} however Redis behaves, so a Redis that stops answering cannot hang the bench.
 */
public final class RedisBenchmark {

    /** Environment variable naming the {@code redis-benchmark} binary; default: the one on the PATH. */
    public static final String BINARY_ENV = "REDIS_BENCHMARK";

    private static final Pattern RATE = Pattern.compile("([0-9.]+) requests per second");

    private RedisBenchmark() {}

    /** What a run printed, and the rate parsed from it (-1: none). */
    public record Result(double requestsPerSecond, String output) {}

    /**
     * Runs {@code redis-benchmark -p <port> -q <args>}: the requests per second of its last test,
     * or -1 when it printed none (it failed, or was killed at {@code maxSeconds}); its output is
     * also kept in {@code <run dir>/<name>.log}.
     */
    public static Result run(BenchContext ctx, String name, int port, List<String> args, long maxSeconds)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                System.getenv().getOrDefault(BINARY_ENV, "redis-benchmark"), "-p", Integer.toString(port), "-q"));
        cmd.addAll(args);
        Path log = ctx.runDir().resolve(name + ".log");
        Files.deleteIfExists(log); // Managed appends: only this run's output is parsed
        try (Managed m = Managed.start(
                name, cmd, Map.of(), null, log, maxSeconds, false, ctx.pinning().load())) {
            m.process().waitFor();
        }
        String output = Files.readString(log);
        return new Result(parse(output), output);
    }

    /** The last "N requests per second" in {@code redis-benchmark -q} output, or -1. */
    static double parse(String text) {
        Matcher m = RATE.matcher(text);
        double rps = -1;
        while (m.find()) {
            rps = Double.parseDouble(m.group(1));
        }
        return rps;
    }
}
