package dev.switchboard.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.bench.Json;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds {@code report.json}, {@code report.md} and {@code latency-percentiles.png} from the
 * scenario files ({@code <scenario>.json}) in the results folder, so running one scenario again
 * refreshes its part of the report.
 */
public final class Report {

    public static final List<String> SCENARIOS =
            List.of("fanout", "latency", "rpc", "idle", "broadcast", "ceiling", "transports");
    static final String OURS = "switchboard";

    private final ObjectNode report = Json.object();
    private Figures figures;

    private Report() {}

    public static void write(Path out) throws IOException {
        Report r = new Report();
        r.build(out);
    }

    private void build(Path out) throws IOException {
        report.put("generated", Instant.now().toString());
        report.set("machine", Machine.describe());
        report.put("reproduce", "java -jar bench/target/switchboard-bench.jar all");
        ObjectNode scenarios = report.putObject("scenarios");
        for (String s : SCENARIOS) {
            Path f = out.resolve(s + ".json");
            if (Files.isRegularFile(f)) {
                scenarios.set(s, Json.parse(Files.readAllBytes(f)));
            }
        }
        figures = SummaryFigures.build(scenarios);
        report.set("figures", figures.json());
        Files.writeString(out.resolve("report.json"), Json.MAPPER.writeValueAsString(stripCurves(report.deepCopy())));
        Files.writeString(out.resolve("report.md"), markdown(scenarios));
        plot(scenarios, out.resolve("latency-percentiles.png"));
    }

    /** Curves are for the plot; report.json keeps the summaries (the scenario files keep the curves). */
    private static JsonNode stripCurves(JsonNode n) {
        if (n.isObject()) {
            ((ObjectNode) n).remove("curve");
            n.forEach(Report::stripCurves);
        } else if (n.isArray()) {
            n.forEach(Report::stripCurves);
        }
        return n;
    }

    static JsonNode sys(JsonNode scenario, String system) {
        return scenario == null ? null : scenario.path("systems").path(system);
    }

    /** The step with the most deliveries/s among those that delivered enough, whatever their latency. */
    static JsonNode sustained(JsonNode system, JsonNode scenario) {
        double min = scenario.path("params").path("minCompleteness").asDouble(0.99);
        JsonNode best = MissingNode.getInstance();
        for (JsonNode st : system.path("steps")) {
            if (st.path("completeness").asDouble() >= min
                    && st.path("pubErrors").asLong() == 0
                    && st.path("deliveredPerSec").asLong()
                            > best.path("deliveredPerSec").asLong(-1)) {
                best = st;
            }
        }
        return best;
    }

    static JsonNode num(JsonNode n) {
        return n == null || n.isMissingNode() || !n.isNumber() ? null : n;
    }

    /**
     * The highest publish rate that every transport of the {@code transports} scenario sustained
     * (at least the minimum completeness, no publish error), or -1.
     */
    static double commonTransportRate(JsonNode sc) {
        double min = sc.path("params").path("minCompleteness").asDouble(0.99);
        double common = Double.MAX_VALUE;
        JsonNode by = sys(sc, OURS).path("transports");
        if (by.isEmpty()) {
            return -1;
        }
        for (JsonNode t : by) {
            double best = -1;
            for (JsonNode st : t.path("steps")) {
                if (st.path("completeness").asDouble() >= min
                        && st.path("pubErrors").asLong() == 0) {
                    best = Math.max(best, st.path("publishRate").asDouble());
                }
            }
            common = Math.min(common, best);
        }
        return common;
    }

    static JsonNode stepAt(JsonNode transport, double rate) {
        for (JsonNode st : transport.path("steps")) {
            if (st.path("publishRate").asDouble() == rate) {
                return st;
            }
        }
        return MissingNode.getInstance();
    }

    // ---- markdown ----

