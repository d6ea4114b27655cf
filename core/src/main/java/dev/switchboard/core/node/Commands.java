package dev.switchboard.core.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.auth.ConnectToken;
import dev.switchboard.core.auth.SubscriptionToken;
import dev.switchboard.core.auth.TokenException;
import dev.switchboard.core.channel.ChannelOptions;
import dev.switchboard.core.channel.ChannelRules;
import dev.switchboard.core.engine.ClientInfo;
import dev.switchboard.core.engine.HistoryFilter;
import dev.switchboard.core.engine.StreamPosition;
import dev.switchboard.core.hook.PublishDecision;
import dev.switchboard.core.hook.PublishRequest;
import dev.switchboard.core.hook.RpcHandler;
import dev.switchboard.core.hook.RpcRequest;
import dev.switchboard.core.hook.SendHandler;
import dev.switchboard.core.hook.SubscribeDecision;
import dev.switchboard.core.hook.SubscribeRequest;
import dev.switchboard.core.protocol.Command;
import dev.switchboard.core.protocol.Disconnect;
import dev.switchboard.core.protocol.ProtocolCodec;
import dev.switchboard.core.protocol.ProtocolError;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Runs a connected client's commands other than {@code connect}. */
final class Commands {

    private final Client client;
    private final Subscriptions subscriptions;
    private final Node node;

    Commands(Client client, Subscriptions subscriptions) {
        this.client = client;
        this.subscriptions = subscriptions;
        this.node = client.node;
    }

    CompletionStage<byte[]> run(Command cmd) {
        try {
            return switch (cmd.method()) {
                case SUBSCRIBE -> subscribe(cmd);
                case UNSUBSCRIBE -> unsubscribe(cmd);
                case PUBLISH -> publish(cmd);
                case PRESENCE -> presence(cmd);
                case PRESENCE_STATS -> presenceStats(cmd);
                case HISTORY -> history(cmd);
                case RPC -> rpc(cmd);
                case REFRESH -> refresh(cmd);
                case SUB_REFRESH -> subRefresh(cmd);
                default -> CompletableFuture.failedFuture(ProtocolError.METHOD_NOT_FOUND);
            };
        } catch (RuntimeException e) {
            // Includes application hooks that throw instead of returning a failed stage: the
            // command fails (100 unless it is a ProtocolError), the connection stays.
            return CompletableFuture.failedFuture(e);
        }
    }

    private String channel(Command cmd) {
        String ch = cmd.text("channel");
        if (ch.isEmpty() || !node.options().channelRules().isValidName(ch)) {
            throw ProtocolError.BAD_REQUEST;
        }
        return ch;
    }

    /** The delta type a subscribe asks for: empty or one the node knows (else 107, as Centrifugo refuses it). */
    private static String deltaType(Command cmd) {
        String delta = cmd.text("delta");
        if (!delta.isEmpty() && !delta.equals(ChannelOptions.DELTA_FOSSIL)) {
            throw ProtocolError.BAD_REQUEST.withMessage("unknown delta type");
        }
        return delta;
    }

    private ChannelOptions options(String channel) {
        return node.options().channelRules().optionsFor(channel).orElseThrow(() -> ProtocolError.UNKNOWN_CHANNEL);
    }

    // ---- subscribe / unsubscribe ----

    private CompletionStage<byte[]> subscribe(Command cmd) {
        String channel = channel(cmd);
        CommandTypes.requireStreamSubscribe(cmd);
        ChannelOptions opts = options(channel);
        String token = cmd.text("token");
        JsonNode data = cmd.json("data");
        SubscribeParams params = new SubscribeParams(
                cmd.flag("recover"),
                cmd.text("epoch"),
                cmd.number("offset", 0),
                cmd.flag("recoverable"),
                cmd.flag("positioned"),
                cmd.flag("join_leave"),
                (cmd.number("flag", 0) & SubscribeParams.FLAG_REJECT_UNRECOVERED) != 0,
                deltaType(cmd));
        CompletionStage<SubscribeDecision> decision;
        if (!token.isEmpty()) {
            SubscriptionToken claims = verifySubscriptionToken(token, channel);
            decision = CompletableFuture.completedFuture(
                    SubscribeDecision.allowWithInfo(claims.info()).withExpireAt(claims.expireAt(), false));
        } else {
            boolean byRules = allowedByRules(channel, opts);
            if (node.subscribeHandler() != null) {
                decision = node.subscribeHandler()
                        .onSubscribe(new SubscribeRequest(
                                client.info(),
                                channel,
                                data == null ? null : ProtocolCodec.toBytes(data),
                                byRules,
                                client.transport.name(),
                                client.transport.headers(),
                                client.backend.emulatedHeaders(),
                                client.backend.meta()));
            } else {
                decision = CompletableFuture.completedFuture(
                        byRules ? SubscribeDecision.allow() : SubscribeDecision.deny(ProtocolError.PERMISSION_DENIED));
            }
        }
        return decision.thenCompose(d -> {
                    if (d.error() != null) {
                        throw d.error();
                    }
                    ClientInfo subInfo = client.info().withChanInfo(d.chanInfo());
                    return subscriptions.prepare(channel, opts, params, subInfo, d);
                })
                .thenApply(p -> {
                    long now = node.clock().millis() / 1000;
                    subscriptions.commit(
                            List.of(p), ProtocolCodec.reply(cmd.id(), "subscribe", g -> p.writeResult(g, now)));
                    return null;
                });
    }

