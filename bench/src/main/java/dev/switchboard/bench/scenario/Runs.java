package dev.switchboard.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.bench.BenchContext;
import dev.switchboard.bench.Json;
import dev.switchboard.bench.load.Histograms;
import dev.switchboard.bench.proc.Cluster;
import dev.switchboard.bench.proc.LoadGenProcess;
import dev.switchboard.bench.proc.Managed;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Helpers shared by the scenarios: load generator specs, start-up, merging. */
final class Runs {

    /** Connections one load generator holds at most (the machine's open-file limit is 20000). */
    static final int MAX_CONNECTIONS_PER_LOADGEN = 18_000;

    private Runs() {}

    static int loadgensFor(int connections) {
        return Math.max(1, (connections + MAX_CONNECTIONS_PER_LOADGEN - 1) / MAX_CONNECTIONS_PER_LOADGEN);
    }

    static ObjectNode baseSpec(BenchContext ctx, Cluster cl) {
        ObjectNode s = Json.object();
        s.put("protocol", Cluster.protocol(cl.system()));
        s.put("system", cl.system()); // names the load generator (and its log): both peers speak "socketio"
        var nodes = s.putArray("nodes");
        cl.addresses()
                .forEach(a -> nodes.addObject().put("host", a.getHostString()).put("port", a.getPort()));
        var src = s.putArray("sources");
        ctx.nextSources().forEach(src::add);
        s.put("secret", ctx.secret());
        s.put("apiKey", ctx.apiKey());
        if (cl.redis() != null) {
            s.put("redisUrl", cl.redis().url());
            s.put("redisPrefix", cl.redisPrefix());
        }
        return s;
    }

    /** Starts the load generators and waits until every one has all its connections. */
    static List<LoadGenProcess> start(
            BenchContext ctx, String scenario, List<ObjectNode> specs, long maxSeconds, long connectTimeoutMillis)
            throws IOException, InterruptedException {
        List<LoadGenProcess> lgs = new ArrayList<>();
        try {
            for (int i = 0; i < specs.size(); i++) {
                specs.get(i).put("connectTimeoutSec", connectTimeoutMillis / 1000);
                lgs.add(LoadGenProcess.start(
                        ctx,
                        scenario,
                        specs.get(0)
                                        .path("system")
                                        .asText(specs.get(0).path("protocol").asText()) + "-loadgen" + (i + 1),
                        specs.get(i),
                        maxSeconds));
            }
            int connected = 0;
            for (LoadGenProcess lg : lgs) {
                JsonNode ready = lg.await("ready", connectTimeoutMillis + 30_000);
                if (ready.path("failed").asInt() > 0) {
                    throw new IOException(
                            lg.process().name() + ": " + ready.path("failed").asInt() + " connections failed, first: "
                                    + ready.path("firstError").asText());
                }
                connected += ready.path("connected").asInt();
                ctx.log(
                        "%s: %s ready: %d connections in %d ms",
                        scenario,
                        lg.process().name(),
                        ready.path("connected").asInt(),
                        ready.path("connectMillis").asLong());
            }
            ctx.log("%s: %d connections open", scenario, connected);
            return lgs;
        } catch (IOException | InterruptedException | RuntimeException e) {
            lgs.forEach(LoadGenProcess::close);
            throw e;
        }
    }

    static Map<String, List<Managed>> roles(Cluster cl, List<LoadGenProcess> lgs) {
        Map<String, List<Managed>> m = new LinkedHashMap<>();
        m.put("nodes", cl.nodes());
        m.put("redis", cl.redis() == null ? List.of() : List.of(cl.redis().process()));
        List<Managed> l = new ArrayList<>();
        lgs.forEach(x -> l.add(x.process()));
        m.put("loadgen", l);
        return m;
    }

    static Histogram merge(List<JsonNode> events) {
        Histogram h = Histograms.empty();
        for (JsonNode e : events) {
            h.add(Histograms.decode(e.path("hist").asText()));
        }
        return h;
    }

    static long sum(List<JsonNode> events, String field) {
        long n = 0;
        for (JsonNode e : events) {
            n += e.path(field).asLong();
        }
        return n;
    }

    static String first(List<JsonNode> events, String field) {
        for (JsonNode e : events) {
            if (e.hasNonNull(field)) {
                return e.path(field).asText();
            }
        }
        return null;
    }

    static void closeAll(List<LoadGenProcess> lgs) {
        lgs.parallelStream().forEach(LoadGenProcess::close);
    }
}
