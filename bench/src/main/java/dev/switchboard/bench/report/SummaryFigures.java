package dev.switchboard.bench.report;

import static dev.switchboard.bench.report.Report.num;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.bench.Json;

/** What the summary table shows of each scenario, and the targets (issue 16's among them). */
final class SummaryFigures {

    /** The fan-out figure the targets are about: deliveries/s at the highest step with p99 within the limit. */
    static final double FANOUT_TARGET = 500_000;

    private SummaryFigures() {}

    static Figures build(ObjectNode scenarios) {
        Figures f = new Figures(scenarios);
        fanout(f, scenarios.get("fanout"));
        latency(f, scenarios.get("latency"));
        rpc(f);
        idle(f);
        broadcast(f, scenarios.get("broadcast"));
        ceiling(f);
        if (scenarios.has("transports")) {
            transports(f, scenarios.get("transports"));
        }
        return f;
    }

    private static void fanout(Figures f, JsonNode fan) {
        if (fan == null) {
            return;
        }
        f.add(
                "fanout",
                "deliveries/s (highest step with p99 <= "
                        + fan.path("params").path("maxP99Ms").asText() + " ms, >= 99% delivered)",
                "msg/s",
                true,
                SummaryFigures::highestPassing,
                ">= 500k/s in every run",
                Figures.everyRunAtLeast(FANOUT_TARGET));
        f.add(
                "fanout",
                "p99 at that step",
                "ms",
                false,
                s -> num(s.path("best").path("latencyMs").path("p99")),
                "< 50 ms",
                Figures.below(50));
        f.add(
                "fanout",
                "node CPU at that step",
                "cores",
                false,
                s -> num(s.path("best").path("cpu").path("nodes").path("cores")),
                null,
                null);
        f.add(
                "fanout",
                "sustained deliveries/s (highest step with >= 99% delivered, any latency)",
                "msg/s",
                true,
                s -> num(Report.sustained(s, fan).path("deliveredPerSec")),
                null,
                null);
        f.add(
                "fanout",
                "p99 at the sustained step",
                "ms",
                false,
                s -> num(Report.sustained(s, fan).path("latencyMs").path("p99")),
                null,
                null);
        f.add(
                "fanout",
                "deliveries per node CPU-second at the sustained step",
                "msg/core-s",
                true,
                s -> perNodeCpuSecond(Report.sustained(s, fan)),
                ">= 600k and >= 8x each peer",
                Figures.atLeastAndTimesPeers(600_000, 8));
    }

    private static void latency(Figures f, JsonNode lat) {
        if (lat == null) {
            return;
        }
        String at = " at " + lat.path("params").path("deliveriesPerSec").asText() + " deliveries/s";
        f.add(
                "latency",
                "deliveries/s achieved (offered "
                        + lat.path("params").path("deliveriesPerSec").asText() + ")",
                "msg/s",
                true,
                s -> num(step0(s).path("deliveredPerSec")),
                null,
                null);
        String[][] ps = {{"p50", "1"}, {"p90", null}, {"p99", "3"}, {"p99_9", null}, {"p99_99", null}, {"max", null}};
        for (String[] q : ps) {
            f.add(
                    "latency",
                    "cross-node publish->deliver " + q[0].replace('_', '.'),
                    "ms",
                    false,
                    s -> num(step0(s).path("latencyMs").path(q[0])),
                    q[1] == null ? null : "< " + q[1] + " ms",
                    q[1] == null ? null : Figures.below(Double.parseDouble(q[1])));
        }
        f.add(
                "latency",
                "p99" + at + ", against each peer in the same run",
                "ms",
                false,
                s -> num(step0(s).path("latencyMs").path("p99")),
                "<= each peer's, every run",
                Figures.noWorseThanPeersEachRun(false));
        f.add(
                "latency",
                "node CPU" + at,
                "cores",
                false,
                s -> num(step0(s).path("cpu").path("nodes").path("cores")),
                "<= each peer's, every run",
                Figures.noWorseThanPeersEachRun(false));
        f.add(
                "latency",
                "deliveries per node CPU-second" + at,
                "msg/core-s",
                true,
                s -> perNodeCpuSecond(step0(s)),
                null,
                null);
    }

