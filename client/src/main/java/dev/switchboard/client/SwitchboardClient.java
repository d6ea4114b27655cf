package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A client of a Switchboard (or any Centrifugo protocol v2, JSON) server: one WebSocket
 * connection that reconnects by itself, subscriptions with automatic recovery, publish, history,
 * presence, RPC, and handlers for methods the server invokes on this client.
 *
 * <pre>{@code
 * SwitchboardClient client = SwitchboardClient.builder(URI.create("wss://rt.example.com/connection/websocket"))
 *     .tokenSupplier(() -> auth.fetchConnectionToken())        // called at start, on 109 and before expiry
 *     .build();
 * client.onStateChange(ev -> log.info("{} {} {}", ev.state(), ev.code(), ev.reason()));
 * client.handle("runTool", args -> CompletableFuture.supplyAsync(() -> tools.run(args)));
 *
 * Subscription sub = client.newSubscription("chat:lobby")
 *     .onPublication(pub -> show(pub.json()));
 * sub.subscribe();
 * client.connect().join();
 *
 * client.publish("chat:lobby", mapper.createObjectNode().put("text", "hi")).join();
 * JsonNode answer = client.rpc("echo", "{\"x\":1}").join();
 * client.close();
 * }</pre>
 *
 * <p><b>Transport.</b> The JDK's {@link java.net.http.WebSocket}: no dependency beyond the JDK and
 * Jackson (nothing extra for security teams to vet and patch), text frames with fragment
 * assembly, receive backpressure through {@code request(n)} (a message is read only after the
 * previous one was handled), and TLS, proxies and trust stores configured the usual JDK way — pass
 * your own {@link java.net.http.HttpClient} with {@link ClientBuilder#httpClient}.
 *
 * <p><b>Reconnects.</b> After a lost connection the client reconnects with exponential backoff and
 * full jitter between {@link ClientOptions#minReconnectDelay()} and
 * {@link ClientOptions#maxReconnectDelay()}, unless the server closed with a terminal code
 * (3500–3999, 4500–4999), refused {@code connect} with a permanent error, or the application
 * called {@link #disconnect()}. The {@code connect} command and every pending subscribe go in one
 * frame. If the server's pings ({@code ping} seconds in the connect reply) stop for longer than the
 * interval plus {@link ClientOptions#maxServerPingDelay()}, the connection is replaced.
 *
 * <p><b>Threads.</b> All methods are thread-safe and never block (except {@link #close()}, which
 * waits briefly for the event thread). Every listener, and the completion of every returned
 * future, runs on the client's single event thread in order: do not block there (no
 * {@code join()} on another client future inside a listener); use the {@code *Async} methods of
 * {@link CompletableFuture} or your own executor for slow work. Invocation handlers run on
 * {@link ClientOptions#invocationExecutor()}.
 *
 * <p>Errors complete futures exceptionally with {@link SwitchboardException}.
 */
public final class SwitchboardClient implements AutoCloseable {

    private final ClientCore core;

    SwitchboardClient(ClientOptions options) {
        this.core = new ClientCore(options);
    }

    /** A builder for a client of the WebSocket endpoint {@code uri} ({@code ws://} or {@code wss://}). */
    public static ClientBuilder builder(URI uri) {
        return new ClientBuilder(uri);
    }

    /** The options the client was built with. */
    public ClientOptions options() {
        return core.options;
    }

    /** The connection state. */
    public ClientState state() {
        return core.state();
    }

    /** The server-assigned client id while connected, else {@code null}. */
    public String clientId() {
        return core.clientId();
    }

    /**
     * Starts connecting (and reconnecting) unless already connected or connecting. Completes when
     * connected; fails when the client ends up disconnected first (terminal close or refusal: the
     * exception carries the server's code; {@link #disconnect()}: {@link SwitchboardException#CLIENT_DISCONNECTED}).
     */
    public CompletableFuture<Void> connect() {
        return core.connect();
    }

    /**
     * Closes the connection and stops reconnecting. Subscriptions keep their position and
     * resubscribe, recovering what they missed, on the next {@link #connect()}.
     */
    public void disconnect() {
        core.disconnect();
    }

    /** Disconnects and stops the event thread; the client cannot be used afterwards. */
    @Override
    public void close() {
        core.close();
    }

    /** Called on every connection state change. */
    public SwitchboardClient onStateChange(Consumer<StateEvent> l) {
        core.stateListeners.add(l);
        return this;
    }

    /** Called with the data of {@code message} pushes that are not invocations ({@code sb_invoke}). */
    public SwitchboardClient onMessage(Consumer<JsonNode> l) {
        core.messageListeners.add(l);
        return this;
    }

    /** Called with publications of server-side subscriptions (channels with no {@link Subscription} here). */
    public SwitchboardClient onServerPublication(Consumer<Publication> l) {
        core.serverPublicationListeners.add(l);
        return this;
    }

    /** Called on errors the client handles by itself (failed connect attempts, token supplier failures...). */
    public SwitchboardClient onError(Consumer<SwitchboardException> l) {
        core.errorListeners.add(l);
        return this;
    }

    /**
     * Registers the handler of a method the server may invoke on this client (replacing any
     * previous one). Invocations of methods with no handler are answered with error 404.
     */
    public SwitchboardClient handle(String method, InvocationHandler handler) {
        core.invocations.register(Objects.requireNonNull(method, "method"), Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /** Removes a method's invocation handler. */
    public void removeHandler(String method) {
        core.invocations.remove(method);
    }

    /** A new subscription with default options; see {@link #newSubscription(String, SubscriptionOptions)}. */
    public Subscription newSubscription(String channel) {
        return newSubscription(channel, SubscriptionOptions.DEFAULTS);
    }

    /**
     * A new, not yet subscribed subscription; call {@link Subscription#subscribe()}.
     *
     * @throws IllegalStateException when the client already has a subscription to the channel
     */
    public Subscription newSubscription(String channel, SubscriptionOptions options) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(options, "options");
        Subscription s = new Subscription(this, core, channel, options);
        if (core.subs.putIfAbsent(channel, s) != null) {
            throw new IllegalStateException("already subscribed to " + channel + "; use getSubscription");
        }
        return s;
    }

    /** The subscription to a channel, if any. */
    public Optional<Subscription> getSubscription(String channel) {
        return Optional.ofNullable(core.subs.get(channel));
    }

    /** Every subscription, by channel. */
    public Map<String, Subscription> subscriptions() {
        return Map.copyOf(core.subs);
    }

    /** Unsubscribes and forgets a subscription, so the channel can get a new one. */
    public void removeSubscription(Subscription s) {
        s.unsubscribe();
        core.subs.remove(s.channel(), s);
    }

    /** Publishes JSON data into a channel (the server decides whether this client may). */
    public CompletableFuture<Void> publish(String channel, JsonNode data) {
        ObjectNode p = Codec.object().put("channel", channel);
        p.set("data", Objects.requireNonNull(data, "data"));
        return core.call("publish", p).thenApply(r -> null);
    }

    /** Publishes JSON text (e.g. {@code "{\"text\":\"hi\"}"}); fails with {@link SwitchboardException#BAD_ARGUMENT} if it is not JSON. */
    public CompletableFuture<Void> publish(String channel, String json) {
        return parsed(json).thenCompose(d -> publish(channel, d));
    }

    /**
     * Reads a channel's history.
     *
     * @param limit how many publications: {@code 0} none (just the stream position), {@code -1} all
     * @param since read after this position; {@code null} from the start (or end, reversed)
     * @param reverse newest first
     */
    public CompletableFuture<HistoryResult> history(String channel, int limit, StreamPosition since, boolean reverse) {
        ObjectNode p = Codec.object().put("channel", channel);
        if (limit != 0) {
            p.put("limit", limit);
        }
        if (since != null) {
            ObjectNode s = p.putObject("since").put("offset", since.offset());
            if (!since.epoch().isEmpty()) {
                s.put("epoch", since.epoch());
            }
        }
        if (reverse) {
            p.put("reverse", true);
        }
        return core.call("history", p).thenApply(r -> Codec.history(channel, r));
    }

    /** Who is subscribed to a channel, by client id. */
    public CompletableFuture<Map<String, ClientInfo>> presence(String channel) {
        return core.call("presence", Codec.object().put("channel", channel)).thenApply(Codec::presence);
    }

    /** Presence counts of a channel. */
    public CompletableFuture<PresenceStats> presenceStats(String channel) {
        return core.call("presence_stats", Codec.object().put("channel", channel))
                .thenApply(Codec::presenceStats);
    }

    /** Calls a server RPC method; completes with its result data (JSON {@code null} node when none). */
    public CompletableFuture<JsonNode> rpc(String method, JsonNode data) {
        ObjectNode p = Codec.object().put("method", Objects.requireNonNull(method, "method"));
        p.set("data", data == null ? Codec.toJson(null) : data);
        return core.call("rpc", p).thenApply(r -> r.has("data") ? r.get("data") : Codec.toJson(null));
    }

    /** Calls a server RPC method with JSON text arguments. */
    public CompletableFuture<JsonNode> rpc(String method, String json) {
        return parsed(json).thenCompose(d -> rpc(method, d));
    }

    /**
     * Sends an asynchronous message to the server's send handler ({@code send} command, no reply).
     * Completes once written to the connection; fails when not connected.
     */
    public CompletableFuture<Void> send(JsonNode data) {
        return core.send(Objects.requireNonNull(data, "data"));
    }

    private static CompletableFuture<JsonNode> parsed(String json) {
        try {
            return CompletableFuture.completedFuture(Codec.parseArgument(json));
        } catch (SwitchboardException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public String toString() {
        return "SwitchboardClient{" + core.options.uri() + ", " + state() + '}';
    }
}
