package dev.switchboard.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
    static final String PEER = "socketio";

    private final ObjectNode report = Json.object();
    private final ArrayNode figures;

    private Report() {
        figures = report.putArray("figures");
    }

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
        figures(scenarios);
        if (scenarios.has("transports")) {
            transportFigures(scenarios.get("transports"));
        }
        report.remove("figures");
        report.set("figures", figures);
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

    // ---- figures ----

    private void figure(
            String scenario,
            String metric,
            String unit,
            boolean higherBetter,
            JsonNode ours,
            JsonNode peer,
            String target,
            Boolean met) {
        ObjectNode f = figures.addObject();
        f.put("scenario", scenario)
                .put("metric", metric)
                .put("unit", unit)
                .put("better", higherBetter ? "higher" : "lower");
        if (ours != null && ours.isNumber()) {
            f.put(OURS, ours.asDouble());
        }
        if (peer != null && peer.isNumber()) {
            f.put(PEER, peer.asDouble());
        }
        if (ours != null
                && ours.isNumber()
                && peer != null
                && peer.isNumber()
                && ours.asDouble() > 0
                && peer.asDouble() > 0) {
            double ratio = higherBetter ? ours.asDouble() / peer.asDouble() : peer.asDouble() / ours.asDouble();
            f.put("advantage", Stats.round(ratio, 2));
        }
        if (target != null) {
            f.put("target", target);
        }
        if (met != null) {
            f.put("met", met);
        }
    }

    private static JsonNode sys(JsonNode scenario, String system) {
        return scenario == null ? null : scenario.path("systems").path(system);
    }

    /** The step with the most deliveries/s among those that delivered enough, whatever their latency. */
    private static JsonNode sustained(JsonNode system, JsonNode scenario) {
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

    private static JsonNode num(JsonNode n) {
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

    private void transportFigures(JsonNode sc) {
        double rate = commonTransportRate(sc);
        if (rate <= 0) {
            return;
        }
        sys(sc, OURS).path("transports").fields().forEachRemaining(e -> {
            JsonNode st = stepAt(e.getValue(), rate);
            String at = " at " + fmt(st.get("offeredDeliveriesPerSec")) + " deliveries/s";
            figure(
                    "transports",
                    "node CPU per delivery, " + e.getKey() + at,
                    "us",
                    false,
                    num(st.get("nodeCpuUsPerDelivery")),
                    null,
                    null,
                    null);
            figure(
                    "transports",
                    "publish->deliver p99, " + e.getKey() + at,
                    "ms",
                    false,
                    num(st.path("latencyMs").get("p99")),
                    null,
                    null,
                    null);
        });
    }

    private void figures(ObjectNode scenarios) {
        JsonNode fan = scenarios.get("fanout");
        if (fan != null) {
            JsonNode o = sys(fan, OURS).path("best");
            JsonNode p = sys(fan, PEER).path("best");
            JsonNode od = num(o.path("deliveredPerSec"));
            JsonNode pd = num(p.path("deliveredPerSec"));
            Boolean met =
                    od == null ? null : od.asDouble() >= 300_000 && (pd == null || od.asDouble() >= 5 * pd.asDouble());
            figure(
                    "fanout",
                    "deliveries/s (highest step with p99 <= "
                            + fan.path("params").path("maxP99Ms").asText() + " ms, >= 99% delivered)",
                    "msg/s",
                    true,
                    od,
                    pd,
                    ">= 300000/s and >= 5x Socket.IO",
                    met);
            figure(
                    "fanout",
                    "p99 at that step",
                    "ms",
                    false,
                    num(o.path("latencyMs").path("p99")),
                    num(p.path("latencyMs").path("p99")),
                    "< 50 ms",
                    num(o.path("latencyMs").path("p99")) == null
                            ? null
                            : o.path("latencyMs").path("p99").asDouble() < 50);
            figure(
                    "fanout",
                    "node CPU at that step",
                    "cores",
                    false,
                    num(o.path("cpu").path("nodes").path("cores")),
                    num(p.path("cpu").path("nodes").path("cores")),
                    null,
                    null);
            figure("fanout", "deliveries per node CPU-second", "msg/core-s", true, perCore(o), perCore(p), null, null);
            JsonNode os = sustained(sys(fan, OURS), fan);
            JsonNode ps = sustained(sys(fan, PEER), fan);
            figure(
                    "fanout",
                    "sustained deliveries/s (highest step with >= 99% delivered, any latency)",
                    "msg/s",
                    true,
                    num(os.path("deliveredPerSec")),
                    num(ps.path("deliveredPerSec")),
                    null,
                    null);
            figure(
                    "fanout",
                    "p99 at the sustained step",
                    "ms",
                    false,
                    num(os.path("latencyMs").path("p99")),
                    num(ps.path("latencyMs").path("p99")),
                    null,
                    null);
        }
        JsonNode lat = scenarios.get("latency");
        if (lat != null) {
            JsonNode o = sys(lat, OURS).path("steps").path(0);
            JsonNode p = sys(lat, PEER).path("steps").path(0);
            figure(
                    "latency",
                    "deliveries/s achieved (offered "
                            + lat.path("params").path("deliveriesPerSec").asText() + ")",
                    "msg/s",
                    true,
                    num(o.path("deliveredPerSec")),
                    num(p.path("deliveredPerSec")),
                    null,
                    null);
            String[][] ps = {
                {"p50", "< 1 ms"}, {"p90", null}, {"p99", "< 3 ms"}, {"p99_9", null}, {"p99_99", null}, {"max", null}
            };
            for (String[] q : ps) {
                JsonNode ov = num(o.path("latencyMs").path(q[0]));
                Boolean met = q[1] == null || ov == null
                        ? null
                        : ov.asDouble() < Double.parseDouble(q[1].replaceAll("[^0-9.]", ""));
                figure(
                        "latency",
                        "cross-node publish->deliver " + q[0].replace('_', '.'),
                        "ms",
                        false,
                        ov,
                        num(p.path("latencyMs").path(q[0])),
                        q[1],
                        met);
            }
        }
        JsonNode rpc = scenarios.get("rpc");
        if (rpc != null) {
            String[][] rows = {
                {"local", "p50", "< 0.3 ms"},
                {"local", "p99", null},
                {"cross", "p50", "< 1 ms"},
                {"cross", "p99", "< 3 ms"},
                {"worker", "p50", null},
                {"worker", "p99", null}
            };
            for (String[] r : rows) {
                JsonNode ov = num(sys(rpc, OURS)
                        .path("modes")
                        .path(r[0])
                        .path("latencyMs")
                        .path(r[1]));
                JsonNode pv = num(sys(rpc, PEER)
                        .path("modes")
                        .path(r[0])
                        .path("latencyMs")
                        .path(r[1]));
                Boolean met = r[2] == null || ov == null
                        ? null
                        : ov.asDouble() < Double.parseDouble(r[2].replaceAll("[^0-9.]", ""));
                String label = switch (r[0]) {
                    case "local" -> "invoke round trip, agent on the called node";
                    case "cross" -> "invoke round trip, cross-node";
                    default -> "invoke round trip from a worker (no sockets)";
                };
                figure("rpc", label + " " + r[1], "ms", false, ov, pv, r[2], met);
            }
        }
        JsonNode idle = scenarios.get("idle");
        if (idle != null) {
            JsonNode o = sys(idle, OURS);
            JsonNode p = sys(idle, PEER);
            figure(
                    "idle",
                    "connections held on one node",
                    "conns",
                    true,
                    num(o.path("connections")),
                    num(p.path("connections")),
                    ">= 50000",
                    num(o.path("connections")) == null
                            ? null
                            : o.path("connections").asDouble() >= 50_000);
            figure(
                    "idle",
                    "RSS per connection",
                    "KiB",
                    false,
                    num(o.path("rssPerConnectionKiB")),
                    num(p.path("rssPerConnectionKiB")),
                    "<= 8 KiB",
                    num(o.path("rssPerConnectionKiB")) == null
                            ? null
                            : o.path("rssPerConnectionKiB").asDouble() <= 8.0);
            figure(
                    "idle",
                    "heap per connection",
                    "KiB",
                    false,
                    num(o.path("heapPerConnectionKiB")),
                    num(p.path("heapPerConnectionKiB")),
                    null,
                    null);
            figure(
                    "idle",
                    "node CPU at rest",
                    "cores",
                    false,
                    num(o.path("nodeCpuCoresAtRest")),
                    num(p.path("nodeCpuCoresAtRest")),
                    "near zero",
                    num(o.path("nodeCpuCoresAtRest")) == null
                            ? null
                            : o.path("nodeCpuCoresAtRest").asDouble() < 0.05);
        }
        JsonNode b = scenarios.get("broadcast");
        if (b != null) {
            JsonNode o = sys(b, OURS);
            JsonNode p = sys(b, PEER);
            figure(
                    "broadcast",
                    "time until the last of "
                            + b.path("params").path("connections").asText() + " connections has it (median of rounds)",
                    "ms",
                    false,
                    num(o.path("timeToLastMsMedian")),
                    num(p.path("timeToLastMsMedian")),
                    null,
                    null);
            figure(
                    "broadcast",
                    "per-connection latency p50",
                    "ms",
                    false,
                    num(o.path("latencyMs").path("p50")),
                    num(p.path("latencyMs").path("p50")),
                    null,
                    null);
        }
        JsonNode c = scenarios.get("ceiling");
        if (c != null) {
            JsonNode o = sys(c, OURS);
            figure(
                    "ceiling",
                    "redis-benchmark PUBLISH/s (50 clients, no pipelining)",
                    "cmd/s",
                    true,
                    num(o.path("publishPerSec")),
                    null,
                    null,
                    null);
            figure(
                    "ceiling",
                    "redis-benchmark PUBLISH/s (pipeline 16)",
                    "cmd/s",
                    true,
                    num(o.path("publishPerSecPipelined16")),
                    null,
                    null,
                    null);
        }
    }

    private static JsonNode perCore(JsonNode step) {
        double d = step.path("deliveredPerSec").asDouble(0);
        double c = step.path("cpu").path("nodes").path("cores").asDouble(0);
        if (d <= 0 || c <= 0) {
            return null;
        }
        return Json.MAPPER.getNodeFactory().numberNode(Math.round(d / c));
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
                .append(". Nodes, Redis and load generators all share it, on loopback.\n\n");
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
                        .append("`. Socket.IO nodes: one Node.js process each.\n\n");
                break;
            }
        }
        md.append(
                "Advantage = how many times better Switchboard is (ours/peer for throughput, peer/ours for latency and cost).\n\n");
        md.append("| Scenario | Metric | Switchboard | Socket.IO | Advantage | Target | Met |\n");
        md.append("|---|---|---:|---:|---:|---|---|\n");
        for (JsonNode f : figures) {
            md.append("| ")
                    .append(f.path("scenario").asText())
                    .append(" | ")
                    .append(f.path("metric").asText())
                    .append(" (")
                    .append(f.path("unit").asText())
                    .append(") | ")
                    .append(fmt(f.get(OURS)))
                    .append(" | ")
                    .append(peerCell(scenarios, f))
                    .append(" | ")
                    .append(
                            f.has("advantage")
                                    ? String.format(
                                            Locale.ROOT,
                                            "%.2fx",
                                            f.path("advantage").asDouble())
                                    : "")
                    .append(" | ")
                    .append(f.path("target").asText(""))
                    .append(" | ")
                    .append(f.has("met") ? (f.path("met").asBoolean() ? "yes" : "**no**") : "")
                    .append(" |\n");
        }
        if (List.of("fanout", "latency", "rpc", "broadcast").stream().anyMatch(scenarios::has)) {
            md.append("\n![latency percentiles](latency-percentiles.png)\n"); // the plotted scenarios
        }
        // details
        JsonNode fan = scenarios.get("fanout");
        if (fan != null) {
            md.append("\n## fanout steps\n\n").append(paramLine(fan)).append("\n\n");
            md.append(
                    "| System | Publish/s | Offered deliveries/s | Delivered/s | Delivered | p50 ms | p99 ms | max ms | Node CPU | Redis CPU | Loadgen CPU | Pass |\n");
            md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
            for (String s : List.of(OURS, PEER)) {
                for (JsonNode st : sys(fan, s).path("steps")) {
                    md.append("| ")
                            .append(s)
                            .append(" | ")
                            .append(fmt(st.get("publishRate")))
                            .append(" | ")
                            .append(fmt(st.get("offeredDeliveriesPerSec")))
                            .append(" | ")
                            .append(fmt(st.get("deliveredPerSec")))
                            .append(" | ")
                            .append(String.format(
                                    Locale.ROOT,
                                    "%.1f%%",
                                    st.path("completeness").asDouble() * 100))
                            .append(" | ")
                            .append(fmt(st.path("latencyMs").get("p50")))
                            .append(" | ")
                            .append(fmt(st.path("latencyMs").get("p99")))
                            .append(" | ")
                            .append(fmt(st.path("latencyMs").get("max")))
                            .append(" | ")
                            .append(fmt(st.path("cpu").path("nodes").get("cores")))
                            .append(" | ")
                            .append(fmt(st.path("cpu").path("redis").get("cores")))
                            .append(" | ")
                            .append(fmt(st.path("cpu").path("loadgen").get("cores")))
                            .append(" | ")
                            .append(st.path("pass").asBoolean() ? "yes" : "no")
                            .append(" |\n");
                }
                String why = status(sys(fan, s));
                if (why != null) {
                    md.append("| ").append(s).append(" | ").append(why).append(" |||||||||||\n");
                }
            }
        }
        JsonNode tr = scenarios.get("transports");
        if (tr != null) {
            transportsSection(md, tr);
        }
        for (String name : List.of("latency", "rpc", "idle", "broadcast", "ceiling")) {
            JsonNode sc = scenarios.get(name);
            if (sc == null) {
                continue;
            }
            md.append("\n## ").append(name).append("\n\n").append(paramLine(sc)).append("\n\n");
            for (String s : List.of(OURS, PEER)) {
                JsonNode r = sys(sc, s);
                if (r == null || r.isMissingNode()) {
                    continue;
                }
                String why = status(r);
                if (why != null) {
                    md.append("- ").append(s).append(": ").append(why).append("\n");
                } else if (name.equals("rpc")) {
                    r.path("modes")
                            .fields()
                            .forEachRemaining(e -> md.append("- ")
                                    .append(s)
                                    .append(" ")
                                    .append(e.getKey())
                                    .append(": ")
                                    .append(
                                            e.getValue().has("skipped")
                                                    ? e.getValue()
                                                            .path("skipped")
                                                            .asText()
                                                    : e.getValue().path("calls").asText() + " calls, "
                                                            + e.getValue()
                                                                    .path("errors")
                                                                    .asText() + " errors, latency "
                                                            + latLine(
                                                                    e.getValue().path("latencyMs")))
                                    .append("\n"));
                } else if (name.equals("latency")) {
                    JsonNode st = r.path("steps").path(0);
                    md.append("- ")
                            .append(s)
                            .append(": ")
                            .append(st.path("deliveredPerSec").asText())
                            .append(" deliveries/s, ")
                            .append(latLine(st.path("latencyMs")))
                            .append(", CPU nodes ")
                            .append(st.path("cpu").path("nodes").path("cores").asText())
                            .append(" / redis ")
                            .append(st.path("cpu").path("redis").path("cores").asText())
                            .append(" / loadgen ")
                            .append(st.path("cpu").path("loadgen").path("cores").asText())
                            .append(" cores\n");
                } else {
                    ObjectNode copy = (ObjectNode) r.deepCopy();
                    copy.remove("curve");
                    md.append("- ")
                            .append(s)
                            .append(": `")
                            .append(Json.line(copy))
                            .append("`\n");
                }
            }
        }
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

    private static String paramLine(JsonNode sc) {
        return "Parameters: `" + Json.line(sc.path("params")) + "`";
    }

    private static String latLine(JsonNode l) {
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

    private static String status(JsonNode r) {
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

    private static String peerCell(ObjectNode scenarios, JsonNode f) {
        if (f.has(PEER)) {
            return fmt(f.get(PEER));
        }
        JsonNode r = sys(scenarios.get(f.path("scenario").asText()), PEER);
        String why = status(r);
        if (f.path("scenario").asText().equals("ceiling")) {
            return "";
        }
        return why == null
                ? "n/a"
                : why.startsWith("skipped") ? "skipped" : why.startsWith("failed") ? "failed" : "n/a";
    }

    private static String fmt(JsonNode n) {
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

    private void plot(ObjectNode scenarios, Path file) throws IOException {
        List<Plot.Panel> panels = new ArrayList<>();
        JsonNode fan = scenarios.get("fanout");
        if (fan != null) {
            List<Plot.Series> s = new ArrayList<>();
            add(
                    s,
                    "Switchboard @ " + fmt(sys(fan, OURS).path("best").get("deliveredPerSec")) + " msg/s",
                    Plot.OURS,
                    false,
                    sys(fan, OURS).path("best").path("curve"));
            add(
                    s,
                    "Socket.IO @ " + fmt(sys(fan, PEER).path("best").get("deliveredPerSec")) + " msg/s",
                    Plot.PEER,
                    true,
                    sys(fan, PEER).path("best").path("curve"));
            panels.add(new Plot.Panel("fanout: publish->deliver at each system's best step", s));
        }
        JsonNode lat = scenarios.get("latency");
        if (lat != null) {
            List<Plot.Series> s = new ArrayList<>();
            add(
                    s,
                    "Switchboard",
                    Plot.OURS,
                    false,
                    sys(lat, OURS).path("steps").path(0).path("curve"));
            add(
                    s,
                    "Socket.IO",
                    Plot.PEER,
                    true,
                    sys(lat, PEER).path("steps").path(0).path("curve"));
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
                Color c = Plot.PALETTE[i++ % Plot.PALETTE.length];
                add(
                        s,
                        "Switchboard " + mode,
                        c,
                        false,
                        sys(rpc, OURS).path("modes").path(mode).path("curve"));
                add(
                        s,
                        "Socket.IO " + mode,
                        c,
                        true,
                        sys(rpc, PEER).path("modes").path(mode).path("curve"));
            }
            panels.add(new Plot.Panel(
                    "invoke round trip @ "
                            + rpc.path("params").path("ratePerMode").asText() + " calls/s",
                    s));
        }
        JsonNode b = scenarios.get("broadcast");
        if (b != null) {
            List<Plot.Series> s = new ArrayList<>();
            add(s, "Switchboard", Plot.OURS, false, sys(b, OURS).path("curve"));
            add(s, "Socket.IO", Plot.PEER, true, sys(b, PEER).path("curve"));
            panels.add(new Plot.Panel(
                    "broadcast to " + b.path("params").path("connections").asText()
                            + " connections: per-connection latency",
                    s));
        }
        Plot.render(
                panels, file, "Switchboard (solid) vs Socket.IO 4 + redis-adapter (dashed), same machine, same run");
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
