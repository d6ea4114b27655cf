package dev.switchboard.transport.api;

import dev.switchboard.core.channel.ChannelGlob;
import dev.switchboard.core.engine.ClientInfo;
import dev.switchboard.core.engine.HistoryFilter;
import dev.switchboard.core.engine.HistoryResult;
import dev.switchboard.core.engine.NodeInfo;
import dev.switchboard.core.engine.PresenceStats;
import dev.switchboard.core.engine.StreamPosition;
import dev.switchboard.core.node.Node;
import dev.switchboard.core.node.PublishParams;
import dev.switchboard.core.protocol.Disconnect;
import dev.switchboard.core.protocol.ProtocolCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The server API's methods, each turning validated params into a node operation and its
 * result body. {@link ApiExecutor} maps outcomes to responses.
 */
final class ApiMethods {

    /** Close frames carry at most 123 bytes of reason. */
    private static final int MAX_DISCONNECT_REASON_BYTES = 123;

    private final Node node;
    private final Map<String, ApiOutcome.Method> table;

    ApiMethods(Node node) {
        this.node = node;
        Map<String, ApiOutcome.Method> m = new LinkedHashMap<>();
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
        this.table = Map.copyOf(m);
    }

    /** The method of that name, or {@code null}. */
    ApiOutcome.Method get(String name) {
        return name == null ? null : table.get(name);
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
    private byte[] payload(Params p) {
        byte[] data = p.rawData();
        if (data == null) {
            data = p.base64("b64data");
            if (data == null) {
                throw new BadRequestException("data required");
            }
            if (!ProtocolCodec.isJsonValue(data)) {
                throw new BadRequestException("b64data must decode to UTF-8 JSON: binary payloads are not supported "
                        + "with JSON protocol clients");
            }
        }
        // Refused here as well as in the node so the caller gets a 400, not a 200 with an error.
        if (data.length > node.options().maxPublicationSize()) {
            throw new BadRequestException(node.publicationTooLarge(data.length));
        }
        return data;
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
        return node.publish(channel, data, params).thenApply(ApiMethods::publishResult);
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
        List<CompletableFuture<ApiOutcome>> results = new ArrayList<>(channels.size());
        for (String channel : channels) {
            results.add(ApiOutcome.invoke(
                    ignored -> {
                        if (channel.isEmpty()) {
                            throw new BadRequestException("channel required");
                        }
                        checkChannelName(channel);
                        return node.publish(channel, data, params).thenApply(ApiMethods::publishResult);
                    },
                    p));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                .thenApply(v -> g -> {
                    g.writeArrayFieldStart("responses");
                    for (CompletableFuture<ApiOutcome> r : results) {
                        ApiOutcome o = r.join();
                        g.writeStartObject();
                        if (o.error() == null) {
                            g.writeObjectFieldStart("result");
                            o.result().write(g);
                            g.writeEndObject();
                        } else {
                            ApiJson.writeError(g, o.error());
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
        return node.subscribe(user, channel, emptyToNull(client)).thenApply(v -> ApiJson.empty());
    }

    private CompletableFuture<ProtocolCodec.Body> unsubscribe(Params p) {
        String user = p.requiredString("user");
        String channel = channel(p);
        String client = p.string("client");
        rejectIfSet(p, "session");
        node.channelOptions(channel);
        return node.unsubscribe(user, channel, emptyToNull(client)).thenApply(v -> ApiJson.empty());
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
                throw new BadRequestException(
                        "disconnect.reason longer than " + MAX_DISCONNECT_REASON_BYTES + " bytes");
            }
            disconnect = new Disconnect(code, reason);
        }
        return node.disconnect(user, emptyToNull(client), disconnect).thenApply(v -> ApiJson.empty());
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
        return node.refresh(user, emptyToNull(client), expired, expireAt).thenApply(v -> ApiJson.empty());
    }

    private CompletableFuture<ProtocolCodec.Body> presence(Params p) {
        String channel = channel(p);
        return node.presence(channel).thenApply(ApiMethods::presenceResult);
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
        return node.presenceStats(channel).thenApply(ApiMethods::presenceStatsResult);
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
        return node.history(channel, filter).thenApply(ApiMethods::historyResult);
    }

    private static ProtocolCodec.Body historyResult(HistoryResult h) {
        return g -> ProtocolCodec.writeHistoryFields(g, h);
    }

    private CompletableFuture<ProtocolCodec.Body> historyRemove(Params p) {
        String channel = channel(p);
        return node.removeHistory(channel).thenApply(v -> ApiJson.empty());
    }

    private CompletableFuture<ProtocolCodec.Body> channels(Params p) {
        String pattern = p.string("pattern");
        if (pattern.length() > ChannelGlob.MAX_PATTERN_LENGTH) {
            throw new BadRequestException("pattern longer than " + ChannelGlob.MAX_PATTERN_LENGTH + " characters");
        }
        return node.clusterChannels(pattern).thenApply(channels -> g -> {
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

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
