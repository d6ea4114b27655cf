package dev.switchboard.server.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.engine.ClientInfo;
import dev.switchboard.core.engine.HistoryFilter;
import dev.switchboard.core.engine.HistoryResult;
import dev.switchboard.core.engine.PresenceStats;
import dev.switchboard.core.engine.Publication;
import dev.switchboard.core.engine.StreamPosition;
import dev.switchboard.core.node.Node;
import dev.switchboard.core.engine.NodeInfo;
import dev.switchboard.core.rpc.InvokeException;

import dev.switchboard.core.node.PublishParams;
import dev.switchboard.core.protocol.Disconnect;
import dev.switchboard.core.protocol.ProtocolCodec;
import dev.switchboard.core.protocol.ProtocolError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server API (Centrifugo v5/v6 HTTP JSON API shape), free of any transport: give it the
 * method name from {@code POST /api/<method>} and the request body, get back the HTTP status
 * and JSON body to send. Authentication is the transport's job.
 *
 * <p>Methods: {@code publish}, {@code broadcast}, {@code subscribe}, {@code unsubscribe},
 * {@code disconnect}, {@code refresh}, {@code presence}, {@code presence_stats}, {@code history},
 * {@code history_remove}, {@code channels}, {@code info} and {@code batch}.
 *
 * <p>Status mapping:
 * <ul>
 *   <li>200 {@code {"result":{...}}} on success; 200 {@code {"error":{code,message}}} for API
 *       errors such as 102 unknown channel or 108 not available (as Centrifugo does);</li>
 *   <li>400 {@code {"error":{"code":107,"message":"bad request: ..."}}} when the body is not a
 *       JSON object, a field has the wrong type, or a required field is missing or invalid;</li>
 *   <li>404 {@code {"error":{"code":104,...}}} for an unknown method;</li>
 *   <li>503 (429 for code 111) with the error body when the error is temporary (engine down),
 *       so callers know a retry may succeed (with an {@code idempotency_key} it is safe);</li>
 *   <li>500 with error 100 for unexpected failures.</li>
 * </ul>
 * {@code broadcast} and {@code batch} answer 200 whenever their body was readable; each item
 * carries its own result or error.
 *
 * <p>Thread-safe. The returned future never completes exceptionally; it completes on the thread
 * that completes the engine's operation, so callers must not block it.
 *
 * <pre>{@code
 * ApiExecutor api = new ApiExecutor(node);
 * api.execute("publish", "{\"channel\":\"news\",\"data\":{\"x\":1}}".getBytes(UTF_8))
 *    .thenAccept(r -> respond(r.httpStatus(), r.json()));
 * }</pre>
 */
public final class ApiExecutor {

    private static final Logger log = LoggerFactory.getLogger(ApiExecutor.class);

    /** The methods {@link #execute} knows, including {@code batch}. */
    public static final Set<String> METHODS = Set.of("publish", "broadcast", "subscribe", "unsubscribe",
        "disconnect", "refresh", "presence", "presence_stats", "history", "history_remove", "channels", "info",
        "invoke", "connection", "connections", "batch");


    /** Close frames carry at most 123 bytes of reason. */
    private static final int MAX_DISCONNECT_REASON_BYTES = 123;
    private static final int MAX_ECHOED_METHOD_LENGTH = 64;

    @FunctionalInterface
    private interface Method {
        /** Validates params (throwing {@link BadRequestException}) and starts the operation. */
        CompletableFuture<ProtocolCodec.Body> call(Params params);
    }

    /** One operation's outcome: a result body or an error, and the HTTP status it maps to alone. */
    private record Outcome(ProtocolCodec.Body result, ProtocolError error, int status) {
        static Outcome ok(ProtocolCodec.Body result) {
            return new Outcome(result, null, 200);
        }
    }

    private final Node node;
    private final Map<String, Method> methods;

    public ApiExecutor(Node node) {
        this.node = Objects.requireNonNull(node, "node");
        Map<String, Method> m = new LinkedHashMap<>();
        m.put("publish", this::publish);
        m.put("broadcast", this::broadcast);
        m.put("subscribe", this::subscribe);
        m.put("unsubscribe", this::unsubscribe);
        m.put("disconnect", this::disconnect);
        m.put("refresh", this::refresh);
        m.put("presence", this::presence);
        m.put("presence_stats", this::presenceStats);
        m.put("history", this::history);
        m.put("history_remove", this::historyRemove);
        m.put("channels", this::channels);
        m.put("info", this::info);
        InvokeApi invokeApi = new InvokeApi(node);
        m.put("invoke", invokeApi::invoke);
        m.put("connection", invokeApi::connection);
        m.put("connections", invokeApi::connections);
        this.methods = Map.copyOf(m);
    }