    private boolean allowedByRules(String channel, ChannelOptions opts) {
        String user = client.userId();
        if (opts.allowUserLimitedChannels() && ChannelRules.isUserLimited(channel)) {
            return ChannelRules.userAllowed(channel, user);
        }
        return opts.allowSubscribeForClient() && (!user.isEmpty() || opts.allowSubscribeForAnonymous());
    }

    private SubscriptionToken verifySubscriptionToken(String token, String channel) {
        SubscriptionToken claims;
        try {
            claims = node.tokenVerifier().verifySubscriptionToken(token);
        } catch (TokenException e) {
            if (e.reason() == TokenException.Reason.EXPIRED) {
                throw ProtocolError.TOKEN_EXPIRED;
            }
            throw new DisconnectException(Disconnect.INVALID_TOKEN);
        }
        // A token issued for someone else or another channel is treated as invalid, as Centrifugo does.
        if (!claims.channel().equals(channel) || !claims.userId().equals(client.userId())) {
            throw new DisconnectException(Disconnect.INVALID_TOKEN);
        }
        return claims;
    }

    private CompletionStage<byte[]> unsubscribe(Command cmd) {
        String channel = channel(cmd);
        subscriptions.unsubscribe(channel, 0, "");
        return CompletableFuture.completedFuture(ProtocolCodec.reply(cmd.id(), "unsubscribe", null));
    }

    // ---- publish / presence / history ----

    private CompletionStage<byte[]> publish(Command cmd) {
        String channel = channel(cmd);
        CommandTypes.requireStreamPublish(cmd);
        ChannelOptions opts = options(channel);
        JsonNode data = cmd.json("data");
        if (data == null) {
            throw ProtocolError.BAD_REQUEST;
        }
        byte[] payload = ProtocolCodec.toBytes(data);
        ClientSubscription sub = subscriptions.get(channel);
        boolean byRules =
                opts.allowPublishForClient() || (opts.allowPublishForSubscriber() && sub != null && !sub.subscribing);
        ClientInfo info = sub != null ? sub.info : client.info();
        CompletionStage<PublishDecision> decision = node.publishHandler() != null
                ? node.publishHandler()
                        .onPublish(new PublishRequest(
                                info,
                                channel,
                                payload,
                                byRules,
                                client.transport.name(),
                                client.transport.headers(),
                                client.backend.emulatedHeaders(),
                                client.backend.meta()))
                : CompletableFuture.completedFuture(
                        byRules ? PublishDecision.allow() : PublishDecision.deny(ProtocolError.PERMISSION_DENIED));
        return decision.thenCompose(d -> {
                    if (d.error() != null) {
                        throw d.error();
                    }
                    byte[] out = d.data() != null ? d.data() : payload;
                    return node.publish(
                            channel,
                            out,
                            PublishParams.builder()
                                    .info(info)
                                    .skipHistory(d.skipHistory())
                                    .build());
                })
                .thenApply(pos -> ProtocolCodec.reply(cmd.id(), "publish", null));
    }

    private void checkRead(String channel, boolean forSubscriber, boolean forClient) {
        if (!(forClient || (forSubscriber && subscriptions.isSubscribed(channel)))) {
            throw ProtocolError.PERMISSION_DENIED;
        }
    }

    private CompletionStage<byte[]> presence(Command cmd) {
        String channel = channel(cmd);
        ChannelOptions opts = options(channel);
        if (!opts.presence()) {
            throw ProtocolError.NOT_AVAILABLE;
        }
        checkRead(channel, opts.allowPresenceForSubscriber(), opts.allowPresenceForClient());
        return node.presence(channel)
                .thenApply(map -> ProtocolCodec.reply(cmd.id(), "presence", g -> {
                    g.writeObjectFieldStart("presence");
                    for (Map.Entry<String, ClientInfo> e : map.entrySet()) {
                        ProtocolCodec.writeInfoField(g, e.getKey(), e.getValue());
                    }
                    g.writeEndObject();
                }));
    }

    private CompletionStage<byte[]> presenceStats(Command cmd) {
        String channel = channel(cmd);
        ChannelOptions opts = options(channel);
        if (!opts.presence()) {
            throw ProtocolError.NOT_AVAILABLE;
        }
        checkRead(channel, opts.allowPresenceForSubscriber(), opts.allowPresenceForClient());
        return node.presenceStats(channel)
                .thenApply(s -> ProtocolCodec.reply(cmd.id(), "presence_stats", g -> {
                    g.writeNumberField("num_clients", s.numClients());
                    g.writeNumberField("num_users", s.numUsers());
                }));
    }

