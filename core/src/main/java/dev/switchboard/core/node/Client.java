package dev.switchboard.core.node;

import dev.switchboard.core.engine.ClientInfo;
import dev.switchboard.core.protocol.ClientCodec;
import dev.switchboard.core.protocol.Command;
import dev.switchboard.core.protocol.Disconnect;
import dev.switchboard.core.protocol.ProtocolCodec;
import dev.switchboard.core.protocol.ProtocolError;
import dev.switchboard.core.protocol.ProtocolException;
import dev.switchboard.core.protocol.ProtocolFormat;
import dev.switchboard.core.protocol.SharedPush;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection's protocol session: it decodes commands, runs them against the node and
 * writes replies and pushes through its {@link Transport}.
 *
 * <p>Threading: {@link #handleFrame(byte[])} is called by one thread at a time (the transport's
 * I/O thread); deliveries and async completions come from any thread. Subscription state is
 * guarded by this object's monitor, held only for in-memory work and non-blocking writes, so
 * what is written under it keeps its order.
 */
public final class Client {

    private static final Logger log = LoggerFactory.getLogger(Client.class);

    enum State {
        CONNECTING,
        CONNECTED,
        CLOSED
    }

    final Node node;
    final Transport transport;
    /** The connection's encoding (JSON or protobuf), fixed by its transport when it opened. */
    private final ClientCodec codec;
    /**
     * A unidirectional connection (uni_sse, uni_http_stream, uni_websocket): it cannot answer
     * pings, so none is awaited, and a refused connect closes it with a disconnect code.
     */
    private final boolean unidirectional;

    private final String id;
    /** Secret session id of an emulated transport; commands in /emulation requests name it. */
    private final String session;
    /** Emulated headers and meta: what the connection carries for later hooks, set by Connector. */
    final BackendContext backend = new BackendContext();

    private volatile State state = State.CONNECTING;
    private volatile boolean connectStarted;
    private volatile String userId = "";
    private volatile ClientInfo info;
    private volatile long expireAt;
    private volatile String routingKey;
    private volatile long connectedAt;
    final Map<String, ClientSubscription> subs = new HashMap<>();
    private final AtomicInteger inflight = new AtomicInteger();
    private final long connectDeadline;
    private volatile long nextPingAt;
    private volatile long pongDeadline;
    private final CommandRate rate;
    private final Commands commands;
    private final java.util.ArrayDeque<Command> deferred = new java.util.ArrayDeque<>();
    private boolean awaitingConnect;
    private boolean draining;
    private final Subscriptions subscriptions;
    private final ServerRefresh serverRefresh = new ServerRefresh(this);

    Client(Node node, Transport transport, String id, long nowMillis) {
        this.node = node;
        this.transport = transport;
        this.codec = ClientCodec.of(transport.format());
        this.unidirectional = transport.format() == ProtocolFormat.UNI_JSON;
        this.id = id;
        this.session = transport.emulated() ? Emulation.newSessionId() : null;
        this.info = new ClientInfo(id, "", null, null);
        this.connectDeadline = nowMillis + node.options().connectTimeout().toMillis();
        this.rate = new CommandRate(
                node.options().commandRateLimit(), node.options().commandBurst(), System.nanoTime());
        this.subscriptions = new Subscriptions(this);
        this.commands = new Commands(this, subscriptions);
    }

    /** The unique id of this connection. */
    public String id() {
        return id;
    }

    /** The emulation session id (HTTP-streaming, SSE), or {@code null} for other transports. */
    String session() {
        return session;
    }

    /** The authenticated user, {@code ""} for anonymous or before connect. */
    public String userId() {
        return userId;
    }

    /** How others see this client. */
    public ClientInfo info() {
        return info;
    }

    /** The routing key the connection was given on connect, or {@code null}. */
    public String routingKey() {
        return routingKey;
    }

    /** When {@code connect} succeeded, Unix milliseconds. */
    public long connectedAt() {
        return connectedAt;
    }

