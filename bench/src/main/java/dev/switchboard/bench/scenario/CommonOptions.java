package dev.switchboard.bench.scenario;

import dev.switchboard.bench.BenchContext;
import dev.switchboard.bench.proc.Cluster;
import dev.switchboard.bench.proc.Pinning;
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
            defaultValue = "switchboard,socketio,socketio-streams",
            description = "Systems to run: switchboard, socketio (the peer on @socket.io/redis-adapter), "
                    + "socketio-streams (the peer on @socket.io/redis-streams-adapter with connection-state "
                    + "recovery) (default: ${DEFAULT-VALUE}).")
    List<String> systems = new ArrayList<>(Cluster.SYSTEMS);

    @Option(
            names = "--pin",
            negatable = true,
            description = "Pin nodes and load generators (with Redis) to separate CPUs with taskset; on by "
                    + "default when the machine has at least 2 CPUs and taskset is there (--no-pin: off).")
    Boolean pin;

    @Option(
            names = "--node-cpus",
            description = "CPU set of the nodes under test, as taskset -c takes it (default: the lower half "
                    + "of the CPUs; 0 on a 2-CPU machine).")
    String nodeCpus;

    @Option(
            names = "--loadgen-cpus",
            description = "CPU set of the load generators and Redis (default: the upper half of the CPUs; "
                    + "1 on a 2-CPU machine).")
    String loadgenCpus;

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
            names = "--node-env",
            paramLabel = "NAME=VALUE",
            description = "An environment variable for every Switchboard node, e.g. SWITCHBOARD_CLIENT_WRITE_DELAY=2ms;"
                    + " repeatable. Recorded in the report.")
    java.util.Map<String, String> nodeEnv = new java.util.LinkedHashMap<>();

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
            context.nodeEnv(nodeEnv);
            context.pinning(Pinning.resolve(pin, nodeCpus, loadgenCpus));
            context.log("pinning: %s", context.pinning().describe());
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