    /**
     * Runs one API call.
     *
     * @param method the method name, as in {@code /api/<method>}
     * @param body the raw request body; empty means {@code {}}
     * @return the response; never completes exceptionally
     */
    public CompletableFuture<ApiResponse> execute(String method, byte[] body) {
        if ("batch".equals(method)) {
            return batch(body);
        }
        Method m = method == null ? null : methods.get(method);
        if (m == null) {
            ProtocolError e = ProtocolError.METHOD_NOT_FOUND.withMessage("method not found: " + echo(method));
            return CompletableFuture.completedFuture(new ApiResponse(404, encodeError(e)));
        }
        ObjectNode root;
        try {
            root = RequestJson.readObject(body);
        } catch (BadRequestException e) {
            return CompletableFuture.completedFuture(new ApiResponse(400, encodeError(badRequest(e))));
        }
        return invoke(m, new Params(root)).thenApply(o -> o.error() != null
            ? new ApiResponse(o.status(), encodeError(o.error()))
            : respond(() -> encode(g -> {
                g.writeObjectFieldStart("result");
                o.result().write(g);
                g.writeEndObject();
            })));
    }

    /** A 200 response, or 500 when writing the result fails (a bug, never the caller's fault). */
    private static ApiResponse respond(Supplier<byte[]> body) {
        try {
            return new ApiResponse(200, body.get());
        } catch (RuntimeException e) {
            log.error("server API response encoding failed", e);
            return new ApiResponse(500, encodeError(ProtocolError.INTERNAL));
        }
    }

    // ---- invocation and error mapping ----

    private CompletableFuture<Outcome> invoke(Method m, Params p) {
        CompletableFuture<ProtocolCodec.Body> f;
        try {
            f = m.call(p);
        } catch (Throwable t) {
            return CompletableFuture.completedFuture(failure(t));
        }
        return f.handle((body, t) -> t == null ? Outcome.ok(body) : failure(t));
    }

