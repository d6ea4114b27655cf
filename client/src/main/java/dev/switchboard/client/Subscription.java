package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.wire.WireCodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;

/**
 * A client-side subscription to one channel, with automatic recovery.
 *
 * <pre>{@code
 * Subscription sub = client.newSubscription("orders:eu", SubscriptionOptions.builder().joinLeave(true).build())
 *     .onSubscribed(ev -> {
 *         if (ev.wasRecovering() && !ev.recovered()) {
 *             reloadOrders();             // some publications were lost for good
 *         }
 *     })
 *     .onPublication(pub -> apply(pub.json()))
 *     .onJoin(who -> log.info("{} joined", who.user()));
 * sub.subscribe();
 * }</pre>
 *
 * <p><b>Recovery.</b> The subscription remembers the stream position (epoch and offset) from the
 * subscribe reply and from every publication. When it resubscribes — after a reconnect, or when
 * the server pushes {@code unsubscribe} with a code of 2500 or more (e.g. 2500 insufficient
 * state) — it sends {@code recover: true} with that position, provided the server said the
 * channel is recoverable. The server then returns exactly the missed publications
 * ({@link SubscribedEvent#recovered()} {@code true}), which are delivered in order right after
 * {@code onSubscribed}, or none ({@code recovered} {@code false}).
 *
 * <p><b>Threads.</b> All methods are thread-safe. Listeners run on the client's event thread, one
 * event at a time, in order; they must not block (hand work to your own executor).
 */
public final class Subscription {

    private final SwitchboardClient client;
    private final ClientCore core;
    private final String channel;
    private final SubscriptionOptions options;
    private final List<Consumer<Publication>> publicationListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<SubscribedEvent>> subscribedListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<SubscriptionStateEvent>> stateListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<ClientInfo>> joinListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<ClientInfo>> leaveListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<SwitchboardException>> errorListeners = new CopyOnWriteArrayList<>();
    private volatile SubscriptionState state = SubscriptionState.UNSUBSCRIBED;
    private volatile StreamPosition position;

    // Event-thread state.
    private long offset;
    private String epoch = "";
    private boolean recover;
    private String token;
    private Call inflight;
    private boolean fetchingToken;
    private int attempts;
    private ScheduledFuture<?> retryTask;
    private final SubscriptionTokens tokens;
    private SubscribedEvent last;
    private final List<CompletableFuture<SubscribedEvent>> waiters = new ArrayList<>();

    Subscription(SwitchboardClient client, ClientCore core, String channel, SubscriptionOptions options) {
        this.client = client;
        this.core = core;
        this.channel = channel;
        this.options = options;
        this.token = options.token().orElse(null);
        this.tokens = new SubscriptionTokens(this, core);
        options.since().ifPresent(p -> {
            offset = p.offset();
            epoch = p.epoch();
            recover = true;
            position = p;
        });
    }

    /** The channel. */
    public String channel() {
        return channel;
    }

    /** The options it was created with. */
    public SubscriptionOptions options() {
        return options;
    }

    /** The current state. */
    public SubscriptionState state() {
        return state;
    }

    /** The last known stream position (from the subscribe reply and publications); empty when unknown. */
    public Optional<StreamPosition> position() {
        return Optional.ofNullable(position);
    }

    /** Called for each publication, in offset order, while subscribed. */
    public Subscription onPublication(Consumer<Publication> l) {
        publicationListeners.add(l);
        return this;
    }

    /** Called each time the subscription becomes subscribed (first time and after every resubscribe). */
    public Subscription onSubscribed(Consumer<SubscribedEvent> l) {
        subscribedListeners.add(l);
        return this;
    }

    /** Called on every state change. */
    public Subscription onStateChange(Consumer<SubscriptionStateEvent> l) {
        stateListeners.add(l);
        return this;
    }

    /** Called when a client joins the channel (needs {@link SubscriptionOptions#joinLeave()} or a forcing namespace). */
    public Subscription onJoin(Consumer<ClientInfo> l) {
        joinListeners.add(l);
        return this;
    }

    /** Called when a client leaves the channel. */
    public Subscription onLeave(Consumer<ClientInfo> l) {
        leaveListeners.add(l);
        return this;
    }

    /** Called on errors the subscription retries by itself (temporary subscribe errors, token failures). */
    public Subscription onError(Consumer<SwitchboardException> l) {
        errorListeners.add(l);
        return this;
    }

    /**
     * Starts subscribing (now if connected, else as soon as the client connects). Completes with
     * the next subscribed event, or fails when the subscription ends up unsubscribed.
     */
    public CompletableFuture<SubscribedEvent> subscribe() {
        CompletableFuture<SubscribedEvent> f = new CompletableFuture<>();
        core.post(f, () -> {
            if (state == SubscriptionState.SUBSCRIBED) {
                f.complete(last);
                return;
            }
            waiters.add(f);
            if (state == SubscriptionState.UNSUBSCRIBED) {
                setState(SubscriptionState.SUBSCRIBING, SubscriptionStateEvent.SUBSCRIBE_CALLED, "subscribe called");
                core.subscribeNow(this);
            }
        });
        return f;
    }