    private String markdown(ObjectNode scenarios) {
        StringBuilder md = new StringBuilder();
        md.append("# Switchboard benchmark report\n\n");
        md.append("Generated ")
                .append(report.path("generated").asText())
                .append(" by `")
                .append(report.path("reproduce").asText())
                .append("`.\n\n");
        JsonNode m = report.path("machine");
        md.append("Machine: ")
                .append(m.path("cpus").asText())
                .append(" CPUs (")
                .append(m.path("cpuModel").asText())
                .append("), ")
                .append(m.path("memoryGiB").asText())
                .append(" GiB, Linux ")
                .append(m.path("kernel").asText())
                .append(", Java ")
                .append(m.path("java").asText())
                .append(", Node ")
                .append(m.path("node").asText())
                .append(", Redis ")
                .append(m.path("redis").asText())
                .append(". Nodes, Redis and load generators all run on it, on loopback.\n\n");
        // Every scenario of a run records the same node setup: the first one tells.
        for (JsonNode sc : scenarios) {
            JsonNode n = sc.path("switchboardNodes");
            if (!n.isMissingNode()) {
                md.append("Switchboard nodes: JVM `")
                        .append(n.path("jvmOpts").asText())
                        .append("`, `io_threads: ")
                        .append(n.path("ioThreads").asInt())
                        .append("`, `io_transport: ")
                        .append(n.path("ioTransport").asText("auto"))
                        .append("`");
                n.path("env")
                        .fields()
                        .forEachRemaining(e -> md.append(", `")
                                .append(e.getKey())
                                .append('=')
                                .append(e.getValue().asText())
                                .append('`'));
                md.append(". Socket.IO nodes: one Node.js process each; socketio on ")
                        .append("`@socket.io/redis-adapter`, socketio-streams on `@socket.io/redis-streams-adapter` ")
                        .append("with `connectionStateRecovery`.\n\n");
                break;
            }
        }
        for (JsonNode sc : scenarios) {
            JsonNode p = sc.path("pinning");
            if (!p.isMissingNode()) {
                md.append("CPU pinning (taskset): ")
                        .append(p.path("note").asText())
                        .append(".\n\n");
                break;
            }
        }
        figures.markdown(md);
        if (List.of("fanout", "latency", "rpc", "broadcast").stream().anyMatch(scenarios::has)) {
            md.append("\n![latency percentiles](latency-percentiles.png)\n"); // the plotted scenarios
        }
        List<String> systems = Repeats.systems(scenarios);
        JsonNode fan = scenarios.get("fanout");
        if (fan != null) {
            Details.fanout(md, fan, systems);
        }
        JsonNode tr = scenarios.get("transports");
        if (tr != null) {
            transportsSection(md, tr);
        }
        Details.others(md, scenarios, systems);
        return md.toString();
    }

