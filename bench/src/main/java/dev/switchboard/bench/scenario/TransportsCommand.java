package dev.switchboard.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.bench.BenchContext;
import dev.switchboard.bench.Json;
import dev.switchboard.bench.report.Stats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The same fan-out on each client transport of one node: subscribers on the JSON WebSocket, the
 * protobuf WebSocket, HTTP-streaming and SSE (both with {@code /emulation} for their commands),
 * publications through the server API at stepped fixed rates. Per step: node CPU per delivery,
 * deliveries/s and publish→deliver latency. Each transport gets a fresh node (memory engine) and
 * the same JIT warm-up.
 */
@Command(
        name = "transports",
        mixinStandardHelpOptions = true,
        description =
                "Fan-out on one node per client transport (websocket JSON, websocket protobuf, http_stream, sse), "
                        + "publications through the server API at stepped fixed rates: node CPU per delivery, deliveries/s and "
                        + "publish->deliver latency.")
public final class TransportsCommand extends ScenarioCommand {

    static final List<String> ALL = List.of("websocket", "websocket-protobuf", "http_stream", "sse");

    @Option(
            names = "--transports",
            split = ",",
            defaultValue = "websocket,websocket-protobuf,http_stream,sse",
            description = "Subscriber transports, each measured on a fresh node (default: ${DEFAULT-VALUE}).")
    List<String> transports;

    @Option(
            names = "--api-lanes",
            defaultValue = "4",
            description = "Keep-alive HTTP connections publishing through the server API, one request in flight "
                    + "each (default: ${DEFAULT-VALUE}).")
    int apiLanes;

    @Option(
            names = "--rates",
            split = ",",
            defaultValue = "100,200,300",
            description =
                    "Publish rates in publications/s, tried in order until one is overloaded (default: ${DEFAULT-VALUE}).")
    List<Double> rates;

    @Option(
            names = "--rounds",
            defaultValue = "1",
            description = "Rounds: every transport once per round on a fresh node, the order rotated each round; "
                    + "each step is then the median over the rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(
            names = "--ping-interval",
            description = "The node's client.ping_interval (e.g. 300s, to keep pongs out of the windows; "
                    + "default: the node's own, 25s).")
    String pingInterval;

    @Mixin
    StepOptions steps = new StepOptions();

    @Override
    public String name() {
        return "transports";
    }

    @Override
    protected String peerUnsupported() {
        return "Switchboard's own transports are compared here, not the peer";
    }

    PubSub.Params p() {
        List<Integer> node0 = List.of(0);
        return steps.params(1, node0, node0, apiLanes, rates, FanoutCommand.channelYaml(false));
    }

    @Override
    protected ObjectNode params() {
        ObjectNode o = p().toJson().put("engine", "memory").put("publishVia", "server API (POST /api/publish)");
        ArrayNode t = o.putArray("transports");
        transports.forEach(t::add);
        if (pingInterval != null) {
            o.put("pingInterval", pingInterval);
        }
        return o.put("rounds", rounds);
    }

    private String clientYaml() {
        return pingInterval == null ? "" : "  ping_interval: " + pingInterval + "\n";
    }

    @Override
    protected ObjectNode run(BenchContext ctx, String system) throws Exception {
        for (String t : transports) {
            if (!ALL.contains(t)) {
                throw new IllegalArgumentException("unknown transport " + t + ", expected one of " + ALL);
            }
        }
        ObjectNode out = Json.object();
        Map<String, List<JsonNode>> results = new LinkedHashMap<>();
        transports.forEach(t -> results.put(t, new ArrayList<>()));
        int n = transports.size();
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < n; i++) {
                String t = transports.get((i + r) % n); // rotated: no transport always runs first
                ctx.log("transports: round %d/%d: %s ...", r + 1, rounds, t);
                try {
                    results.get(t)
                            .add(PubSub.run(
                                    ctx, name() + "-" + t, system, p(), new PubSub.Setup(true, clientYaml(), t, true)));
                } catch (Exception e) {
                    ctx.log("transports: %s failed: %s", t, e);
                    results.get(t).add(Json.object().put("error", e.toString()));
                    if (!out.has("error")) {
                        out.put("error", t + ": " + e); // the exit code says so; the others' figures stay
                    }
                }
            }
        }
        ObjectNode by = out.putObject("transports");
        results.forEach((t, l) -> by.set(t, l.size() == 1 ? l.get(0) : medians(l)));
        return out;
    }

    /**
     * One result from several rounds of a transport: per publish rate, the median over the rounds of
     * deliveries/s, CPU, CPU per delivery and each latency percentile; the lowest completeness; a
     * step passes only if it passed in every round. The rounds themselves are kept (without curves).
     */
    static ObjectNode medians(List<JsonNode> rounds) {
        ObjectNode m = Json.object();
        ArrayNode all = m.putArray("rounds");
        Map<Double, List<JsonNode>> byRate = new LinkedHashMap<>();
        for (JsonNode r : rounds) {
            if (r.has("error") && !m.has("error")) {
                m.put("error", r.path("error").asText());
            }
            for (JsonNode st : r.path("steps")) {
                byRate.computeIfAbsent(st.path("publishRate").asDouble(), k -> new ArrayList<>())
                        .add(st);
                ((ObjectNode) st).remove("curve");
            }
            all.add(r);
        }
        ArrayNode steps = m.putArray("steps");
        byRate.forEach((rate, l) -> {
            ObjectNode st = steps.addObject();
            st.put("publishRate", rate)
                    .put(
                            "offeredDeliveriesPerSec",
                            l.get(0).path("offeredDeliveriesPerSec").asLong())
                    .put("rounds", l.size())
                    .put("deliveredPerSec", Math.round(median(l, "/deliveredPerSec")))
                    .put(
                            "completeness",
                            l.stream()
                                    .mapToDouble(x -> x.path("completeness").asDouble())
                                    .min()
                                    .orElse(0))
                    .put(
                            "pubErrors",
                            l.stream()
                                    .mapToLong(x -> x.path("pubErrors").asLong())
                                    .sum())
                    .put(
                            "passedRounds",
                            l.stream().filter(x -> x.path("pass").asBoolean()).count())
                    .put(
                            "pass",
                            l.size() == rounds.size()
                                    && l.stream().allMatch(x -> x.path("pass").asBoolean()))
                    .put("nodeCpuUsPerDelivery", Stats.round(median(l, "/nodeCpuUsPerDelivery"), 3));
            ObjectNode lat = st.putObject("latencyMs");
            for (String q : List.of("p50", "p90", "p99", "p99_9", "max")) {
                lat.put(q, median(l, "/latencyMs/" + q));
            }
            ObjectNode cpu = st.putObject("cpu");
            for (String role : List.of("nodes", "loadgen")) {
                cpu.putObject(role).put("cores", median(l, "/cpu/" + role + "/cores"));
            }
            cpu.put("machineBusyCores", median(l, "/cpu/machineBusyCores"))
                    .put("otherCores", median(l, "/cpu/otherCores"));
        });
        return m;
    }

    private static double median(List<JsonNode> l, String pointer) {
        double[] v =
                l.stream().mapToDouble(x -> x.at(pointer).asDouble()).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