    /** True once {@code connect} succeeded and until the connection ends. */
    public boolean isConnected() {
        return state == State.CONNECTED;
    }

    boolean isUnidirectional() {
        return unidirectional;
    }

    boolean isClosed() {
        return state == State.CLOSED;
    }

    long expireAt() {
        return expireAt;
    }

    void expireAt(long v) {
        expireAt = v;
    }

    void info(ClientInfo v) {
        info = v;
    }

    Subscriptions subscriptions() {
        return subscriptions;
    }

    /**
     * The stream positions of this client's live recoverable subscriptions as one short string
     * (see {@code docs/transports.md}, "Resuming with Last-Event-ID"). A transport that writes it beside a
     * message, from the thread that writes the message, gets the positions that message leaves the
     * client at: publications are written under this client's lock, after their offset is counted.
     *
     * <pre>{@code
     * String id = client.resumeId();   // "1.1x3kq9-c-8m2kd0a": the SSE event's id
     * }</pre>
     */
    public synchronized String resumeId() {
        return ResumeId.of(subs.values());
    }

    /**
     * Makes this client's server-side subscriptions recover from the positions of a
     * {@link #resumeId()} a previous connection was given (a browser's {@code Last-Event-ID}).
     * Call before the connect. A subscription the id has no entry for subscribes as usual; one the
     * id cannot tell about (malformed, or too many channels) gets {@code recovered: false}. An
     * explicit {@code subs} entry in the connect request wins.
     */
    public void resumeFrom(String lastEventId) {
        resume = ResumeId.parse(lastEventId);
    }

    /** Set by {@link #resumeFrom}; {@code null} when the connection does not resume. */
    volatile ResumeId resume;

    /** Channels this client is subscribed to, live or in progress. */
    public synchronized List<String> channels() {
        return new ArrayList<>(subs.keySet());
    }

    // ---- inbound ----

    /**
     * Handles one inbound frame of the connection's encoding: one or more newline-separated JSON
     * commands, or varint length-delimited protobuf ones.
     * Bad input closes this connection with a protocol disconnect code; nothing is thrown.
     */
    public void handleFrame(byte[] frame) {
        if (state == State.CLOSED) {
            return;
        }
        List<Command> cmds;
        try {
            cmds = codec.decode(frame);
        } catch (ProtocolException e) {
            log.debug("client {}: bad frame: {}", id, e.getMessage());
            close(Disconnect.BAD_REQUEST);
            return;
        }
        for (Command cmd : cmds) {
            if (state == State.CLOSED) {
                return;
            }
            if (!takeToken()) {
                node.metrics().commandRejected("rate_limit");
                close(Disconnect.TOO_MANY_REQUESTS);
                return;
            }
            try {
                if (!deferWhileConnecting(cmd)) {
                    safeDispatch(cmd);
                }
            } catch (DisconnectException e) {
                close(e.disconnect());
            }
        }
    }

    private void safeDispatch(Command cmd) {
        try {
            dispatch(cmd);
        } catch (DisconnectException e) {
            close(e.disconnect());
        } catch (RuntimeException e) {
            log.warn("client {}: command failed", id, e);
            close(Disconnect.SERVER_ERROR);
        }
    }

    /**
     * SDKs send {@code connect} and their subscribes in one frame, before the connect reply.
     * Commands that arrive while an asynchronous connect runs wait for it, in order.
     */
    private boolean deferWhileConnecting(Command cmd) {
        synchronized (deferred) {
            if (awaitingConnect || draining || !deferred.isEmpty()) {
                if (deferred.size() >= node.options().maxPendingCommands()) {
                    throw new DisconnectException(Disconnect.TOO_MANY_REQUESTS);
                }
                deferred.add(cmd);
                return true;
            }
            return false;
        }
    }