    private static void transportsSection(StringBuilder md, JsonNode sc) {
        md.append("\n## transports\n\n").append(paramLine(sc)).append("\n\n");
        String why = status(sys(sc, OURS));
        if (why != null) {
            md.append("- switchboard: ").append(why).append("\n");
        }
        md.append("Node CPU per delivery = node CPU-seconds in the window / deliveries in it (the server API ")
                .append(
                        "publishes and the node's fixed costs included). Marginal = its growth from the previous step: ")
                .append("(node cores - previous node cores) / (delivered/s - previous delivered/s). ")
                .append(
                        "Other CPU = the machine's busy cores outside the bench's processes. With several rounds each figure ")
                .append("is the median over the rounds, Delivered % the lowest, Pass (rounds passed / rounds).\n\n");
        md.append(
                        "| Transport | Publish/s | Delivered/s | Delivered % | Node CPU | Node CPU µs/delivery | Marginal µs | p50 ms | p90 ms ")
                .append("| p99 ms | max ms | Loadgen CPU | Other CPU | Pass |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        sys(sc, OURS).path("transports").fields().forEachRemaining(e -> {
            String err = status(e.getValue());
            if (err != null) {
                md.append("| ").append(e.getKey()).append(" | ").append(err).append(" |||||||||||||\n");
            }
            JsonNode prev = null;
            for (JsonNode st : e.getValue().path("steps")) {
                JsonNode l = st.path("latencyMs");
                JsonNode cpu = st.path("cpu");
                String marginal = "";
                if (prev != null) {
                    double dd = st.path("deliveredPerSec").asDouble()
                            - prev.path("deliveredPerSec").asDouble();
                    double dc = cpu.path("nodes").path("cores").asDouble()
                            - prev.path("cpu").path("nodes").path("cores").asDouble();
                    marginal = dd > 0 ? fmt(Json.MAPPER.getNodeFactory().numberNode(dc * 1e6 / dd)) : "";
                }
                prev = st;
                md.append("| ").append(e.getKey());
                for (String v : List.of(
                        fmt(st.get("publishRate")),
                        fmt(st.get("deliveredPerSec")),
                        String.format(
                                Locale.ROOT, "%.1f%%", st.path("completeness").asDouble() * 100),
                        fmt(cpu.path("nodes").get("cores")),
                        fmt(st.get("nodeCpuUsPerDelivery")),
                        marginal,
                        fmt(l.get("p50")),
                        fmt(l.get("p90")),
                        fmt(l.get("p99")),
                        fmt(l.get("max")),
                        fmt(cpu.path("loadgen").get("cores")),
                        fmt(cpu.get("otherCores")))) {
                    md.append(" | ").append(v);
                }
                md.append(" | ")
                        .append(st.path("pass").asBoolean() ? "yes" : "no")
                        .append(
                                st.has("rounds")
                                        ? " (" + st.path("passedRounds").asInt() + "/"
                                                + st.path("rounds").asInt() + ")"
                                        : "")
                        .append(" |\n");
            }
        });
    }

    static String paramLine(JsonNode sc) {
        return "Parameters: `" + Json.line(sc.path("params")) + "`";
    }

    static String latLine(JsonNode l) {
        return String.format(
                Locale.ROOT,
                "p50 %s / p90 %s / p99 %s / p99.9 %s / p99.99 %s / max %s ms",
                l.path("p50").asText("-"),
                l.path("p90").asText("-"),
                l.path("p99").asText("-"),
                l.path("p99_9").asText("-"),
                l.path("p99_99").asText("-"),
                l.path("max").asText("-"));
    }

    static String status(JsonNode r) {
        if (r == null || r.isMissingNode()) {
            return "not run";
        }
        if (r.has("skipped")) {
            return "skipped: " + r.path("skipped").asText();
        }
        if (r.has("error")) {
            return "failed: " + r.path("error").asText();
        }
        return null;
    }

    static String fmt(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return "";
        }
        double v = n.asDouble();
        if (Math.abs(v) >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (Math.abs(v) >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    // ---- plot ----

    /** One curve per system (of the first repeat): Switchboard solid, the peers dashed. */
    private void plot(ObjectNode scenarios, Path file) throws IOException {
        List<String> systems = Repeats.systems(scenarios);
        List<Plot.Panel> panels = new ArrayList<>();
        JsonNode fan = scenarios.get("fanout");
        if (fan != null) {
            List<Plot.Series> s = new ArrayList<>();
            for (String sy : systems) {
                JsonNode best = sys(fan, sy).path("best");
                add(
                        s,
                        Repeats.label(sy) + " @ " + fmt(best.get("deliveredPerSec")) + " msg/s",
                        sy,
                        0,
                        best.path("curve"));
            }
            panels.add(new Plot.Panel("fanout: publish->deliver at each system's best step", s));
        }
        JsonNode lat = scenarios.get("latency");
        if (lat != null) {
            List<Plot.Series> s = new ArrayList<>();
            for (String sy : systems) {
                add(
                        s,
                        Repeats.label(sy),
                        sy,
                        0,
                        sys(lat, sy).path("steps").path(0).path("curve"));
            }
            panels.add(new Plot.Panel(
                    "cross-node publish->deliver @ "
                            + lat.path("params").path("deliveriesPerSec").asText() + " msg/s",
                    s));
        }
        JsonNode rpc = scenarios.get("rpc");
        if (rpc != null) {
            List<Plot.Series> s = new ArrayList<>();
            int i = 0;
            for (String mode : List.of("local", "cross", "worker")) {
                for (String sy : systems) {
                    add(
                            s,
                            Repeats.label(sy) + " " + mode,
                            sy,
                            i,
                            sys(rpc, sy).path("modes").path(mode).path("curve"));
                }
                i++;
            }
            panels.add(new Plot.Panel(
                    "invoke round trip @ "
                            + rpc.path("params").path("ratePerMode").asText() + " calls/s",
                    s));
        }
        JsonNode b = scenarios.get("broadcast");
        if (b != null) {
            List<Plot.Series> s = new ArrayList<>();
            for (String sy : systems) {
                add(s, Repeats.label(sy), sy, 0, sys(b, sy).path("curve"));
            }
            panels.add(new Plot.Panel(
                    "broadcast to " + b.path("params").path("connections").asText()
                            + " connections: per-connection latency",
                    s));
        }
        Plot.render(
                panels,
                file,
                "Switchboard (solid) vs the Socket.IO 4 peers (dashed), same machine, same run (first repeat)");
    }

    /** Adds {@code system}'s curve; {@code shade} tells apart several curves of one system (rpc modes). */
    private static void add(List<Plot.Series> l, String label, String system, int shade, JsonNode curve) {
        int which = system.equals(OURS) ? 0 : system.equals("socketio") ? 1 : 2;
        // Shade 0 in each system's own colour; further shades (rpc modes) three fresh colours each.
        Color c = shade == 0
                ? new Color[] {Plot.OURS, Plot.PEER, Plot.PALETTE[2]}[which]
                : Plot.PALETTE[3 + ((shade - 1) * 3 + which) % (Plot.PALETTE.length - 3)];
        add(l, label, c, !system.equals(OURS), curve);
    }

    private static void add(List<Plot.Series> l, String label, Color c, boolean dashed, JsonNode curve) {
        if (curve == null || !curve.isArray() || curve.isEmpty()) {
            return;
        }
        double[][] pts = new double[curve.size()][];
        for (int i = 0; i < curve.size(); i++) {
            pts[i] = new double[] {
                curve.get(i).get(0).asDouble(), curve.get(i).get(1).asDouble()
            };
        }
        l.add(new Plot.Series(label, c, dashed, pts));
    }
}
