package dev.switchboard.bench.proc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.bench.BenchContext;
import dev.switchboard.bench.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A load generator child: a spec file in, JSON commands on stdin, JSON events on stdout. */
public final class LoadGenProcess implements AutoCloseable {

    private static final JsonNode EOF = Json.object().put("event", "eof");

    private final Managed process;
    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    private final OutputStream stdin;
    private final BenchContext ctx;

    private LoadGenProcess(BenchContext ctx, Managed process) {
        this.ctx = ctx;
        this.process = process;
        this.stdin = process.process().getOutputStream();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(
                            new InputStreamReader(process.process().getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            if (!line.startsWith("{")) {
                                continue;
                            }
                            try {
                                events.add(Json.parse(line));
                            } catch (RuntimeException e) {
                                // not an event
                            }
                        }
                    } catch (IOException ignored) {
                        // process gone
                    }
                    events.add(EOF);
                },
                process.name() + "-events");
        reader.setDaemon(true);
        reader.start();
    }

    public static LoadGenProcess start(BenchContext ctx, String scenario, String name, ObjectNode spec, long maxSeconds)
            throws IOException {
        spec.put("maxSeconds", maxSeconds);
        Path specFile = ctx.runDir().resolve(scenario + "-" + name + ".json");
        Files.writeString(specFile, Json.MAPPER.writeValueAsString(spec));
        Managed m = Managed.start(
                name,
                ctx.loadGenCommand(specFile),
                Map.of(),
                ctx.runDir(),
                ctx.logs(scenario).resolve(name + ".log"),
                maxSeconds + 10,
                true,
                ctx.pinning().load());
        return new LoadGenProcess(ctx, m);
    }

    public Managed process() {
        return process;
    }

    public void send(ObjectNode cmd) throws IOException {
        stdin.write((Json.line(cmd) + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    /** The next event of {@code type}; progress events are logged, errors and exits throw. */
    public JsonNode await(String type, long timeoutMillis) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            long left = deadline - System.currentTimeMillis();
            JsonNode ev = left <= 0 ? null : events.poll(left, TimeUnit.MILLISECONDS);
            if (ev == null) {
                throw new IOException(process.name() + ": no '" + type + "' event within " + timeoutMillis + " ms (see "
                        + process.log() + ")");
            }
            String t = ev.path("event").asText();
            if (t.equals(type)) {
                return ev;
            }
            switch (t) {
                case "progress" ->
                    ctx.log(
                            "%s: %d/%d connected, %d failed",
                            process.name(),
                            ev.path("connected").asInt(),
                            ev.path("total").asInt(),
                            ev.path("failed").asInt());
                case "error" ->
                    ctx.log("%s: error: %s", process.name(), ev.path("message").asText());
                case "eof" -> throw new IOException(process.name() + " exited (see " + process.log() + ")");
                default -> {}
            }
        }
    }

    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                send(Json.object().put("cmd", "exit"));
                stdin.close();
                process.process().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            // already gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.stop(3000);
    }
}
