package dev.switchboard.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.bench.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The summary figures: one row per metric, a value per system (the median over the scenario's
 * repeats, with min-max when there are several), how many times better Switchboard is than each
 * peer, and whether the target is met.
 */
final class Figures {

    /** Whether a target is met, from Switchboard's spread and each peer's (null: no verdict). */
    interface Met {
        Boolean test(Spread ours, Map<String, Spread> peers);
    }

    private final ObjectNode scenarios;
    private final List<String> systems;
    private final ArrayNode rows = Json.MAPPER.createArrayNode();

    Figures(ObjectNode scenarios) {
        this.scenarios = scenarios;
        this.systems = Repeats.systems(scenarios);
    }

    List<String> peers() {
        return systems.subList(1, systems.size());
    }

    ArrayNode json() {
        return rows;
    }

    /**
     * Adds the row {@code metric} of scenario {@code name}: {@code of} maps one system's result of
     * one repeat to the figure (a number node, or null when it has none).
     */
    void add(
            String name,
            String metric,
            String unit,
            boolean higherBetter,
            Function<JsonNode, JsonNode> of,
            String target,
            Met met) {
        JsonNode sc = scenarios.get(name);
        if (sc == null) {
            return;
        }
        List<JsonNode> runs = Repeats.runs(sc);
        Map<String, Spread> by = new LinkedHashMap<>();
        for (String s : systems) {
            List<Double> v = new ArrayList<>();
            for (JsonNode run : runs) {
                JsonNode n = of.apply(run.path(s));
                v.add(n == null || !n.isNumber() ? null : n.asDouble());
            }
            Spread sp = Spread.of(v);
            if (sp != null) {
                by.put(s, sp);
            }
        }
        ObjectNode f = rows.addObject();
        f.put("scenario", name)
                .put("metric", metric)
                .put("unit", unit)
                .put("better", higherBetter ? "higher" : "lower")
                .put("repeats", runs.size());
        ObjectNode values = f.putObject("values");
        by.forEach((s, sp) -> {
            f.put(s, sp.median()); // the median, flat, for readers of one figure per system
            values.set(s, sp.toJson());
        });
        Spread ours = by.get(Report.OURS);
        ObjectNode adv = Json.object();
        for (String p : peers()) {
            Spread ps = by.get(p);
            if (ours != null && ps != null && ours.median() > 0 && ps.median() > 0) {
                double ratio = higherBetter ? ours.median() / ps.median() : ps.median() / ours.median();
                adv.put(p, Stats.round(ratio, 2));
            }
        }
        if (!adv.isEmpty()) {
            f.set("advantage", adv);
        }
        if (target != null) {
            f.put("target", target);
        }
        Map<String, Spread> peerSpreads = new LinkedHashMap<>(by);
        peerSpreads.remove(Report.OURS);
        Boolean m = met == null || ours == null ? null : met.test(ours, peerSpreads);
        if (m != null) {
            f.put("met", m);
        }
    }

    // ---- targets ----

    static Met below(double limit) {
        return (o, p) -> o.median() < limit;
    }

    static Met atMost(double limit) {
        return (o, p) -> o.median() <= limit;
    }

    static Met atLeast(double limit) {
        return (o, p) -> o.median() >= limit;
    }

    /** Every repeat of Switchboard at least {@code limit} ("3 of 3 runs"). */
    static Met everyRunAtLeast(double limit) {
        return (o, p) -> o.count() == o.runs().size() && o.min() >= limit;
    }

    /** At least {@code limit} and {@code times} each peer's (medians). */
    static Met atLeastAndTimesPeers(double limit, double times) {
        return (o, p) -> o.median() >= limit && p.values().stream().allMatch(ps -> o.median() >= times * ps.median());
    }

    /** In every repeat where both ran, no worse than each peer in that same repeat. */
    static Met noWorseThanPeersEachRun(boolean higherBetter) {
        return (o, p) -> {
            if (p.isEmpty()) {
                return null;
            }
            for (Spread ps : p.values()) {
                for (int i = 0; i < o.runs().size(); i++) {
                    Double a = o.run(i);
                    Double b = ps.run(i);
                    if (a != null && b != null && (higherBetter ? a < b : a > b)) {
                        return false;
                    }
                }
            }
            return true;
        };
    }

    // ---- markdown ----

    void markdown(StringBuilder md) {
        md.append("Each value is the median over the scenario's repeats, with (min–max) where it ran more than once. ")
                .append("vs X = how many times better Switchboard is than X (ours/X for throughput, X/ours for ")
                .append("latency and cost), from the medians.\n\n");
        md.append("| Scenario | Metric");
        systems.forEach(s -> md.append(" | ").append(Repeats.label(s)));
        peers().forEach(p -> md.append(" | vs ").append(Repeats.label(p)));
        md.append(" | Target | Met |\n|---|---");
        systems.forEach(s -> md.append("|---:"));
        peers().forEach(p -> md.append("|---:"));
        md.append("|---|---|\n");
        for (JsonNode f : rows) {
            md.append("| ")
                    .append(f.path("scenario").asText())
                    .append(" | ")
                    .append(f.path("metric").asText())
                    .append(" (")
                    .append(f.path("unit").asText())
                    .append(")");
            for (String s : systems) {
                md.append(" | ").append(cell(f, s));
            }
            for (String p : peers()) {
                JsonNode a = f.path("advantage").get(p);
                md.append(" | ").append(a == null ? "" : String.format(Locale.ROOT, "%.2fx", a.asDouble()));
            }
            md.append(" | ")
                    .append(f.path("target").asText(""))
                    .append(" | ")
                    .append(f.has("met") ? (f.path("met").asBoolean() ? "yes" : "**no**") : "")
                    .append(" |\n");
        }
    }

    private String cell(JsonNode f, String system) {
        JsonNode v = f.path("values").get(system);
        if (v != null) {
            String median = Report.fmt(v.get("median"));
            return v.path("min").asDouble() == v.path("max").asDouble()
                    ? median
                    : median + " (" + Report.fmt(v.get("min")) + "–" + Report.fmt(v.get("max")) + ")";
        }
        String sc = f.path("scenario").asText();
        if (system.equals(Report.OURS) || sc.equals("ceiling") || sc.equals("transports")) {
            return "";
        }
        // No figure: say why when the whole system did not run.
        String why = Report.status(Repeats.runs(scenarios.get(sc)).stream()
                .map(r -> r.path(system))
                .findFirst()
                .orElse(null));
        return why == null
                ? "n/a"
                : why.startsWith("skipped") ? "skipped" : why.startsWith("failed") ? "failed" : "n/a";
    }
}