    /** Stops the subscription and forgets its position; a later {@link #subscribe()} starts afresh. */
    public void unsubscribe() {
        core.post(() -> {
            if (state != SubscriptionState.UNSUBSCRIBED) {
                boolean send = state == SubscriptionState.SUBSCRIBED || inflight != null;
                toUnsubscribed(SubscriptionStateEvent.UNSUBSCRIBE_CALLED, "unsubscribe called", send);
            }
        });
    }

    /** Publishes into this channel; see {@link SwitchboardClient#publish(String, JsonNode)}. */
    public CompletableFuture<Void> publish(JsonNode data) {
        return client.publish(channel, data);
    }

    /** Reads this channel's history; see {@link SwitchboardClient#history(String, int, StreamPosition, boolean)}. */
    public CompletableFuture<HistoryResult> history(int limit, StreamPosition since, boolean reverse) {
        return client.history(channel, limit, since, reverse);
    }

    /** Who is subscribed to this channel; see {@link SwitchboardClient#presence(String)}. */
    public CompletableFuture<Map<String, ClientInfo>> presence() {
        return client.presence(channel);
    }

    /** Presence counts of this channel; see {@link SwitchboardClient#presenceStats(String)}. */
    public CompletableFuture<PresenceStats> presenceStats() {
        return client.presenceStats(channel);
    }

    @Override
    public String toString() {
        return "Subscription{" + channel + ", " + state + ", " + position + '}';
    }

    // ---- event thread ----

    void setState(SubscriptionState s, int code, String reason) {
        if (state != s) {
            state = s;
            EventLoop.fire(stateListeners, new SubscriptionStateEvent(channel, s, code, reason));
        }
    }

    void fireError(SwitchboardException e) {
        EventLoop.fire(errorListeners, e);
    }

    void setToken(String t) {
        token = t;
    }

    /** The subscribe command to send now, or {@code null} when none is due (or a token is being fetched). */
    Call subscribeCall() {
        if (state != SubscriptionState.SUBSCRIBING || inflight != null || retryTask != null || fetchingToken) {
            return null;
        }
        if (token == null && options.tokenSupplier().isPresent()) {
            fetchingToken = true;
            tokens.fetch().whenComplete((t, e) -> core.post(() -> tokenFetched(t, e)));
            return null;
        }
        ObjectNode p = Codec.object().put("channel", channel);
        if (token != null) {
            p.put("token", token);
        }
        if (options.rawData() != null) {
            p.set("data", options.rawData());
        }
        if (options.recoverable()) {
            p.put("recoverable", true);
        }
        if (options.positioned()) {
            p.put("positioned", true);
        }
        if (options.joinLeave()) {
            p.put("join_leave", true);
        }
        if (recover) {
            p.put("recover", true);
            if (offset > 0) {
                p.put("offset", offset);
            }
            if (!epoch.isEmpty()) {
                p.put("epoch", epoch);
            }
        }
        Call[] self = new Call[1];
        self[0] = new Call("subscribe", p, new Call.Outcome() {
            @Override
            public void succeeded(JsonNode r) {
                if (inflight == self[0]) {
                    inflight = null;
                    subscribed(r);
                }
            }

            @Override
            public void failed(SwitchboardException e) {
                if (inflight == self[0]) {
                    inflight = null;
                    subscribeFailed(e);
                }
            }
        });
        inflight = self[0];
        return inflight;
    }

    private void tokenFetched(String t, Throwable e) {
        fetchingToken = false;
        if (state != SubscriptionState.SUBSCRIBING) {
            return;
        }
        if (e != null) {
            fireError(new SwitchboardException(
                    SwitchboardException.SUBSCRIPTION_TOKEN, "subscription token supplier failed: " + e, true));
            scheduleRetry();
        } else if (t == null || t.isEmpty()) {
            toUnsubscribed(SubscriptionStateEvent.UNAUTHORIZED, "unauthorized", false);
        } else {
            token = t;
            core.subscribeNow(this);
        }
    }

    private void subscribed(JsonNode r) {
        if (state != SubscriptionState.SUBSCRIBING) {
            return;
        }
        attempts = 0;
        boolean recoverable = r.path("recoverable").asBoolean(false);
        boolean positioned = r.path("positioned").asBoolean(false);
        StreamPosition pos = null;
        if (recoverable || positioned) {
            offset = Math.max(0, r.path("offset").asLong(0));
            epoch = r.path("epoch").asText("");
            pos = new StreamPosition(offset, epoch);
            position = pos;
        }
        recover = recoverable;
        JsonNode pubs = r.path("publications");
        last = new SubscribedEvent(
                channel,
                r.path("was_recovering").asBoolean(false),
                r.path("recovered").asBoolean(false),
                recoverable,
                positioned,
                pos,
                pubs.size(),
                r.get("data"));
        setState(SubscriptionState.SUBSCRIBED, 0, "");
        EventLoop.fire(subscribedListeners, last);
        for (JsonNode p : pubs) {
            onPublication(Codec.publication(channel, p));
        }
        if (r.path("expires").asBoolean(false)) {
            tokens.schedule(r.path("ttl").asLong(0));
        }
        List<CompletableFuture<SubscribedEvent>> ws = new ArrayList<>(waiters);
        waiters.clear();
        SubscribedEvent ev = last;
        ws.forEach(w -> w.complete(ev));
    }

