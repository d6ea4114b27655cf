package dev.switchboard.bench.report;

import static dev.switchboard.bench.report.Report.fmt;
import static dev.switchboard.bench.report.Report.latLine;
import static dev.switchboard.bench.report.Report.paramLine;
import static dev.switchboard.bench.report.Report.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.bench.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The per-scenario sections below the summary: every system's figures of every repeat. */
final class Details {

    private Details() {}

    /** The fan-out steps of every repeat and system, and the highest passing step of each repeat. */
    static void fanout(StringBuilder md, JsonNode fan, List<String> systems) {
        List<JsonNode> runs = Repeats.runs(fan);
        md.append("\n## fanout steps\n\n").append(paramLine(fan)).append("\n\n");
        if (runs.size() > 1) {
            md.append("Highest step with p99 <= ")
                    .append(fan.path("params").path("maxP99Ms").asText())
                    .append(" ms (>= 99 % delivered), per repeat:\n\n");
            for (String s : systems) {
                List<String> each = new ArrayList<>();
                int reached = 0;
                for (JsonNode run : runs) {
                    JsonNode best = SummaryFigures.highestPassing(run.path(s));
                    each.add(best == null ? "not run" : fmt(best));
                    if (best != null && best.asDouble() >= SummaryFigures.FANOUT_TARGET) {
                        reached++;
                    }
                }
                md.append("- ")
                        .append(Repeats.label(s))
                        .append(": ")
                        .append(String.join(" / ", each))
                        .append(" deliveries/s; ")
                        .append(reached)
                        .append(" of ")
                        .append(runs.size())
                        .append(" repeats reached ")
                        .append(fmt(Json.MAPPER.getNodeFactory().numberNode(SummaryFigures.FANOUT_TARGET)))
                        .append("\n");
            }
            md.append("\n");
        }
        md.append("Deliveries per node CPU-second = deliveries in the measured window / node CPU-seconds in it."
                + " Of it JIT = the part of node CPU that was the JIT compiler's threads (warm-up left in the window)."
                + " Messages per write = messages sent / socket writes (Switchboard's /metrics).\n\n");
        md.append(
                        "| System | Run | Publish/s | Offered deliveries/s | Delivered/s | Delivered | p50 ms | p99 ms | max ms ")
                .append(
                        "| Node CPU | of it JIT | Deliveries per node CPU-s | Messages per write | Redis CPU | Loadgen CPU ")
                .append("| Pass |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (int i = 0; i < runs.size(); i++) {
            for (String s : systems) {
                JsonNode r = runs.get(i).path(s);
                String run = Integer.toString(i + 1);
                for (JsonNode st : r.path("steps")) {
                    md.append("| ").append(s).append(" | ").append(run);
                    for (String v : List.of(
                            fmt(st.get("publishRate")),
                            fmt(st.get("offeredDeliveriesPerSec")),
                            fmt(st.get("deliveredPerSec")),
                            String.format(
                                    Locale.ROOT,
                                    "%.1f%%",
                                    st.path("completeness").asDouble() * 100),
                            fmt(st.path("latencyMs").get("p50")),
                            fmt(st.path("latencyMs").get("p99")),
                            fmt(st.path("latencyMs").get("max")),
                            fmt(st.path("cpu").path("nodes").get("cores")),
                            fmt(st.path("cpu").path("nodes").get("jitCores")),
                            fmt(SummaryFigures.perNodeCpuSecond(st)),
                            fmt(st.path("writes").get("messagesPerWrite")),
                            fmt(st.path("cpu").path("redis").get("cores")),
                            fmt(st.path("cpu").path("loadgen").get("cores")),
                            st.path("pass").asBoolean() ? "yes" : "no")) {
                        md.append(" | ").append(v);
                    }
                    md.append(" |\n");
                }
                String why = r.isMissingNode() ? null : status(r);
                if (why != null) {
                    md.append("| ")
                            .append(s)
                            .append(" | ")
                            .append(run)
                            .append(" | ")
                            .append(why)
                            .append(" |||||||||||||\n");
                }
            }
        }
    }

    /** latency, rpc, idle, broadcast and ceiling: a line per system (and repeat). */
    static void others(StringBuilder md, ObjectNode scenarios, List<String> systems) {
        for (String name : List.of("latency", "rpc", "idle", "broadcast", "ceiling")) {
            JsonNode sc = scenarios.get(name);
            if (sc == null) {
                continue;
            }
            md.append("\n## ").append(name).append("\n\n").append(paramLine(sc)).append("\n\n");
            List<JsonNode> runs = Repeats.runs(sc);
            for (int i = 0; i < runs.size(); i++) {
                for (String s : systems) {
                    JsonNode r = runs.get(i).path(s);
                    if (r.isMissingNode()) {
                        continue;
                    }
                    String who = runs.size() > 1 ? s + " (run " + (i + 1) + ")" : s;
                    line(md, name, who, r);
                }
            }
        }
    }

    private static void line(StringBuilder md, String scenario, String who, JsonNode r) {
        String why = status(r);
        if (why != null) {
            md.append("- ").append(who).append(": ").append(why).append("\n");
        } else if (scenario.equals("rpc")) {
            r.path("modes").fields().forEachRemaining(e -> {
                JsonNode m = e.getValue();
                md.append("- ").append(who).append(" ").append(e.getKey()).append(": ");
                md.append(
                        m.has("skipped")
                                ? m.path("skipped").asText()
                                : m.path("calls").asText() + " calls, "
                                        + m.path("errors").asText() + " errors, latency "
                                        + latLine(m.path("latencyMs")));
                md.append("\n");
            });
        } else if (scenario.equals("latency")) {
            JsonNode st = r.path("steps").path(0);
            md.append("- ")
                    .append(who)
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
                    .append(" cores, ")
                    .append(fmt(SummaryFigures.perNodeCpuSecond(st)))
                    .append(" deliveries per node CPU-second\n");
        } else {
            ObjectNode copy = (ObjectNode) r.deepCopy();
            copy.remove("curve");
            md.append("- ").append(who).append(": `").append(Json.line(copy)).append("`\n");
        }
    }
}
