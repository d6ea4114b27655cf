package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seconds-long run of the bench so it cannot rot: {@code fanout}, {@code rpc} and {@code transports} with tiny load
 * against real nodes, Redis and a load generator process, then the report files. The Socket.IO
 * peer runs too when {@code bench/peer/node_modules} is there. Figures are not asserted: this
 * checks the machinery, the benchmark itself is {@code java -jar bench/target/switchboard-bench.jar all}.
 */
class BenchSmokeIT {

    /** One short step, no JIT warm-up, no latency limit. */
    private static final List<String> TINY_STEPS =
            List.of("--prewarm", "0", "--warmup", "300", "--measure", "1500", "--drain", "500", "--max-p99", "10000");

    private static final String SMALL_JVM = "-Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

    @Test
    void fanoutRpcAndTransportsProduceAReport(@TempDir Path out) throws Exception {
        Path root = BenchContext.findRoot(Path.of(System.getProperty("bench.root", "..")));
        List<String> systems = new ArrayList<>(List.of("switchboard"));
        String why = peerSkipReason(root);
        if (why == null) {
            systems.add("socketio");
        } else {
            System.out.println("BenchSmokeIT: Socket.IO peer skipped: " + why);
        }
        String sys = String.join(",", systems);
        List<String> common = List.of(
                "--out",
                out.toString(),
                "--systems",
                sys,
                "--node-jvm-opts",
                SMALL_JVM,
                "--loadgen-jvm-opts",
                SMALL_JVM);

        List<String> fanout = new ArrayList<>(List.of(
                "fanout",
                "--subscribers",
                "20",
                "--channels",
                "4",
                "--publishers",
                "1",
                "--rates",
                "100",
                "--loadgen-threads",
                "1"));
        fanout.addAll(TINY_STEPS);
        fanout.addAll(common);
        assertThat(BenchMain.run(fanout.toArray(String[]::new))).isZero();

        List<String> rpc = new ArrayList<>(List.of(
                "rpc",
                "--agents",
                "1",
                "--rate",
                "50",
                "--lanes",
                "1",
                "--modes",
                "local,cross",
                "--prewarm",
                "0",
                "--warmup",
                "300",
                "--measure",
                "1500"));
        rpc.addAll(common);
        // The Switchboard part must work; the peer's rpc is covered by fanout starting it.
        rpc.set(rpc.indexOf("--systems") + 1, "switchboard");
        assertThat(BenchMain.run(rpc.toArray(String[]::new))).isZero();

        // Every client transport once, tiny: Switchboard only (the peer has none of them).
        List<String> transports = new ArrayList<>(List.of(
                "transports",
                "--subscribers",
                "8",
                "--channels",
                "2",
                "--api-lanes",
                "1",
                "--rates",
                "50",
                "--loadgen-threads",
                "1"));
        transports.addAll(TINY_STEPS);
        transports.addAll(common);
        transports.set(transports.indexOf("--systems") + 1, "switchboard");
        assertThat(BenchMain.run(transports.toArray(String[]::new))).isZero();

        for (String f : List.of(
                "report.json", "report.md", "latency-percentiles.png", "fanout.json", "rpc.json", "transports.json")) {
            assertThat(out.resolve(f)).isRegularFile();
            assertThat(Files.size(out.resolve(f))).isPositive();
        }
        JsonNode report = Json.parse(Files.readAllBytes(out.resolve("report.json")));
        for (String s : systems) {
            JsonNode steps = report.at("/scenarios/fanout/systems/" + s + "/steps");
            assertThat(steps.isArray() && steps.size() > 0)
                    .as("fanout steps of " + s + ": " + report.at("/scenarios/fanout/systems/" + s))
                    .isTrue();
            assertThat(steps.get(0).path("delivered").asLong())
                    .as(s + " deliveries")
                    .isPositive();
        }
        for (String mode : List.of("local", "cross")) {
            JsonNode m = report.at("/scenarios/rpc/systems/switchboard/modes/" + mode);
            assertThat(m.path("calls").asLong()).as("rpc " + mode + ": " + m).isPositive();
        }
        for (String t : List.of("websocket", "websocket-protobuf", "http_stream", "sse")) {
            JsonNode r = report.at("/scenarios/transports/systems/switchboard/transports/" + t);
            assertThat(r.path("steps").path(0).path("delivered").asLong())
                    .as("transports " + t + ": " + r)
                    .isPositive();
        }
        assertThat(Files.readString(out.resolve("report.md"))).contains("| fanout |", "## transports");
    }

    private static String peerSkipReason(Path root) {
        if (!Files.isDirectory(root.resolve("bench/peer/node_modules"))) {
            return "bench/peer/node_modules is absent (cd bench/peer && npm ci)";
        }
        try {
            Process p = new ProcessBuilder("node", "--version")
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0 ? null : "node --version failed";
        } catch (Exception e) {
            return "node is not on PATH";
        }
    }
}
