package dev.switchboard.bench.scenario;

import dev.switchboard.bench.BenchContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options every scenario takes. */
public final class CommonOptions {

    @Option(names = "--out", description = "Results folder (default: <repo>/bench/results).")
    Path out;

    @Option(
            names = "--server-jar",
            description = "Runnable server jar (default: <repo>/server/target/switchboard.jar).")
    Path serverJar;

    @Option(names = "--peer-dir", description = "Socket.IO peer folder (default: <repo>/bench/peer).")
    Path peerDir;

    @Option(
            names = "--systems",
            split = ",",
            defaultValue = "switchboard,socketio",
            description = "Systems to run: switchboard, socketio (default: ${DEFAULT-VALUE}).")
    List<String> systems = new ArrayList<>(List.of("switchboard", "socketio"));

    @Option(
            names = "--node-jvm-opts",
            defaultValue = "-Xmx2g -XX:MaxHeapFreeRatio=20 -XX:MinHeapFreeRatio=10",
            description = "JVM options of Switchboard nodes (default: ${DEFAULT-VALUE}).")
    String nodeJvmOpts;

    @Option(
            names = "--node-io-threads",
            defaultValue = "0",
            description =
                    "io_threads of each Switchboard node; 0 = the node's default, one per processor (default: ${DEFAULT-VALUE}).")
    int nodeIoThreads;

    @Option(
            names = "--node-io-transport",
            defaultValue = "auto",
            description =
                    "io_transport of each Switchboard node: auto, nio, epoll or io_uring (default: ${DEFAULT-VALUE}).")
    String nodeIoTransport;

    @Option(
            names = "--loadgen-jvm-opts",
            defaultValue = "-Xms1g -Xmx4g -XX:+UseParallelGC",
            description = "JVM options of load generators (default: ${DEFAULT-VALUE}).")
    String loadgenJvmOpts;

    @Option(names = "--jfr", description = "Record a JFR profile of every Switchboard node into <out>/jfr/.")
    boolean jfr;

    @Option(names = "--verbose", description = "More output.")
    boolean verbose;

    private BenchContext context;

    public BenchContext context() {
        if (context == null) {
            Path root = BenchContext.findRoot(Path.of(System.getProperty("bench.root", ".")));
            context = new BenchContext(
                    root,
                    out != null ? out : root.resolve("bench").resolve("results"),
                    serverJar != null
                            ? serverJar
                            : root.resolve("server").resolve("target").resolve("switchboard.jar"),
                    peerDir != null ? peerDir : root.resolve("bench").resolve("peer"),
                    nodeJvmOpts,
                    loadgenJvmOpts,
                    nodeIoThreads,
                    nodeIoTransport,
                    jfr,
                    verbose);
        }
        return context;
    }

    /** Shares one context (one copied jar, one secret) across the scenarios of {@code all}. */
    void use(BenchContext ctx) {
        this.context = ctx;
    }

    List<String> systems() {
        return systems;
    }
}
