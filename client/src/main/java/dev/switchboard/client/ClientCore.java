package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.wire.InvocationWire;
import dev.switchboard.wire.WireCodes;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * The client's engine: one event thread owns every piece of mutable state (connection, calls,
 * subscriptions, timers); application threads and socket threads only post tasks to it. This
 * class runs the connection state machine: connect, reconnect with backoff, ping watchdog,
 * dispatch of replies and pushes. Token refresh lives in {@link TokenRefresh}.
 */
final class ClientCore {

    private static final Logger log = EventLoop.log;

    /** How long {@code close()} waits for the event thread to finish. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    final ClientOptions options;
    final Invocations invocations;
    final Map<String, Subscription> subs = new ConcurrentHashMap<>();
    final List<Consumer<StateEvent>> stateListeners = new CopyOnWriteArrayList<>();
    final List<Consumer<JsonNode>> messageListeners = new CopyOnWriteArrayList<>();
    final List<Consumer<Publication>> serverPublicationListeners = new CopyOnWriteArrayList<>();
    final List<Consumer<SwitchboardException>> errorListeners = new CopyOnWriteArrayList<>();
    private final EventLoop loop = new EventLoop();
    private final HttpClient http;
    private final TokenRefresh tokens;
    private volatile ClientState state = ClientState.DISCONNECTED;
    private volatile String clientId;

    // Event-thread state.
    private Connection conn;
    private final Calls calls;
    private int attempts;
    private int attemptSeq;
    private boolean closed;
    private ScheduledFuture<?> reconnectTask;
    private final List<CompletableFuture<Void>> connectWaiters = new ArrayList<>();

    ClientCore(ClientOptions options) {
        this.options = options;
        this.http = options.httpClient().orElseGet(HttpClient::newHttpClient);
        this.invocations = new Invocations(options.invocationExecutor());
        this.tokens = new TokenRefresh(this);
        this.calls = new Calls(loop, options.commandTimeout(), () -> conn);
    }

    ClientState state() {
        return state;
    }

    String clientId() {
        return clientId;
    }

    boolean post(Runnable r) {
        return loop.post(r);
    }

    void post(CompletableFuture<?> f, Runnable r) {
        loop.post(f, r);
    }

    ScheduledFuture<?> schedule(Runnable r, Duration delay) {
        return loop.schedule(r, delay);
    }

    void fireError(SwitchboardException e) {
        EventLoop.fire(errorListeners, e);
    }

    // ---- application API (any thread) ----

    CompletableFuture<Void> connect() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        post(f, () -> {
            if (state == ClientState.CONNECTED) {
                f.complete(null);
                return;
            }
            connectWaiters.add(f);
            if (state == ClientState.DISCONNECTED) {
                attempts = 0;
                setState(ClientState.CONNECTING, StateEvent.CALLED, "connect called");
                attempt();
            }
        });
        return f;
    }

    void disconnect() {
        post(() -> toDisconnected(StateEvent.CALLED, "disconnect called"));
    }

    void close() {
        post(() -> {
            closed = true;
            toDisconnected(StateEvent.CALLED, "client closed");
        });
        loop.shutdown(CLOSE_WAIT);
    }

    /** Sends a command when connected (waiting up to the command timeout while connecting). */
    CompletableFuture<JsonNode> call(String method, JsonNode params) {
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        post(f, () -> enqueue(Call.completing(method, params, f)));
        return f;
    }

