package dev.switchboard.core.node;

import dev.switchboard.core.channel.ChannelOptions;
import dev.switchboard.core.channel.RecoveryMode;
import dev.switchboard.core.engine.ClientInfo;
import dev.switchboard.core.engine.HistoryFilter;
import dev.switchboard.core.engine.StreamPosition;
import dev.switchboard.core.hook.SubRefreshHandler;
import dev.switchboard.core.hook.SubscribeDecision;
import dev.switchboard.core.protocol.Disconnect;
import dev.switchboard.core.protocol.ProtocolCodec;
import dev.switchboard.core.protocol.ProtocolError;
import dev.switchboard.core.protocol.ProtocolFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A client's subscriptions: registering one (with recovery), committing its reply, checking
 * offsets on delivery and ending one.
 */
final class Subscriptions {

    /** Unsubscribe push code: the server ended the subscription. */
    static final int UNSUBSCRIBE_SERVER = 2000;
    /** Unsubscribe push code: the stream had a hole; SDKs resubscribe and recover. */
    static final int UNSUBSCRIBE_INSUFFICIENT_STATE = 2500;

    private final Client client;

    Subscriptions(Client client) {
        this.client = client;
    }

    /**
     * Registers a subscription and reads its position or missed publications. Publications that
     * arrive meanwhile are buffered until {@link #commit}.
     */
    CompletableFuture<PreparedSubscription> prepare(
            String channel,
            ChannelOptions opts,
            SubscribeParams p,
            boolean serverSide,
            ClientInfo subInfo,
            long subExpireAt,
            byte[] replyData) {
        return prepare(channel, opts, p, serverSide, subInfo, subExpireAt, false, replyData);
    }

    /**
     * A client-side subscription as its {@link SubscribeDecision} says: expiry, how it is
     * refreshed, reply data and per-subscription overrides of the channel's options.
     */
    CompletableFuture<PreparedSubscription> prepare(
            String channel, ChannelOptions opts, SubscribeParams p, ClientInfo subInfo, SubscribeDecision d) {
        if (d.expireAt() > 0 && Client.isPast(d.expireAt(), client.node.clock().millis(), 0)) {
            return CompletableFuture.failedFuture(ProtocolError.TOKEN_EXPIRED);
        }
        ChannelOptions effective;
        try {
            effective = SubscribeOverrides.applyOrRefuse(opts, d.override());
        } catch (ProtocolError e) {
            return CompletableFuture.failedFuture(e);
        }
        boolean serverRefresh = d.serverSideRefresh() && client.node.subRefreshHandler() != null;
        return prepare(channel, effective, p, false, subInfo, d.expireAt(), serverRefresh, d.data());
    }

    private CompletableFuture<PreparedSubscription> prepare(
            String channel,
            ChannelOptions opts,
            SubscribeParams p,
            boolean serverSide,
            ClientInfo subInfo,
            long subExpireAt,
            boolean serverRefresh,
            byte[] replyData) {
        boolean history = opts.historyEnabled();
        boolean recoverable = history && (opts.forceRecovery() || (opts.allowRecovery() && p.recoverable()));
        boolean positioned =
                history && (recoverable || opts.forcePositioning() || (opts.allowPositioning() && p.positioned()));
        boolean joinLeave = opts.joinLeave() && (p.joinLeave() || opts.forcePushJoinLeave());
        ClientSubscription sub = new ClientSubscription(
                channel, opts, serverSide, recoverable, positioned, joinLeave, subInfo, subExpireAt);
        sub.serverRefresh = serverRefresh;
        sub.delta = !p.delta().isEmpty() && opts.allowedDeltaTypes().contains(p.delta());
        sub.deltaAsText = sub.delta && client.format() == ProtocolFormat.JSON;
        synchronized (client) {
            if (client.isClosed()) {
                return CompletableFuture.failedFuture(new DisconnectException(Disconnect.CONNECTION_CLOSED));
            }
            if (client.subs.containsKey(channel)) {
                return CompletableFuture.failedFuture(ProtocolError.ALREADY_SUBSCRIBED);
            }
            if (client.subs.size() >= client.node.options().clientChannelLimit()) {
                return CompletableFuture.failedFuture(ProtocolError.LIMIT_EXCEEDED);
            }
            client.subs.put(channel, sub);
        }
        Node node = client.node;
        CompletableFuture<PreparedSubscription> f = node.addSubscriber(channel, client)
                .thenCompose(v -> opts.presence()
                        ? node.presenceManager()
                                .addPresence(channel, subInfo, node.options().presenceTtl())
                        : CompletableFuture.completedFuture(null))
                .thenCompose(v -> read(sub, p, replyData));
        return f.whenComplete((r, err) -> {
            if (err != null) {
                remove(sub);
            }
        });
    }

