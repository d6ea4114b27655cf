package dev.switchboard.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.bench.BenchContext;
import dev.switchboard.bench.Json;
import dev.switchboard.bench.proc.Cluster;
import dev.switchboard.bench.report.Report;
import java.nio.file.Files;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * One scenario: run it against each system (Switchboard, then the Socket.IO peers), as many
 * times as {@link #repeatOptions()} says, write {@code <out>/<name>.json}, and rebuild the report
 * from every scenario file in the folder.
 */
public abstract class ScenarioCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common = new CommonOptions();

    public abstract String name();

    /** The parameters, as recorded in the report. */
    protected abstract ObjectNode params();

    /** Runs against one system and returns its figures. */
    protected abstract ObjectNode run(BenchContext ctx, String system) throws Exception;

    /** The {@code --repeats} of a scenario that can repeat, or null (it runs once). */
    RepeatOptions repeatOptions() {
        return null;
    }

    /** Why this scenario has no peer run, or null. */
    protected String peerUnsupported() {
        return null;
    }

    @Override
    public Integer call() throws Exception {
        BenchContext ctx = common.context();
        ObjectNode r = execute(ctx);
        Report.write(ctx.out());
        ctx.log("report: %s", ctx.out().resolve("report.md"));
        for (JsonNode run : r.path("runs")) {
            if (run.path("systems").path(Cluster.SWITCHBOARD).has("error")) {
                return 1; // any repeat of Switchboard failing fails the command
            }
        }
        return 0;
    }

    public ObjectNode execute(BenchContext ctx) throws Exception {
        ObjectNode result = Json.object();
        result.put("scenario", name());
        result.put("started", Instant.now().toString());
        result.set("params", params());
        ObjectNode nodes = result.putObject("switchboardNodes")
                .put("jvmOpts", String.join(" ", ctx.nodeJvmOpts()))
                .put("ioThreads", ctx.nodeIoThreads())
                .put("ioTransport", ctx.nodeIoTransport());
        ctx.nodeEnv().forEach(nodes.putObject("env")::put);
        result.set("pinning", ctx.pinning().toJson());
        for (String system : common.systems()) {
            if (!Cluster.SYSTEMS.contains(system)) {
                throw new IllegalArgumentException(
                        "unknown system " + system + " (one of " + String.join(", ", Cluster.SYSTEMS) + ")");
            }
        }
        int repeats = repeatOptions() == null ? 1 : repeatOptions().repeats();
        result.put("repeats", repeats);
        // Every repeat runs every system before the next repeat starts, so a drift of the machine
        // (another process, thermal, page cache) hits all systems alike instead of one.
        ArrayNode runs = result.putArray("runs");
        for (int rep = 1; rep <= repeats; rep++) {
            ObjectNode run = runs.addObject().put("repeat", rep);
            ObjectNode systems = run.putObject("systems");
            for (String system : common.systems()) {
                String label = repeats > 1 ? system + " (repeat " + rep + "/" + repeats + ")" : system;
                systems.set(system, runOnce(ctx, system, label));
            }
        }
        // "systems" stays the first repeat's: readers of one run (the smoke test, older tools) find it there.
        result.set("systems", runs.get(0).path("systems").deepCopy());
        result.put("finished", Instant.now().toString());
        Files.createDirectories(ctx.out());
        Files.writeString(ctx.out().resolve(name() + ".json"), Json.MAPPER.writeValueAsString(result));
        return result;
    }

    private ObjectNode runOnce(BenchContext ctx, String system, String label) {
        if (Cluster.isPeer(system)) {
            String why = peerUnsupported() != null ? peerUnsupported() : ctx.peerSkipReason(system);
            if (why != null) {
                ctx.log("%s: %s skipped: %s", name(), system, why);
                return Json.object().put("skipped", why);
            }
        }
        ctx.log("%s: %s ...", name(), label);
        long t0 = System.nanoTime();
        try {
            ObjectNode r = run(ctx, system);
            r.put("seconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
            return r;
        } catch (Exception e) {
            ctx.log("%s: %s failed: %s", name(), label, e);
            if (ctx.verbose()) {
                e.printStackTrace();
            }
            return Json.object().put("error", e.toString());
        }
    }

    void shareContext(BenchContext ctx, CommonOptions from) {
        common.systems = from.systems;
        common.use(ctx);
    }
}