    /** Sends {@code {"send":{"data":…}}} (no reply). Completes once handed to the socket. */
    CompletableFuture<Void> send(JsonNode data) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        post(f, () -> {
            if (!connected()) {
                f.completeExceptionally(notConnected());
                return;
            }
            ObjectNode msg = Codec.object();
            msg.putObject("send").set("data", data);
            conn.sendRaw(msg);
            f.complete(null);
        });
        return f;
    }

    // ---- calls (event thread) ----

    void enqueue(Call call) {
        if (state == ClientState.DISCONNECTED) {
            call.fail(notConnected());
            return;
        }
        if (connected()) {
            calls.send(conn, List.of(call));
        } else {
            calls.hold(call);
        }
    }

    /** Sends now if connected; {@code false} otherwise. */
    boolean sendNow(Call call) {
        if (!connected()) {
            return false;
        }
        calls.send(conn, List.of(call));
        return true;
    }

    boolean connected() {
        return conn != null && conn.connected;
    }

    /** Whether {@code c} is the current connection (events of older ones are ignored). */
    boolean isCurrent(Connection c) {
        return c == conn;
    }

    private SwitchboardException notConnected() {
        return closed
                ? new SwitchboardException(SwitchboardException.CLIENT_CLOSED, "client closed")
                : new SwitchboardException(SwitchboardException.CLIENT_DISCONNECTED, "client disconnected");
    }

    /** Sends the subscription's subscribe command if connected and it wants one. */
    void subscribeNow(Subscription s) {
        if (connected()) {
            Call c = s.subscribeCall();
            if (c != null) {
                sendNow(c);
            }
        }
    }

    // ---- connection state machine (event thread) ----

    private void setState(ClientState s, int code, String reason) {
        if (state == s) {
            return;
        }
        state = s;
        clientId = s == ClientState.CONNECTED ? clientId : null;
        EventLoop.fire(stateListeners, new StateEvent(s, code, reason, s == ClientState.CONNECTED ? clientId : null));
    }

    private void attempt() {
        reconnectTask = null;
        if (state != ClientState.CONNECTING || conn != null) {
            return;
        }
        int seq = ++attemptSeq;
        if (!tokens.hasToken() && options.tokenSupplier().isPresent()) {
            tokens.fetch()
                    .whenComplete((t, e) -> post(() -> {
                        if (seq != attemptSeq || state != ClientState.CONNECTING) {
                            return;
                        }
                        if (e != null) {
                            log.warn("switchboard client: token supplier failed; retrying", e);
                            fireError(new SwitchboardException(
                                    SwitchboardException.CONNECT_TOKEN, "token supplier failed: " + e, true));
                            scheduleAttempt();
                        } else if (t == null || t.isEmpty()) {
                            toDisconnected(StateEvent.UNAUTHORIZED, "unauthorized");
                        } else {
                            tokens.set(t);
                            open();
                        }
                    }));
            return;
        }
        open();
    }

    private void scheduleAttempt() {
        EventLoop.cancel(reconnectTask);
        Duration d = Backoff.delay(attempts++, options.minReconnectDelay(), options.maxReconnectDelay());
        log.debug("switchboard client: reconnecting in {} ms", d.toMillis());
        reconnectTask = schedule(this::attempt, d);
    }

    private void open() {
        Connection c = new Connection();
        conn = c;
        Transport.Handler h = new Transport.Handler() {
            @Override
            public void message(String text) {
                post(() -> Inbound.frame(ClientCore.this, c, text));
            }

            @Override
            public void closed(int code, String reason) {
                post(() -> closedByServer(c, code, reason == null ? "" : reason));
            }

            @Override
            public void failed(Throwable error) {
                post(() -> {
                    if (c == conn) {
                        log.debug("switchboard client: transport failed", error);
                        reconnect(StateEvent.TRANSPORT_CLOSED, "transport closed");
                    }
                });
            }
        };
        c.transport = Transport.open(http, options.uri(), options.connectTimeout(), options.maxMessageSize(), h);
        c.transport.opened().whenComplete((t, e) -> {
            if (!post(() -> opened(c, e))) {
                c.transport.abort();
            }
        });
    }

    private void opened(Connection c, Throwable e) {
        if (c != conn) {
            c.transport.abort();
            return;
        }
        if (e != null) {
            log.debug("switchboard client: cannot open {}: {}", options.uri(), e.toString());
            conn = null;
            fireError(new SwitchboardException(SwitchboardException.TRANSPORT_CLOSED, "cannot connect: " + e, true));
            scheduleAttempt();
            return;
        }
        List<Call> batch = new ArrayList<>();
        batch.add(new Call("connect", Codec.connect(options, tokens.current().orElse(null)), new Call.Outcome() {
            @Override
            public void succeeded(JsonNode result) {
                connected(c, result);
            }

            @Override
            public void failed(SwitchboardException error) {
                connectFailed(c, error);
            }
        }));
        for (Subscription s : subs.values()) {
            Call sc = s.subscribeCall();
            if (sc != null) {
                batch.add(sc);
            }
        }
        calls.send(c, batch);
    }

    private void connected(Connection c, JsonNode r) {
        if (c != conn) {
            return;
        }
        c.connected = true;
        attempts = 0;
        clientId = r.path("client").asText("");
        log.debug("switchboard client: connected to {} as {}: {}", options.uri(), clientId, r);
        c.pong = r.path("pong").asBoolean(false);
        int ping = r.path("ping").asInt(0);
        if (ping > 0) {
            c.pingTimeoutNanos = TimeUnit.SECONDS.toNanos(ping)
                    + options.maxServerPingDelay().toNanos();
            c.lastReceivedNanos = System.nanoTime();
            c.watchdog = schedule(() -> checkPing(c), Duration.ofNanos(c.pingTimeoutNanos));
        }
        if (r.path("expires").asBoolean(false)) {
            tokens.schedule(c, r.path("ttl").asLong(0));
        }
        setState(ClientState.CONNECTED, 0, "");
        List<CompletableFuture<Void>> ws = new ArrayList<>(connectWaiters);
        connectWaiters.clear();
        ws.forEach(w -> w.complete(null));
        if (conn == c) {
            calls.flush(c);
        }
        for (Subscription s : subs.values()) {
            if (conn == c) {
                subscribeNow(s);
            }
        }
    }

    private void connectFailed(Connection c, SwitchboardException e) {
        if (c != conn) {
            return;
        }
        if (e.code() == WireCodes.TOKEN_EXPIRED) {
            tokens.expired();
            if (options.tokenSupplier().isEmpty()) {
                toDisconnected(e.code(), e.getMessage());
            } else {
                reconnect(e.code(), e.getMessage());
            }
        } else if (e.code() < 100 || e.temporary()) {
            reconnect(e.code(), e.getMessage());
        } else {
            toDisconnected(e.code(), e.getMessage());
        }
    }

    private void checkPing(Connection c) {
        if (c != conn) {
            return;
        }
        long idle = System.nanoTime() - c.lastReceivedNanos;
        if (idle >= c.pingTimeoutNanos) {
            log.info(
                    "switchboard client: no ping from the server for {} ms; reconnecting",
                    TimeUnit.NANOSECONDS.toMillis(idle));
            reconnect(StateEvent.NO_PING, "no ping");
        } else {
            c.watchdog = schedule(() -> checkPing(c), Duration.ofNanos(c.pingTimeoutNanos - idle));
        }
    }

    /** The server closed the connection (close frame or {@code disconnect} push). */
    void closedByServer(Connection c, int code, String reason) {
        if (c == conn) {
            Inbound.closed(this, code, reason);
        }
    }

    /** Drops the current connection (if any) and schedules the next attempt with backoff. */
    void reconnect(int code, String reason) {
        if (state == ClientState.DISCONNECTED) {
            return;
        }
        if (conn != null) {
            teardown(conn);
        }
        setState(ClientState.CONNECTING, code, reason);
        scheduleAttempt();
    }

    void toDisconnected(int code, String reason) {
        attemptSeq++;
        EventLoop.cancel(reconnectTask);
        reconnectTask = null;
        if (conn != null) {
            teardown(conn);
        }
        attempts = 0;
        setState(ClientState.DISCONNECTED, code, reason);
        SwitchboardException why = notConnected();
        calls.failWaiting(why);
        SwitchboardException connectError = code >= 100 && !closed ? new SwitchboardException(code, reason) : why;
        List<CompletableFuture<Void>> ws = new ArrayList<>(connectWaiters);
        connectWaiters.clear();
        ws.forEach(w -> w.completeExceptionally(connectError));
    }

    private void teardown(Connection c) {
        if (conn == c) {
            conn = null;
        }
        EventLoop.cancel(c.watchdog);
        tokens.cancel();
        c.transport.close(1000, "");
        SwitchboardException lost = new SwitchboardException(
                SwitchboardException.TRANSPORT_CLOSED, "connection closed before the reply", true);
        for (Call call : c.drain()) {
            call.fail(lost);
        }
        for (Subscription s : subs.values()) {
            s.connectionLost();
        }
    }

    /** Sends an invocation's answer on the connection the invocation came from, if it is still up. */
    void answer(Connection c, ObjectNode sbResult) {
        post(() -> {
            if (c != conn || !c.connected) {
                log.debug(
                        "switchboard client: connection gone; dropping invocation answer {}",
                        sbResult.path(InvocationWire.ID));
                return;
            }
            ObjectNode msg = Codec.object();
            msg.putObject("send").putObject("data").set(InvocationWire.RESULT, sbResult);
            c.sendRaw(msg);
        });
    }
}