    private static Outcome failure(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof BadRequestException e) {
            return new Outcome(null, badRequest(e), 400);
        }
        if (t instanceof InvokeException e) {
            // Each reason has its own status; a client's own error keeps the client's code.
            int code = e.reason() == InvokeException.Reason.CLIENT_ERROR ? e.clientCode() : e.reason().httpStatus();
            boolean temporary = e.reason().httpStatus() >= 500 && e.reason() != InvokeException.Reason.CLIENT_ERROR;
            return new Outcome(null, ProtocolError.of(code, e.reason().wireName() + ": " + e.getMessage(), temporary),
                e.reason().httpStatus());
        }
        if (t instanceof ProtocolError e) {
            if (!e.temporary()) {
                return new Outcome(null, e, 200);
            }
            return new Outcome(null, e, e.code() == ProtocolError.TOO_MANY_REQUESTS.code() ? 429 : 503);
        }
        if (t instanceof TimeoutException || t instanceof IOException || t instanceof UncheckedIOException
            || t instanceof RejectedExecutionException) {
            log.warn("server API call failed temporarily: {}", t.toString());
            return new Outcome(null, ProtocolError.INTERNAL, 503);
        }
        log.error("server API call failed", t);
        return new Outcome(null, ProtocolError.INTERNAL, 500);
    }

    private static ProtocolError badRequest(BadRequestException e) {
        return ProtocolError.BAD_REQUEST.withMessage("bad request: " + e.getMessage());
    }

    private static String echo(String method) {
        if (method == null) {
            return "";
        }
        return method.length() <= MAX_ECHOED_METHOD_LENGTH ? method
            : method.substring(0, MAX_ECHOED_METHOD_LENGTH) + "...";
    }

    // ---- validation helpers ----

    private void checkChannelName(String channel) {
        if (!node.options().channelRules().isValidName(channel)) {
            throw new BadRequestException("invalid channel name");
        }
    }

    private String channel(Params p) {
        String channel = p.requiredString("channel");
        checkChannelName(channel);
        return channel;
    }

    /** Refuses Centrifugo options this server does not implement, rather than ignoring them silently. */
    private static void rejectIfSet(Params p, String... fields) {
        for (String f : fields) {
            if (p.isSet(f)) {
                throw new BadRequestException(f + " not supported");
            }
        }
    }

    /** {@code data} verbatim, else {@code b64data} decoded when it is UTF-8 JSON. */
    private static byte[] payload(Params p) {
        byte[] data = p.rawData();
        if (data != null) {
            return data;
        }
        byte[] decoded = p.base64("b64data");
        if (decoded == null) {
            throw new BadRequestException("data required");
        }
        if (!isJson(decoded)) {
            throw new BadRequestException("b64data must decode to UTF-8 JSON: binary payloads are not supported "
                + "with JSON protocol clients");
        }
        return decoded;
    }

    private static boolean isJson(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b));
        } catch (CharacterCodingException e) {
            return false;
        }
        try (JsonParser parser = ProtocolCodec.mapper().getFactory().createParser(b)) {
            if (parser.nextToken() == null) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    private static PublishParams publishParams(Params p) {
        p.bool("skip_history");
        p.bool("delta"); // accepted: subscribers always get full payloads, which is what delta falls back to
        if (p.longValue("version") != 0 || !p.string("version_epoch").isEmpty()) {
            throw new BadRequestException("version not supported");
        }
        return PublishParams.builder()
            .skipHistory(p.bool("skip_history"))
            .tags(p.stringMap("tags"))
            .idempotencyKey(p.string("idempotency_key"))
            .build();
    }

    // ---- methods ----

    private CompletableFuture<ProtocolCodec.Body> publish(Params p) {
        String channel = channel(p);
        byte[] data = payload(p);
        PublishParams params = publishParams(p);
        return node.publish(channel, data, params).thenApply(ApiExecutor::publishResult);
    }

    private static ProtocolCodec.Body publishResult(StreamPosition pos) {
        return g -> {
            if (pos.offset() > 0) {
                g.writeNumberField("offset", pos.offset());
                if (!pos.epoch().isEmpty()) {
                    g.writeStringField("epoch", pos.epoch());
                }
            }
        };
    }

    private CompletableFuture<ProtocolCodec.Body> broadcast(Params p) {
        List<String> channels = p.stringList("channels");
        if (channels.isEmpty()) {
            throw new BadRequestException("channels required");
        }
        byte[] data = payload(p);
        PublishParams params = publishParams(p);
        List<CompletableFuture<Outcome>> results = new ArrayList<>(channels.size());
        for (String channel : channels) {
            results.add(invoke(ignored -> {
                if (channel.isEmpty()) {
                    throw new BadRequestException("channel required");
                }
                checkChannelName(channel);
                return node.publish(channel, data, params).thenApply(ApiExecutor::publishResult);
            }, p));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenApply(v -> g -> {
            g.writeArrayFieldStart("responses");
            for (CompletableFuture<Outcome> r : results) {
                Outcome o = r.join();
                g.writeStartObject();
                if (o.error() == null) {
                    g.writeObjectFieldStart("result");
                    o.result().write(g);
                    g.writeEndObject();
                } else {
                    writeError(g, o.error());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    private CompletableFuture<ProtocolCodec.Body> subscribe(Params p) {
        String user = p.requiredString("user");
        String channel = channel(p);
        String client = p.string("client");
        rejectIfSet(p, "session", "info", "b64info", "data", "b64data", "recover_since", "override");
        node.channelOptions(channel);
        return node.subscribe(user, channel, emptyToNull(client)).thenApply(v -> empty());
    }

    private CompletableFuture<ProtocolCodec.Body> unsubscribe(Params p) {
        String user = p.requiredString("user");
        String channel = channel(p);
        String client = p.string("client");
        rejectIfSet(p, "session");
        node.channelOptions(channel);
        return node.unsubscribe(user, channel, emptyToNull(client)).thenApply(v -> empty());
    }

    private CompletableFuture<ProtocolCodec.Body> disconnect(Params p) {
        String user = p.requiredString("user");
        String client = p.string("client");
        rejectIfSet(p, "session", "whitelist");
        Disconnect disconnect = Disconnect.FORCE_NO_RECONNECT;
        Params d = p.object("disconnect");
        if (d != null && (d.isSet("code") || d.isSet("reason"))) {
            int code = d.intValue("code");
            if (code < 3000 || code > 4999) {
                throw new BadRequestException("disconnect.code must be between 3000 and 4999");
            }
            String reason = d.string("reason");
            if (reason.getBytes(StandardCharsets.UTF_8).length > MAX_DISCONNECT_REASON_BYTES) {
                throw new BadRequestException("disconnect.reason longer than " + MAX_DISCONNECT_REASON_BYTES
                    + " bytes");
            }
            disconnect = new Disconnect(code, reason);
        }
        return node.disconnect(user, emptyToNull(client), disconnect).thenApply(v -> empty());
    }

    private CompletableFuture<ProtocolCodec.Body> refresh(Params p) {
        String user = p.requiredString("user");
        String client = p.string("client");
        rejectIfSet(p, "session", "info", "b64info");
        boolean expired = p.bool("expired");
        long expireAt = p.longValue("expire_at");
        if (expireAt < 0) {
            throw new BadRequestException("expire_at must not be negative");
        }
        return node.refresh(user, emptyToNull(client), expired, expireAt).thenApply(v -> empty());
    }

    private CompletableFuture<ProtocolCodec.Body> presence(Params p) {
        String channel = channel(p);
        return node.presence(channel).thenApply(ApiExecutor::presenceResult);
    }

    private static ProtocolCodec.Body presenceResult(Map<String, ClientInfo> presence) {
        return g -> {
            g.writeObjectFieldStart("presence");
            for (Map.Entry<String, ClientInfo> e : presence.entrySet()) {
                g.writeFieldName(e.getKey());
                ProtocolCodec.writeInfo(g, e.getValue());
            }
            g.writeEndObject();
        };
    }

    private CompletableFuture<ProtocolCodec.Body> presenceStats(Params p) {
        String channel = channel(p);
        return node.presenceStats(channel).thenApply(ApiExecutor::presenceStatsResult);
    }

    private static ProtocolCodec.Body presenceStatsResult(PresenceStats s) {
        return g -> {
            g.writeNumberField("num_clients", s.numClients());
            g.writeNumberField("num_users", s.numUsers());
        };
    }

    private CompletableFuture<ProtocolCodec.Body> history(Params p) {
        String channel = channel(p);
        int limit = p.intValue("limit");
        boolean reverse = p.bool("reverse");
        StreamPosition since = null;
        Params s = p.object("since");
        if (s != null) {
            long offset = s.longValue("offset");
            if (offset < 0) {
                throw new BadRequestException("since.offset must not be negative");
            }
            since = new StreamPosition(offset, s.string("epoch"));
        }
        HistoryFilter filter = new HistoryFilter(since, limit < 0 ? HistoryFilter.NO_LIMIT : limit, reverse);
        return node.history(channel, filter).thenApply(ApiExecutor::historyResult);
    }

    private static ProtocolCodec.Body historyResult(HistoryResult h) {
        return g -> {
            g.writeArrayFieldStart("publications");
            for (Publication pub : h.publications()) {
                ProtocolCodec.writePublication(g, pub);
            }
            g.writeEndArray();
            g.writeStringField("epoch", h.position().epoch());
            g.writeNumberField("offset", h.position().offset());
        };
    }

    private CompletableFuture<ProtocolCodec.Body> historyRemove(Params p) {
        String channel = channel(p);
        return node.removeHistory(channel).thenApply(v -> empty());
    }

    private CompletableFuture<ProtocolCodec.Body> channels(Params p) {
        String pattern = p.string("pattern");
        Map<String, Integer> channels = node.channels(pattern);
        return CompletableFuture.completedFuture(g -> {
            g.writeObjectFieldStart("channels");
            for (Map.Entry<String, Integer> e : channels.entrySet()) {
                g.writeObjectFieldStart(e.getKey());
                g.writeNumberField("num_clients", e.getValue());
                g.writeEndObject();
            }
            g.writeEndObject();
        });
    }

    private CompletableFuture<ProtocolCodec.Body> info(Params p) {
        return node.nodes().thenApply(nodes -> g -> {
            g.writeArrayFieldStart("nodes");
            for (NodeInfo n : nodes) {
                g.writeStartObject();
                g.writeStringField("uid", n.id());
                g.writeStringField("name", n.name());
                g.writeStringField("version", n.version());
                if (!n.address().isEmpty()) {
                    g.writeStringField("address", n.address());
                }
                g.writeNumberField("num_clients", n.numClients());
                g.writeNumberField("num_users", n.numUsers());
                g.writeNumberField("num_subs", n.numSubs());
                g.writeNumberField("num_channels", n.numChannels());
                g.writeNumberField("uptime", n.uptimeSeconds());
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    // ---- batch ----

    /** A batch command resolved to its method, or the error that stands in its reply. */
    private record BatchCommand(String name, Method method, Params params, ProtocolError error) {
    }

    private CompletableFuture<ApiResponse> batch(byte[] body) {
        List<BatchCommand> commands;
        boolean parallel;
        try {
            Params root = new Params(RequestJson.readObject(body));
            parallel = root.bool("parallel");
            commands = batchCommands(root);
        } catch (BadRequestException e) {
            return CompletableFuture.completedFuture(new ApiResponse(400, encodeError(badRequest(e))));
        }
        Outcome[] outcomes = new Outcome[commands.size()];
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (parallel) {
            List<CompletableFuture<Void>> all = new ArrayList<>(commands.size());
            for (int i = 0; i < commands.size(); i++) {
                int index = i;
                all.add(run(commands.get(i)).thenAccept(o -> outcomes[index] = o));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenRun(() -> done.complete(null));
        } else {
            runSequentially(commands, 0, outcomes, done);
        }
        return done.thenApply(v -> respond(() -> encode(g -> {
            g.writeArrayFieldStart("replies");
            for (int i = 0; i < outcomes.length; i++) {
                Outcome o = outcomes[i];
                g.writeStartObject();
                if (o.error() == null) {
                    g.writeObjectFieldStart(commands.get(i).name());
                    o.result().write(g);
                    g.writeEndObject();
                } else {
                    writeError(g, o.error());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        })));
    }

    private List<BatchCommand> batchCommands(Params root) {
        JsonNode list = root.node("commands");
        if (list == null) {
            throw new BadRequestException("commands required");
        }
        if (!list.isArray()) {
            throw new BadRequestException("commands must be an array");
        }
        List<BatchCommand> out = new ArrayList<>(list.size());
        for (JsonNode cmd : list) {
            out.add(batchCommand(cmd));
        }
        return out;
    }

    private BatchCommand batchCommand(JsonNode cmd) {
        if (!cmd.isObject()) {
            return new BatchCommand(null, null, null,
                ProtocolError.BAD_REQUEST.withMessage("bad request: command must be an object"));
        }
        String name = null;
        JsonNode params = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = cmd.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isNull() || !methods.containsKey(e.getKey())) {
                continue;
            }
            if (name != null) {
                return new BatchCommand(null, null, null,
                    ProtocolError.BAD_REQUEST.withMessage("bad request: command must name exactly one method"));
            }
            name = e.getKey();
            params = e.getValue();
        }
        if (name == null) {
            return new BatchCommand(null, null, null, ProtocolError.METHOD_NOT_FOUND);
        }
        if (!params.isObject()) {
            return new BatchCommand(null, null, null,
                ProtocolError.BAD_REQUEST.withMessage("bad request: " + name + " must be an object"));
        }
        return new BatchCommand(name, methods.get(name), new Params((ObjectNode) params), null);
    }

    private CompletableFuture<Outcome> run(BatchCommand c) {
        if (c.error() != null) {
            return CompletableFuture.completedFuture(new Outcome(null, c.error(), 200));
        }
        return invoke(c.method(), c.params());
    }

    /** Runs commands one after another without growing the stack when they complete synchronously. */
    private void runSequentially(List<BatchCommand> commands, int from, Outcome[] outcomes,
                                 CompletableFuture<Void> done) {
        for (int i = from; i < commands.size(); i++) {
            CompletableFuture<Outcome> f = run(commands.get(i));
            if (!f.isDone()) {
                int index = i;
                f.thenAccept(o -> {
                    outcomes[index] = o;
                    runSequentially(commands, index + 1, outcomes, done);
                });
                return;
            }
            outcomes[i] = f.join();
        }
        done.complete(null);
    }

    // ---- encoding ----

    private static ProtocolCodec.Body empty() {
        return g -> { };
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static void writeError(JsonGenerator g, ProtocolError e) throws IOException {
        g.writeObjectFieldStart("error");
        g.writeNumberField("code", e.code());
        g.writeStringField("message", e.getMessage());
        g.writeEndObject();
    }

    private static byte[] encodeError(ProtocolError e) {
        return encode(g -> writeError(g, e));
    }

    private static byte[] encode(ProtocolCodec.Body body) {
        try (ByteArrayBuilder buf = new ByteArrayBuilder(256);
             JsonGenerator g = ProtocolCodec.mapper().getFactory().createGenerator(buf)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
            g.flush();
            return buf.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
