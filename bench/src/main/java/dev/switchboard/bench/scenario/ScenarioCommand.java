package dev.switchboard.bench.scenario;

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
 * One scenario: run it against each system (Switchboard, then the Socket.IO peer), write
 * {@code <out>/<name>.json}, and rebuild the report from every scenario file in the folder.
 */
public abstract class ScenarioCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common = new CommonOptions();

    public abstract String name();

    /** The parameters, as recorded in the report. */
    protected abstract ObjectNode params();

    /** Runs against one system and returns its figures. */
    protected abstract ObjectNode run(BenchContext ctx, String system) throws Exception;

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
        return r.path("systems").path(Cluster.SWITCHBOARD).has("error") ? 1 : 0;
    }

    public ObjectNode execute(BenchContext ctx) throws Exception {
        ObjectNode result = Json.object();
        result.put("scenario", name());
        result.put("started", Instant.now().toString());
        result.set("params", params());
        result.putObject("switchboardNodes")
                .put("jvmOpts", String.join(" ", ctx.nodeJvmOpts()))
                .put("ioThreads", ctx.nodeIoThreads())
                .put("ioTransport", ctx.nodeIoTransport());
        ObjectNode systems = result.putObject("systems");
        for (String system : common.systems()) {
            if (system.equals(Cluster.SOCKETIO)) {
                String why = peerUnsupported() != null ? peerUnsupported() : ctx.peerSkipReason();
                if (why != null) {
                    ctx.log("%s: socket.io peer skipped: %s", name(), why);
                    systems.putObject(system).put("skipped", why);
                    continue;
                }
            }
            ctx.log("%s: %s ...", name(), system);
            long t0 = System.nanoTime();
            try {
                ObjectNode r = run(ctx, system);
                r.put("seconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
                systems.set(system, r);
            } catch (Exception e) {
                ctx.log("%s: %s failed: %s", name(), system, e);
                if (ctx.verbose()) {
                    e.printStackTrace();
                }
                systems.putObject(system).put("error", e.toString());
            }
        }
        result.put("finished", Instant.now().toString());
        Files.createDirectories(ctx.out());
        Files.writeString(ctx.out().resolve(name() + ".json"), Json.MAPPER.writeValueAsString(result));
        return result;
    }

    void shareContext(BenchContext ctx, CommonOptions from) {
        common.systems = from.systems;
        common.use(ctx);
    }
}