    private CompletableFuture<PreparedSubscription> read(ClientSubscription sub, SubscribeParams p, byte[] data) {
        Node node = client.node;
        if (!sub.positioned) {
            return CompletableFuture.completedFuture(
                    new PreparedSubscription(sub, false, false, List.of(), null, data));
        }
        ChannelOptions opts = sub.options;
        boolean cacheMode = opts.recoveryMode() == RecoveryMode.CACHE;
        if (sub.recoverable && cacheMode && (p.recover() || opts.autoCacheRecover())) {
            // Only the newest publication matters: one reverse read of one entry, however long
            // the history is (XREVRANGE COUNT 1 on Redis).
            HistoryFilter newest = new HistoryFilter(null, 1, true, opts.historyMetaTtl());
            return node.broker().history(sub.channel, newest).thenApply(h -> {
                Recovery.Outcome o = Recovery.cache(p.epoch(), p.offset(), client.maxReplyBytes(), h);
                node.metrics().recovery(o.recovered());
                return new PreparedSubscription(sub, true, o.recovered(), o.publications(), o.position(), data);
            });
        }
        if (sub.recoverable && p.recover()) {
            int max = opts.recoveryMaxPublicationLimit() > 0 ? opts.recoveryMaxPublicationLimit() : opts.historySize();
            HistoryFilter filter =
                    new HistoryFilter(new StreamPosition(p.offset(), p.epoch()), max + 1, false, opts.historyMetaTtl());
            return node.broker().history(sub.channel, filter).thenApply(h -> {
                Recovery.Outcome o = Recovery.apply(p.epoch(), p.offset(), max, client.maxReplyBytes(), h);
                node.metrics().recovery(o.recovered());
                if (!o.recovered() && p.rejectUnrecovered()) {
                    // The client asked to be refused rather than continue past a hole; the
                    // failed future removes the registration, as any failed subscribe does.
                    throw ProtocolError.UNRECOVERABLE_POSITION;
                }
                return new PreparedSubscription(sub, true, o.recovered(), o.publications(), o.position(), data);
            });
        }
        return node.broker()
                .history(sub.channel, HistoryFilter.POSITION_ONLY.withMetaTtl(sub.options.historyMetaTtl()))
                .thenApply(h -> new PreparedSubscription(sub, false, false, List.of(), h.position(), data));
    }

    /**
     * Writes the reply that completes the given subscriptions, then what they buffered after
     * the reply's position, then lets live delivery through. All under the client's lock so
     * nothing slips between.
     */
    void commit(List<PreparedSubscription> prepared, byte[] reply) {
        List<ClientSubscription> joined = new ArrayList<>(prepared.size());
        List<String> committed = new ArrayList<>(prepared.size());
        synchronized (client) {
            if (client.isClosed()) {
                return;
            }
            // Positions first, then the reply: a transport that writes the client's positions
            // beside each message (uni SSE event ids) must see the reply's.
            List<PreparedSubscription> live = new ArrayList<>(prepared.size());
            for (PreparedSubscription p : prepared) {
                ClientSubscription sub = p.sub;
                if (client.subs.get(sub.channel) != sub) {
                    continue;
                }
                live.add(p);
                sub.subscribing = false;
                committed.add(sub.channel);
                sub.offset = p.replyTop();
                sub.epoch = p.position == null ? "" : p.position.epoch();
                // Recovered publications give the subscriber a base for deltas; a bare position does not.
                sub.deltaReady = sub.delta && !p.publications.isEmpty();
            }
            client.write(reply);
            for (PreparedSubscription p : live) {
                ClientSubscription sub = p.sub;
                List<ClientSubscription.Buffered> buffered = sub.buffer;
                sub.buffer = List.of();
                for (ClientSubscription.Buffered b : buffered) {
                    if (accept(sub, b.offset())) {
                        client.writeEncoded(b.push());
                        sub.deltaReady = sub.delta;
                    }
                }
                if (sub.options.joinLeave()) {
                    joined.add(sub);
                }
            }
        }
        for (ClientSubscription sub : joined) {
            client.node.broker().publishJoin(sub.channel, sub.info);
        }
        for (String channel : committed) {
            client.node.lifecycle().subscription(client.node.entryOf(client), channel, true);
        }
    }