    private void subscribeFailed(SwitchboardException e) {
        if (state != SubscriptionState.SUBSCRIBING || e.code() == SwitchboardException.TRANSPORT_CLOSED) {
            return;
        }
        if (e.code() == SwitchboardException.TIMEOUT) {
            core.reconnect(StateEvent.SUBSCRIBE_TIMEOUT, "subscribe timeout");
            return;
        }
        fireError(e);
        if (e.code() == WireCodes.TOKEN_EXPIRED) {
            token = null;
        }
        if (e.code() < 100 || e.code() == WireCodes.TOKEN_EXPIRED || e.temporary()) {
            scheduleRetry();
        } else {
            toUnsubscribed(e.code(), e.getMessage(), false);
        }
    }

    private void scheduleRetry() {
        EventLoop.cancel(retryTask);
        Duration d = Backoff.delay(attempts++, core.options.minReconnectDelay(), core.options.maxReconnectDelay());
        retryTask = core.schedule(
                () -> {
                    retryTask = null;
                    core.subscribeNow(this);
                },
                d);
    }

    /** The connection is gone: pending work is dropped, the subscription waits for the next one. */
    void connectionLost() {
        inflight = null;
        EventLoop.cancel(retryTask);
        retryTask = null;
        tokens.cancel();
        if (state == SubscriptionState.SUBSCRIBED) {
            setState(SubscriptionState.SUBSCRIBING, SubscriptionStateEvent.TRANSPORT_CLOSED, "transport closed");
        }
    }

    void onPublication(Publication p) {
        if (state != SubscriptionState.SUBSCRIBED) {
            return;
        }
        if (p.offset() > 0) {
            offset = p.offset();
            position = new StreamPosition(offset, epoch);
        }
        EventLoop.fire(publicationListeners, p);
    }

    void onJoin(ClientInfo info, boolean join) {
        if (state == SubscriptionState.SUBSCRIBED && info != null) {
            EventLoop.fire(join ? joinListeners : leaveListeners, info);
        }
    }

    /** The server ended the subscription: below 2500 for good, otherwise resubscribe (with recovery). */
    void onUnsubscribePush(int code, String reason) {
        if (state == SubscriptionState.UNSUBSCRIBED) {
            return;
        }
        if (code < 2500) {
            toUnsubscribed(code, reason, false);
            return;
        }
        if (state == SubscriptionState.SUBSCRIBED) {
            tokens.cancel();
            setState(SubscriptionState.SUBSCRIBING, code, reason);
            core.subscribeNow(this);
        }
    }

    void toUnsubscribed(int code, String reason, boolean sendUnsubscribe) {
        inflight = null;
        EventLoop.cancel(retryTask);
        retryTask = null;
        tokens.cancel();
        attempts = 0;
        offset = 0;
        epoch = "";
        recover = false;
        position = null;
        last = null;
        setState(SubscriptionState.UNSUBSCRIBED, code, reason);
        SwitchboardException why =
                new SwitchboardException(code >= 100 ? code : SwitchboardException.SUBSCRIPTION_UNSUBSCRIBED, reason);
        List<CompletableFuture<SubscribedEvent>> ws = new ArrayList<>(waiters);
        waiters.clear();
        ws.forEach(w -> w.completeExceptionally(why));
        if (sendUnsubscribe) {
            core.sendNow(new Call("unsubscribe", Codec.object().put("channel", channel), new Call.Outcome() {
                @Override
                public void succeeded(JsonNode result) {}

                @Override
                public void failed(SwitchboardException e) {
                    if (e.code() != SwitchboardException.TRANSPORT_CLOSED) {
                        core.reconnect(StateEvent.UNSUBSCRIBE_ERROR, "unsubscribe error: " + e.getMessage());
                    }
                }
            }));
        }
    }

    /** Asks the application's subscription token supplier (event thread caller; completes anywhere). */
    CompletionStage<String> supplyToken() {
        try {
            CompletionStage<String> s = options.tokenSupplier().orElseThrow().apply(channel);
            return s != null
                    ? s
                    : CompletableFuture.failedFuture(
                            new IllegalStateException("subscription token supplier returned no CompletionStage"));
        } catch (Throwable t) {
            return CompletableFuture.failedFuture(t);
        }
    }
}