    /**
     * Runs what waited for the connect, in order, whatever its outcome: after a refused connect
     * a retried connect must still be served, and anything else is refused as usual.
     */
    private void connectSettled() {
        while (true) {
            Command next;
            synchronized (deferred) {
                awaitingConnect = false;
                next = deferred.poll();
                draining = next != null;
                if (next == null) {
                    return;
                }
            }
            safeDispatch(next);
        }
    }

    /**
     * Counts a transport control frame the peer sent (a WebSocket ping) against this client's
     * command rate, since answering it costs as much as a command. Over the limit the client is
     * closed with 3013.
     *
     * @return true when the frame may be answered
     */
    public boolean acceptControlFrame() {
        if (state == State.CLOSED) {
            return false;
        }
        if (!takeToken()) {
            node.metrics().commandRejected("rate_limit");
            close(Disconnect.TOO_MANY_REQUESTS);
            return false;
        }
        return true;
    }

    private boolean takeToken() {
        return rate.take(System.nanoTime());
    }

    private void dispatch(Command cmd) {
        if (cmd.isPong()) {
            if (ProtocolCodec.isUnknown(cmd)) {
                if (cmd.id() > 0) {
                    write(ProtocolCodec.error(cmd.id(), ProtocolError.METHOD_NOT_FOUND));
                    return;
                }
                throw new DisconnectException(Disconnect.BAD_REQUEST);
            }
            pongDeadline = 0;
            return;
        }
        if (cmd.method() != Command.Method.SEND && cmd.id() == 0) {
            throw new DisconnectException(Disconnect.BAD_REQUEST);
        }
        node.metrics().command(cmd.method().field());
        if (cmd.method() == Command.Method.CONNECT) {
            if (connectStarted) {
                throw new DisconnectException(Disconnect.BAD_REQUEST);
            }
            connectStarted = true;
            synchronized (deferred) {
                awaitingConnect = true;
            }
            CompletionStage<byte[]> work = new Connector(this, subscriptions).connect(cmd);
            track(cmd, work);
            work.whenComplete((r, e) -> connectSettled());
            return;
        }
        if (state != State.CONNECTED) {
            throw new DisconnectException(Disconnect.BAD_REQUEST);
        }
        if (cmd.method() == Command.Method.SEND) {
            commands.send(cmd);
            return;
        }
        if (cmd.method() == Command.Method.PING) {
            write(ProtocolCodec.reply(cmd.id(), "ping", null));
            return;
        }
        if (inflight.get() >= node.options().maxPendingCommands()) {
            write(ProtocolCodec.error(cmd.id(), ProtocolError.TOO_MANY_REQUESTS));
            return;
        }
        track(cmd, commands.run(cmd));
    }

    /**
     * Sends the reply when the command's work completes. A stage completing with {@code null}
     * means the command wrote its own reply (subscribe and connect must, to order it before
     * buffered publications).
     */
    private void track(Command cmd, CompletionStage<byte[]> work) {
        inflight.incrementAndGet();
        work.whenComplete((reply, err) -> {
            inflight.decrementAndGet();
            if (err == null) {
                if (reply != null) {
                    write(fitting(cmd, reply));
                }
                return;
            }
            if (cmd.method() == Command.Method.CONNECT) {
                connectFailed(cmd, err);
            } else {
                replyError(cmd, err);
            }
        });
    }

    /**
     * The most one reply may carry: half of the client's queue, since the reply's envelope and
     * pushes queued before it share the queue. A recovery beyond it is answered
     * {@code recovered: false}, any other reply with error 106.
     */
    int maxReplyBytes() {
        return node.options().clientQueueMaxBytes() / 2;
    }

    /**
     * The reply, or error 106 when it would take more than half of this client's queue: sent, it
     * would close the client as slow (3008) for asking, e.g. a {@code history} of many large
     * publications or the {@code presence} of a crowded channel.
     */
    private byte[] fitting(Command cmd, byte[] reply) {
        int max = maxReplyBytes();
        if (reply.length <= max) {
            return reply;
        }
        return ProtocolCodec.error(
                cmd.id(),
                ProtocolError.LIMIT_EXCEEDED.withMessage("reply of " + reply.length + " bytes is larger than " + max
                        + " (half of client.queue_max_bytes); ask for less"));
    }