    private CompletionStage<byte[]> history(Command cmd) {
        String channel = channel(cmd);
        ChannelOptions opts = options(channel);
        if (!opts.historyEnabled()) {
            throw ProtocolError.NOT_AVAILABLE;
        }
        checkRead(channel, opts.allowHistoryForSubscriber(), opts.allowHistoryForClient());
        long limit = cmd.number("limit", 0);
        JsonNode since = cmd.json("since");
        StreamPosition sp = since == null || !since.isObject()
                ? null
                : new StreamPosition(
                        since.path("offset").asLong(0), since.path("epoch").asText(""));
        HistoryFilter filter = new HistoryFilter(
                sp, limit < 0 ? HistoryFilter.NO_LIMIT : (int) Math.min(limit, Integer.MAX_VALUE), cmd.flag("reverse"));
        return node.history(channel, filter)
                .thenApply(h -> ProtocolCodec.reply(cmd.id(), "history", g -> ProtocolCodec.writeHistoryFields(g, h)));
    }

    // ---- rpc / send ----

    private CompletionStage<byte[]> rpc(Command cmd) {
        String method = cmd.text("method");
        RpcHandler handler = node.rpcHandler(method);
        if (handler == null) {
            // 108, as Centrifugo answers an rpc it has no handler (proxy) for: centrifuge-js and the
            // other SDKs surface this code to the caller, so it must be the one they see there.
            throw ProtocolError.NOT_AVAILABLE;
        }
        JsonNode data = cmd.json("data");
        return handler.handle(new RpcRequest(
                        client.info(),
                        method,
                        data == null ? null : ProtocolCodec.toBytes(data),
                        client.transport.name(),
                        client.transport.headers(),
                        client.backend.emulatedHeaders(),
                        client.backend.meta()))
                .thenApply(
                        result -> ProtocolCodec.reply(cmd.id(), "rpc", g -> ProtocolCodec.writeRaw(g, "data", result)));
    }

    void send(Command cmd) {
        if (node.invocations().handleClientSend(client, cmd.json("data"))) {
            return;
        }
        SendHandler handler = node.sendHandler();
        if (handler == null) {
            throw new DisconnectException(Disconnect.NOT_AVAILABLE);
        }
        JsonNode data = cmd.json("data");
        try {
            handler.onSend(client.info(), data == null ? null : ProtocolCodec.toBytes(data));
        } catch (RuntimeException e) {
            // The client gets no reply to send; a failing handler is the app's problem, not a reason to drop it.
            org.slf4j.LoggerFactory.getLogger(Commands.class).warn("send handler failed", e);
        }
    }

    // ---- token refresh ----

    private CompletionStage<byte[]> refresh(Command cmd) {
        String token = cmd.text("token");
        if (token.isEmpty()) {
            throw ProtocolError.BAD_REQUEST;
        }
        ConnectToken claims;
        try {
            claims = node.tokenVerifier().verifyConnectToken(token);
        } catch (TokenException e) {
            if (e.reason() == TokenException.Reason.EXPIRED) {
                throw ProtocolError.TOKEN_EXPIRED;
            }
            throw new DisconnectException(Disconnect.INVALID_TOKEN);
        }
        if (!claims.userId().equals(client.userId())) {
            throw new DisconnectException(Disconnect.INVALID_TOKEN);
        }
        client.expireAt(claims.expireAt());
        long now = node.clock().millis() / 1000;
        return CompletableFuture.completedFuture(ProtocolCodec.reply(cmd.id(), "refresh", g -> {
            g.writeStringField("client", client.id());
            g.writeStringField("version", node.options().version());
            if (claims.expireAt() > 0) {
                g.writeBooleanField("expires", true);
                g.writeNumberField("ttl", Math.max(0, claims.expireAt() - now));
            }
        }));
    }

    private CompletionStage<byte[]> subRefresh(Command cmd) {
        String channel = channel(cmd);
        String token = cmd.text("token");
        if (token.isEmpty()) {
            throw ProtocolError.BAD_REQUEST;
        }
        SubscriptionToken claims = verifySubscriptionToken(token, channel);
        synchronized (client) {
            ClientSubscription sub = client.subs.get(channel);
            if (sub == null) {
                throw ProtocolError.PERMISSION_DENIED;
            }
            sub.expireAt = claims.expireAt();
        }
        long now = node.clock().millis() / 1000;
        return CompletableFuture.completedFuture(ProtocolCodec.reply(cmd.id(), "sub_refresh", g -> {
            if (claims.expireAt() > 0) {
                g.writeBooleanField("expires", true);
                g.writeNumberField("ttl", Math.max(0, claims.expireAt() - now));
            }
        }));
    }
}