    /**
     * Decides whether a publication at {@code offset} goes out, advancing the subscriber's
     * position. Duplicates are dropped; a hole ends the subscription with insufficient state.
     * Called under the client's lock.
     */
    boolean accept(ClientSubscription sub, long offset) {
        if (!sub.tracksOffsets() || offset == 0) {
            return true;
        }
        if (offset <= sub.offset) {
            return false;
        }
        if (offset != sub.offset + 1) {
            client.node.metrics().insufficientState();
            // Ending the subscription touches node-wide locks: do it off the delivery path.
            client.node.executor().execute(() -> insufficientState(sub));
            sub.offset = Long.MAX_VALUE;
            return false;
        }
        sub.offset = offset;
        return true;
    }

    /** The engine lost part of a channel's stream: positioned subscribers must recover. */
    void insufficientState(String channel) {
        ClientSubscription sub = get(channel);
        if (sub != null && sub.tracksOffsets()) {
            client.node.metrics().insufficientState();
            insufficientState(sub);
        }
    }

    private void insufficientState(ClientSubscription sub) {
        if (sub.serverSide) {
            client.close(Disconnect.INSUFFICIENT_STATE);
        } else {
            unsubscribe(sub.channel, UNSUBSCRIBE_INSUFFICIENT_STATE, "insufficient state");
        }
    }

    /**
     * Ends a subscription.
     *
     * @param pushCode when {@code > 0}, an unsubscribe push with this code tells the client
     * @return true when the client was subscribed
     */
    boolean unsubscribe(String channel, int pushCode, String reason) {
        ClientSubscription sub;
        synchronized (client) {
            sub = client.subs.remove(channel);
            if (sub != null && pushCode > 0) {
                client.write(ProtocolCodec.unsubscribePush(channel, pushCode, reason));
            }
        }
        if (sub != null) {
            afterRemoved(sub);
            if (!sub.subscribing) {
                // Only a subscription its client was told of ends with an event. A disconnect
                // ends them all with its own event, not one per channel.
                client.node.lifecycle().subscription(client.node.entryOf(client), channel, false);
            }
        }
        return sub != null;
    }

    /** Releases what a removed subscription held: hub entry, presence, and tells others it left. */
    void afterRemoved(ClientSubscription sub) {
        Node node = client.node;
        node.removeSubscriber(sub.channel, client);
        if (sub.options.presence()) {
            node.presenceManager().removePresence(sub.channel, client.id(), client.userId());
        }
        if (sub.options.joinLeave() && !sub.subscribing) {
            node.broker().publishLeave(sub.channel, sub.info);
        }
    }

    private void remove(ClientSubscription sub) {
        boolean removed;
        synchronized (client) {
            removed = client.subs.remove(sub.channel, sub);
        }
        if (removed) {
            afterRemoved(sub);
        }
    }

    ClientSubscription get(String channel) {
        synchronized (client) {
            return client.subs.get(channel);
        }
    }

    boolean isSubscribed(String channel) {
        ClientSubscription s = get(channel);
        return s != null && !s.subscribing;
    }

    /**
     * True when a subscription refreshed by the client is past its expiry and the grace; those
     * refreshed server side whose expiry came are handed to {@code refresher} instead.
     */
    boolean anyExpired(long nowMillis, long graceMillis, ServerRefresh refresher) {
        SubRefreshHandler handler = client.node.subRefreshHandler();
        List<ClientSubscription> due = List.of();
        synchronized (client) {
            for (ClientSubscription s : client.subs.values()) {
                if (s.serverRefresh && handler != null) {
                    if (!s.refreshing && Client.isPast(s.expireAt, nowMillis, 0)) {
                        due = due.isEmpty() ? new ArrayList<>(1) : due;
                        due.add(s);
                    }
                } else if (Client.isPast(s.expireAt, nowMillis, graceMillis)) {
                    return true;
                }
            }
        }
        for (ClientSubscription s : due) {
            refresher.subExpiryCame(handler, s);
        }
        return false;
    }

    /** Presence refresh: re-adds this client's entries so they do not expire while it is here. */
    void refreshPresence() {
        List<ClientSubscription> withPresence = new ArrayList<>();
        synchronized (client) {
            for (ClientSubscription s : client.subs.values()) {
                if (s.options.presence() && !s.subscribing) {
                    withPresence.add(s);
                }
            }
        }
        for (ClientSubscription s : withPresence) {
            client.node
                    .presenceManager()
                    .addPresence(s.channel, s.info, client.node.options().presenceTtl());
        }
    }
}
