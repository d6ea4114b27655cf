package dev.switchboard.bench.scenario;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.bench.BenchContext;
import dev.switchboard.bench.Json;
import java.util.List;
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
            defaultValue = "100,300,1000",
            description =
                    "Publish rates in publications/s, tried in order until one is overloaded (default: ${DEFAULT-VALUE}).")
    List<Double> rates;

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
        return o;
    }

    @Override
    protected ObjectNode run(BenchContext ctx, String system) throws Exception {
        ObjectNode out = Json.object();
        ObjectNode by = out.putObject("transports");
        for (String t : transports) {
            if (!ALL.contains(t)) {
                throw new IllegalArgumentException("unknown transport " + t + ", expected one of " + ALL);
            }
            ctx.log("transports: %s ...", t);
            try {
                by.set(t, PubSub.run(ctx, name() + "-" + t, system, p(), new PubSub.Setup(true, "", t, true)));
            } catch (Exception e) {
                ctx.log("transports: %s failed: %s", t, e);
                by.putObject(t).put("error", e.toString());
                if (!out.has("error")) {
                    out.put("error", t + ": " + e); // the exit code says so; the others' figures stay
                }
            }
        }
        return out;
    }
}