    private static void rpc(Figures f) {
        String[][] rows = {
            {"local", "p50", "0.3"},
            {"local", "p99", null},
            {"cross", "p50", "1"},
            {"cross", "p99", "3"},
            {"worker", "p50", null},
            {"worker", "p99", null}
        };
        for (String[] r : rows) {
            String label = switch (r[0]) {
                case "local" -> "invoke round trip, agent on the called node";
                case "cross" -> "invoke round trip, cross-node";
                default -> "invoke round trip from a worker (no sockets)";
            };
            f.add(
                    "rpc",
                    label + " " + r[1],
                    "ms",
                    false,
                    s -> num(s.path("modes").path(r[0]).path("latencyMs").path(r[1])),
                    r[2] == null ? null : "< " + r[2] + " ms",
                    r[2] == null ? null : Figures.below(Double.parseDouble(r[2])));
        }
    }

    private static void idle(Figures f) {
        f.add(
                "idle",
                "connections held on one node",
                "conns",
                true,
                s -> num(s.path("connections")),
                ">= 50000",
                Figures.atLeast(50_000));
        f.add(
                "idle",
                "RSS per connection",
                "KiB",
                false,
                s -> num(s.path("rssPerConnectionKiB")),
                "<= 8 KiB",
                Figures.atMost(8.0));
        f.add("idle", "heap per connection", "KiB", false, s -> num(s.path("heapPerConnectionKiB")), null, null);
        f.add(
                "idle",
                "node CPU at rest",
                "cores",
                false,
                s -> num(s.path("nodeCpuCoresAtRest")),
                "near zero",
                Figures.below(0.05));
    }

    private static void broadcast(Figures f, JsonNode b) {
        if (b == null) {
            return;
        }
        f.add(
                "broadcast",
                "time until the last of " + b.path("params").path("connections").asText()
                        + " connections has it (median of rounds)",
                "ms",
                false,
                s -> num(s.path("timeToLastMsMedian")),
                null,
                null);
        f.add(
                "broadcast",
                "per-connection latency p50",
                "ms",
                false,
                s -> num(s.path("latencyMs").path("p50")),
                null,
                null);
    }

    private static void ceiling(Figures f) {
        f.add(
                "ceiling",
                "redis-benchmark PUBLISH/s (50 clients, no pipelining)",
                "cmd/s",
                true,
                s -> num(s.path("publishPerSec")),
                null,
                null);
        f.add(
                "ceiling",
                "redis-benchmark PUBLISH/s (pipeline 16)",
                "cmd/s",
                true,
                s -> num(s.path("publishPerSecPipelined16")),
                null,
                null);
    }

    private static void transports(Figures f, JsonNode sc) {
        double rate = Report.commonTransportRate(sc);
        if (rate <= 0) {
            return;
        }
        Report.sys(sc, Report.OURS).path("transports").fieldNames().forEachRemaining(t -> {
            JsonNode first =
                    Report.stepAt(Report.sys(sc, Report.OURS).path("transports").path(t), rate);
            String at = " at " + Report.fmt(first.get("offeredDeliveriesPerSec")) + " deliveries/s";
            f.add(
                    "transports",
                    "node CPU per delivery, " + t + at,
                    "us",
                    false,
                    s -> num(Report.stepAt(s.path("transports").path(t), rate).path("nodeCpuUsPerDelivery")),
                    null,
                    null);
            f.add(
                    "transports",
                    "publish->deliver p99, " + t + at,
                    "ms",
                    false,
                    s -> num(Report.stepAt(s.path("transports").path(t), rate)
                            .path("latencyMs")
                            .path("p99")),
                    null,
                    null);
        });
    }

    /**
     * Deliveries/s of the highest passing step; 0 for a run whose steps all missed (so a repeat
     * without one counts against "every run" and in the median), null for a run without steps.
     */
    static JsonNode highestPassing(JsonNode system) {
        if (!system.path("steps").isArray()) {
            return null;
        }
        JsonNode best = num(system.path("best").path("deliveredPerSec"));
        return best != null ? best : Json.MAPPER.getNodeFactory().numberNode(0);
    }

    private static JsonNode step0(JsonNode system) {
        return system.path("steps").path(0);
    }

    /**
     * Deliveries per node CPU-second of a step: recorded by the step since it was added, else
     * derived from deliveries/s and node cores (scenario files from before).
     */
    static JsonNode perNodeCpuSecond(JsonNode step) {
        JsonNode n = num(step.path("deliveriesPerNodeCpuSecond"));
        if (n != null) {
            return n;
        }
        double d = step.path("deliveredPerSec").asDouble(0);
        double c = step.path("cpu").path("nodes").path("cores").asDouble(0);
        return d <= 0 || c <= 0 ? null : Json.MAPPER.getNodeFactory().numberNode(Math.round(d / c));
    }
}
