package dev.switchboard.core.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.auth.ConnectToken;
import dev.switchboard.core.auth.TokenException;
import dev.switchboard.core.channel.ChannelOptions;
import dev.switchboard.core.engine.ClientInfo;
import dev.switchboard.core.hook.ConnectDecision;
import dev.switchboard.core.hook.ConnectHandler;
import dev.switchboard.core.hook.ConnectRequest;
import dev.switchboard.core.hook.SubscribeOptions;
import dev.switchboard.core.protocol.Command;
import dev.switchboard.core.protocol.Disconnect;
import dev.switchboard.core.protocol.ProtocolCodec;
import dev.switchboard.core.protocol.ProtocolError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a client's {@code connect}: authentication, the connect hook, limits and server-side subscriptions. */
final class Connector {

    private static final Logger log = LoggerFactory.getLogger(Connector.class);

    private final Client client;
    private final Subscriptions subscriptions;
    private final Node node;

    Connector(Client client, Subscriptions subscriptions) {
        this.client = client;
        this.subscriptions = subscriptions;
        this.node = client.node;
    }

    /** How a server-side subscription resumes from the client's {@link Client#resumeFrom} id, if any. */
    private SubscribeParams resumeParams(String channel) {
        ResumeId resume = client.resume;
        if (resume == null) {
            return SubscribeParams.NONE;
        }
        ResumeId.Lookup l = resume.lookup(channel);
        return switch (l.outcome()) {
            case ABSENT -> SubscribeParams.NONE;
            case UNKNOWN -> new SubscribeParams(true, ResumeId.NO_EPOCH, 0, false, false, false, false, "");
            case FOUND ->
                new SubscribeParams(true, l.position().epoch(), l.position().offset(), false, false, false, false, "");
        };
    }

    /** Completes with {@code null}: the connect reply is written by {@link Subscriptions#commit}. */
    CompletionStage<byte[]> connect(Command cmd) {
        // Decoded first: a malformed map refuses this connect with 107 before any token or hook.
        try {
            client.backend.emulatedHeaders(ProtocolCodec.emulatedHeaders(cmd.json("headers")));
        } catch (ProtocolError e) {
            return Client.failed(e);
        }
        String token = cmd.text("token");
        ConnectToken claims = null;
        if (!token.isEmpty()) {
            try {
                claims = node.tokenVerifier().verifyConnectToken(token);
            } catch (TokenException e) {
                log.debug("client {}: connect token refused: {}", client.id(), e.getMessage());
                return e.reason() == TokenException.Reason.EXPIRED
                        ? Client.failed(ProtocolError.TOKEN_EXPIRED)
                        : Client.failed(new DisconnectException(Disconnect.INVALID_TOKEN));
            }
        }
        JsonNode data = cmd.json("data");
        ConnectHandler handler = node.connectHandler();
        ConnectToken verified = claims;
        CompletionStage<ConnectDecision> decision;
        if (handler == null) {
            decision = CompletableFuture.completedFuture(null);
        } else {
            ConnectRequest request = new ConnectRequest(
                    client.id(),
                    claims == null ? "" : claims.userId(),
                    claims != null,
                    data == null ? null : ProtocolCodec.toBytes(data),
                    cmd.text("name"),
                    cmd.text("version"),
                    client.transport.name(),
                    client.transport.headers(),
                    client.backend.emulatedHeaders());
            try {
                decision = handler.onConnect(request);
            } catch (RuntimeException e) {
                // A hook that throws instead of failing its stage refuses this connect only.
                decision = CompletableFuture.failedFuture(e);
            }
            if (decision == null) {
                decision = CompletableFuture.failedFuture(new IllegalStateException("connect hook returned null"));
            }
        }
        return decision.thenCompose(d -> finish(cmd, verified, d));
    }