    /**
     * A refused connect (expired token, hook said no) gets its error and may be retried on the
     * same connection; a failure after the client was registered closes it.
     */
    private void connectFailed(Command cmd, Throwable err) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (state == State.CONNECTED && !(cause instanceof DisconnectException)) {
            log.warn("client {}: connect failed after registration", id, cause);
            close(Disconnect.SERVER_ERROR);
            return;
        }
        connectStarted = false;
        if (unidirectional) {
            close(uniDisconnect(cause));
            return;
        }
        replyError(cmd, cause);
    }

    /**
     * The disconnect a unidirectional client gets for a refused connect (it has no reply to read
     * an error from), as Centrifugo's default mapping: expired → 3005, too many requests → 3013,
     * permission denied → 3507, anything else → 3004; unauthorized (101) → 3507 too, which says
     * more than Centrifugo's 3004 for a client a connect proxy refused.
     */
    static Disconnect uniDisconnect(Throwable cause) {
        if (cause instanceof DisconnectException de) {
            return de.disconnect();
        }
        if (cause instanceof ProtocolError pe) {
            return switch (pe.code()) {
                case 109, 110 -> Disconnect.EXPIRED;
                case 111 -> Disconnect.TOO_MANY_REQUESTS;
                case 101, 103 -> Disconnect.PERMISSION_DENIED;
                default -> Disconnect.SERVER_ERROR;
            };
        }
        return Disconnect.SERVER_ERROR;
    }

    void replyError(Command cmd, Throwable err) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (cause instanceof ProtocolError pe) {
            write(ProtocolCodec.error(cmd.id(), pe));
        } else if (cause instanceof DisconnectException de) {
            close(de.disconnect());
        } else {
            log.warn("client {}: {} failed", id, cmd.method().field(), cause);
            write(ProtocolCodec.error(cmd.id(), ProtocolError.INTERNAL));
        }
    }

    // ---- connection state, set by Connector ----

    void becomeConnected(String user, ClientInfo clientInfo, long exp, String key) {
        this.userId = user;
        this.info = clientInfo;
        this.expireAt = exp;
        this.routingKey = key;
        long now = node.clock().millis();
        this.connectedAt = now;
        this.nextPingAt = now + node.options().pingInterval().toMillis();
        this.state = State.CONNECTED;
    }

    // ---- outbound ----

    /** Writes a reply or push built as JSON by {@code ProtocolCodec}, in the connection's encoding. */
    void write(byte[] message) {
        if (state == State.CLOSED) {
            return;
        }
        byte[] encoded;
        try {
            encoded = codec.encode(message);
        } catch (RuntimeException e) {
            // A reply the node built that the schema cannot carry is our bug: end this client, loudly.
            log.error("client {}: cannot encode a message as {}", id, codec.format(), e);
            close(Disconnect.SERVER_ERROR);
            return;
        }
        if (encoded != null) {
            transport.write(encoded);
        }
    }

    /** Writes a message already in the connection's encoding (a buffered shared push). */
    void writeEncoded(byte[] message) {
        if (state != State.CLOSED) {
            transport.write(message);
        }
    }

    /** Delivers a publication push to this client, honouring its subscription's state. */
    void deliverPublication(String channel, long offset, SharedPush shared) {
        byte[] push = shared.bytes(codec.format());
        synchronized (this) {
            ClientSubscription sub = subs.get(channel);
            if (sub == null) {
                return;
            }
            if (sub.delta) {
                // A delta only to a subscriber holding exactly the publication it is made against.
                boolean againstPrevious = sub.deltaReady
                        && !sub.subscribing
                        && sub.tracksOffsets()
                        && offset == sub.offset + 1
                        && shared.deltaBase() == sub.offset;
                push = shared.deltaBytes(codec.format(), againstPrevious);
            }
            if (sub.subscribing) {
                sub.buffer.add(new ClientSubscription.Buffered(offset, push));
                return;
            }
            if (!subscriptions.accept(sub, offset)) {
                return;
            }
            sub.deltaReady = sub.delta;
            writeEncoded(push);
        }
    }

    /** Delivers a join or leave push to this client if its subscription asked for them. */
    void deliverJoinLeave(String channel, SharedPush push) {
        synchronized (this) {
            ClientSubscription sub = subs.get(channel);
            if (sub != null && !sub.subscribing && (sub.joinLeave || sub.options.forcePushJoinLeave())) {
                writeEncoded(push.bytes(codec.format()));
            }
        }
    }

    /** The encoding this connection speaks. */
    ProtocolFormat format() {
        return codec.format();
    }

    /** Sends a {@code message} push with raw JSON data. */
    public void sendMessage(byte[] data) {
        write(ProtocolCodec.messagePush(data));
    }

    // ---- timers ----

    /** Periodic housekeeping: connect timeout, pings, pong timeout, token expiry. */
    void tick(long now) {
        State s = state;
        if (s == State.CONNECTING) {
            if (now > connectDeadline) {
                close(Disconnect.STALE);
            }
            return;
        }
        if (s != State.CONNECTED) {
            return;
        }
        long pd = pongDeadline;
        if (pd != 0 && now > pd) {
            close(Disconnect.NO_PONG);
            return;
        }
        if (now >= nextPingAt) {
            nextPingAt = now + node.options().pingInterval().toMillis();
            if (pd == 0 && !unidirectional) {
                pongDeadline = now + node.options().pongTimeout().toMillis();
            }
            write(ProtocolCodec.PING);
        }
        long grace = node.options().clientExpiredCloseDelay().toMillis();
        var refresher = node.refreshHandler();
        if (refresher != null) {
            long exp = expireAt;
            if (isPast(exp, now, 0)) {
                serverRefresh.expiryCame(refresher, exp);
            }
        } else if (isPast(expireAt, now, grace)) {
            close(Disconnect.EXPIRED);
            return;
        }
        if (subscriptions.anyExpired(now, grace, serverRefresh)) {
            close(Disconnect.SUB_EXPIRED);
        }
    }

    /**
     * True when {@code expireAtSeconds} (0: never) plus the grace lies before {@code nowMillis};
     * written without multiplying the expiry, which a far-future value would overflow.
     */
    static boolean isPast(long expireAtSeconds, long nowMillis, long graceMillis) {
        return expireAtSeconds > 0 && expireAtSeconds <= Math.floorDiv(nowMillis - graceMillis - 1, 1000);
    }

    // ---- closing ----

    /** Closes the connection with a disconnect code and cleans up its subscriptions. */
    public void close(Disconnect disconnect) {
        if (markClosed()) {
            transport.close(disconnect);
            cleanup(disconnect);
        }
    }

    /** Called by the transport when the connection ended on its side. */
    public void transportClosed(Disconnect disconnect) {
        if (markClosed()) {
            cleanup(disconnect == null ? Disconnect.CONNECTION_CLOSED : disconnect);
        }
    }

    private boolean markClosed() {
        synchronized (this) {
            if (state == State.CLOSED) {
                return false;
            }
            boolean wasConnected = state == State.CONNECTED;
            state = State.CLOSED;
            wasConnectedAtClose = wasConnected;
            return true;
        }
    }

    private boolean wasConnectedAtClose;

    private void cleanup(Disconnect disconnect) {
        Map<String, ClientSubscription> all;
        synchronized (this) {
            all = new HashMap<>(subs);
            subs.clear();
        }
        for (ClientSubscription sub : all.values()) {
            subscriptions.afterRemoved(sub);
        }
        node.removeClient(this, wasConnectedAtClose, disconnect);
    }

    static CompletableFuture<byte[]> failed(Throwable t) {
        return CompletableFuture.failedFuture(t);
    }
}