    private CompletionStage<byte[]> finish(Command cmd, ConnectToken claims, ConnectDecision d) {
        if (d != null && d.disconnect() != null) {
            throw new DisconnectException(d.disconnect());
        }
        if (d != null && d.error() != null) {
            throw d.error();
        }
        boolean authenticated = claims != null || (d != null && d.userId() != null);
        if (!authenticated && !node.options().allowAnonymous() && node.connectHandler() == null) {
            // Reply first so SDKs report "unauthorized" to the app, then close the socket.
            client.write(ProtocolCodec.error(cmd.id(), ProtocolError.UNAUTHORIZED));
            throw new DisconnectException(Disconnect.PERMISSION_DENIED);
        }
        String user = d != null && d.userId() != null ? d.userId() : claims != null ? claims.userId() : "";
        byte[] connInfo = d != null && d.info() != null ? d.info() : claims != null ? claims.info() : null;
        long exp = d != null && d.expireAt() > 0 ? d.expireAt() : claims != null ? claims.expireAt() : 0;
        if (d != null && d.expireAt() > 0 && d.expireAt() <= node.clock().millis() / 1000) {
            // An expiry already past, as a token's: SDKs answer 109 by getting new credentials.
            throw ProtocolError.TOKEN_EXPIRED;
        }
        // With a refresh handler the node refreshes itself (server-side refresh, as Centrifugo
        // with its refresh proxy): the reply tells the SDK nothing expires, so it never asks.
        boolean clientSideRefresh = node.refreshHandler() == null;
        int limit = node.options().userConnectionLimit();
        if (limit > 0 && !user.isEmpty() && node.userConnectionCount(user) >= limit) {
            throw new DisconnectException(Disconnect.CONNECTION_LIMIT);
        }
        // Channels and their options are settled before the client is registered, so a wrong
        // override in the hook's answer is a plain connect error, not a registered client to undo.
        Map<String, ServerSub> serverSubs = serverSubscriptions(claims, d);
        ClientInfo info = new ClientInfo(client.id(), user, connInfo, null);
        String routingKey =
                d != null && d.routingKey() != null ? d.routingKey() : claims != null ? claims.routingKey() : null;
        // The hook's meta wins over the token's claim, as its info does.
        byte[] meta = d != null && d.meta() != null ? d.meta() : claims != null ? claims.meta() : null;
        if (meta != null) {
            client.backend.meta(meta);
        }
        client.becomeConnected(user, info, exp, routingKey);
        node.addClient(client);

        JsonNode subsReq = cmd.json("subs");
        List<CompletableFuture<PreparedSubscription>> prepared = new ArrayList<>();
        serverSubs.forEach((ch, s) -> {
            JsonNode r = subsReq == null ? null : subsReq.get(ch);
            SubscribeParams p = r == null || !r.isObject()
                    ? resumeParams(ch)
                    : new SubscribeParams(
                            r.path("recover").asBoolean(false),
                            r.path("epoch").asText(""),
                            r.path("offset").asLong(0),
                            false,
                            false,
                            false,
                            false,
                            "");
            ClientInfo subInfo =
                    s.with().info() == null ? info : info.withChanInfo(s.with().info());
            prepared.add(subscriptions.prepare(
                    ch, s.options(), p, true, subInfo, 0, s.with().data()));
        });
        byte[] replyData = d == null ? null : d.data();
        return CompletableFuture.allOf(prepared.toArray(CompletableFuture[]::new))
                .thenApply(v -> {
                    List<PreparedSubscription> ps = new ArrayList<>(prepared.size());
                    prepared.forEach(f -> ps.add(f.join()));
                    long now = node.clock().millis() / 1000;
                    byte[] reply = ProtocolCodec.reply(cmd.id(), "connect", g -> {
                        g.writeStringField("client", client.id());
                        g.writeStringField("version", node.options().version());
                        if (exp > 0 && clientSideRefresh) {
                            g.writeBooleanField("expires", true);
                            g.writeNumberField("ttl", Math.max(0, exp - now));
                        }
                        ProtocolCodec.writeRaw(g, "data", replyData);
                        if (!ps.isEmpty()) {
                            g.writeObjectFieldStart("subs");
                            for (PreparedSubscription p : ps) {
                                g.writeObjectFieldStart(p.sub.channel);
                                p.writeResult(g, now);
                                g.writeEndObject();
                            }
                            g.writeEndObject();
                        }
                        g.writeNumberField(
                                "ping",
                                Math.max(1, node.options().pingInterval().toSeconds()));
                        if (!client.isUnidirectional()) {
                            // A unidirectional client cannot answer pings, and none is awaited.
                            g.writeBooleanField("pong", true);
                        }
                        g.writeStringField("node", node.options().id());
                        if (client.session() != null) {
                            // HTTP-streaming and SSE clients name it in their /emulation requests.
                            g.writeStringField("session", client.session());
                        }
                    });
                    subscriptions.commit(ps, reply);
                    node.metrics().connected();
                    return null;
                });
    }

    /** A server-side channel: its options with the hook's overrides applied, and what the hook gave. */
    private record ServerSub(ChannelOptions options, SubscribeOptions with) {}

    /**
     * The node's server-side channels, the token's, the hook's {@code channels} and then its
     * {@code subs} (whose options win for a channel named twice, as Centrifugo's connect proxy
     * reads {@code subs} last). An invalid channel or one of no namespace is skipped with a
     * warning; an override the channel cannot take refuses the connect with error 100.
     */
    private Map<String, ServerSub> serverSubscriptions(ConnectToken claims, ConnectDecision d) {
        Map<String, SubscribeOptions> wanted = new LinkedHashMap<>();
        node.options().serverSideChannels().forEach(ch -> wanted.put(ch, SubscribeOptions.DEFAULT));
        if (claims != null) {
            claims.channels().forEach(ch -> wanted.put(ch, SubscribeOptions.DEFAULT));
        }
        if (d != null) {
            d.channels().forEach(ch -> wanted.put(ch, SubscribeOptions.DEFAULT));
            wanted.putAll(d.subs());
        }
        Map<String, ServerSub> out = new LinkedHashMap<>();
        wanted.forEach((ch, with) -> {
            Optional<ChannelOptions> opts = node.options().channelRules().isValidName(ch)
                    ? node.options().channelRules().optionsFor(ch)
                    : Optional.empty();
            if (opts.isEmpty()) {
                log.warn(
                        "client {}: server-side channel {} is invalid or in an unknown namespace, skipped",
                        client.id(),
                        ch);
                return;
            }
            out.put(ch, new ServerSub(SubscribeOverrides.applyOrRefuse(opts.get(), with.override()), with));
        });
        return out;
    }
}
