package dev.switchboard.core.node;

import dev.switchboard.core.auth.TokenVerifier;
import dev.switchboard.core.channel.ChannelGlob;
import dev.switchboard.core.channel.ChannelOptions;
import dev.switchboard.core.engine.Broker;
import dev.switchboard.core.engine.ClientInfo;
import dev.switchboard.core.engine.ConnectionEntry;
import dev.switchboard.core.engine.ConnectionRegistry;
import dev.switchboard.core.engine.Engine;
import dev.switchboard.core.engine.HistoryFilter;
import dev.switchboard.core.engine.HistoryResult;
import dev.switchboard.core.engine.NodeInfo;
import dev.switchboard.core.engine.NodeRegistry;
import dev.switchboard.core.engine.PresenceManager;
import dev.switchboard.core.engine.PresenceStats;
import dev.switchboard.core.engine.PublishOptions;
import dev.switchboard.core.engine.StreamPosition;
import dev.switchboard.core.hook.ConnectHandler;
import dev.switchboard.core.hook.DisconnectListener;
import dev.switchboard.core.hook.PublishHandler;
import dev.switchboard.core.hook.RefreshHandler;
import dev.switchboard.core.hook.RpcHandler;
import dev.switchboard.core.hook.SendHandler;
import dev.switchboard.core.hook.SubRefreshHandler;
import dev.switchboard.core.hook.SubscribeHandler;
import dev.switchboard.core.protocol.Disconnect;
import dev.switchboard.core.protocol.ProtocolCodec;
import dev.switchboard.core.protocol.ProtocolError;
import dev.switchboard.core.protocol.Utf8;
import dev.switchboard.core.rpc.InvokeException;
import dev.switchboard.core.rpc.InvokeResult;
import dev.switchboard.core.rpc.InvokeTarget;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Switchboard node: channels, subscriptions, history, presence and client sessions, on top of
 * an {@link Engine} (broker, presence and registries). Transports create a {@link Client} per
 * connection with {@link #newClient(Transport)}; application code publishes and manages
 * connections through the methods here.
 *
 * <pre>{@code
 * Node node = Node.builder()
 *     .options(NodeOptions.builder().channelRules(rules).build())
 *     .tokenVerifier(verifier)
 *     .rpc("echo", req -> CompletableFuture.completedFuture(req.data()))
 *     .build();
 * node.start();
 * node.publish("news", "{\"title\":\"hello\"}".getBytes(UTF_8), PublishParams.DEFAULT).join();
 * node.close();
 * }</pre>
 */
public final class Node implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Node.class);
    private static final int STRIPES = 64;
    /** How long a closing node waits for its last registry writes before closing the engine. */
    private static final long CLOSE_WRITES_WAIT_MILLIS = 2000;
    /** Heartbeat intervals without a successful heartbeat after which {@link #heartbeatCurrent()} is false. */
    static final int HEARTBEATS_BEFORE_LATE = 4;

    private final NodeOptions options;
    private final Engine engine;
    private final Broker broker;
    private final PresenceManager presenceManager;
    private final NodeRegistry registry;
    private final ConnectionRegistry connections;
    private final Invocations invocations;
    private volatile String address = "";
    private final TokenVerifier tokenVerifier;
    private final ConnectHandler connectHandler;
    private final RefreshHandler refreshHandler;
    private final SubscribeHandler subscribeHandler;
    private final SubRefreshHandler subRefreshHandler;
    private final RpcHandler rpcFallback;
    private final PublishHandler publishHandler;
    private final SendHandler sendHandler;
    private final DisconnectListener disconnectListener;
    private final ConnectionLifecycle lifecycle;
    private final Map<String, RpcHandler> rpcHandlers;
    private final NodeMetrics metrics;
    private final Hub hub = new Hub();
    private final Object[] stripes = new Object[STRIPES];
    private final Map<String, CompletableFuture<Void>> brokerSubscriptions = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor scheduler;
    private final ScheduledThreadPoolExecutor heartbeats;
    private final NodeControl control;
    private final ChannelSurvey channelSurvey;
    private final DeltaBases deltaBases = new DeltaBases();
    private final Emulation emulation = new Emulation(this);
    private final Clock clock;
    private final long startedAt;
    private volatile boolean closed;
    /** When the last heartbeat that succeeded was sent, Unix ms; 0 before the first. */
    private volatile long lastHeartbeatAt;
    /** Connections not yet in the hub, ticked for their connect timeout. */
    private final Set<Client> connecting = ConcurrentHashMap.newKeySet();

    Node(NodeBuilder b, Engine engine) {
        this.options = b.options;
        this.engine = engine;
        this.broker = engine.broker();
        this.presenceManager = engine.presenceManager();
        this.registry = engine.nodeRegistry();
        this.connections = engine.connectionRegistry();
        this.tokenVerifier = b.tokenVerifier;
        this.connectHandler = b.connectHandler;
        this.refreshHandler = b.refreshHandler;
        this.subscribeHandler = b.subscribeHandler;
        this.subRefreshHandler = b.subRefreshHandler;
        this.rpcFallback = b.rpcFallback;
        this.publishHandler = b.publishHandler;
        this.sendHandler = b.sendHandler;
        this.disconnectListener = b.disconnectListener;
        this.rpcHandlers = Map.copyOf(b.rpcHandlers);
        this.metrics = b.metrics;
        this.clock = b.clock;
        this.startedAt = clock.millis();
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "switchboard-node-" + options.name());
            t.setDaemon(true);
            return t;
        });
        this.scheduler.setRemoveOnCancelPolicy(true);
        this.heartbeats = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "switchboard-heartbeat-" + options.name());
            t.setDaemon(true);
            return t;
        });
        this.control = new NodeControl(this);
        this.channelSurvey = new ChannelSurvey(this);
        this.invocations = new Invocations(this, options.maxPendingInvocations());
        this.lifecycle =
                new ConnectionLifecycle(connections, engine.eventQueue().orElse(null), b.lifecycleEvents, clock);
    }

    public static NodeBuilder builder() {
        return new NodeBuilder();
    }

    /** Starts the engine and the node's timers. */
    public Node start() {
        engine.start(new NodeEvents(this));
        long tick = Math.max(50, Math.min(1000, options.pongTimeout().toMillis() / 4));
        scheduler.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
        long presence = options.presenceUpdateInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::refreshPresence, presence, presence, TimeUnit.MILLISECONDS);
        invocations.start();
        heartbeat();
        long hb = options.heartbeatInterval().toMillis();
        // Its own thread: a node busy with timers and client ticks must still look alive.
        heartbeats.scheduleAtFixedRate(this::heartbeat, hb, hb, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Sets the address other members see for this node, e.g. once the server has bound its port. */
    public void advertiseAddress(String hostPort) {
        this.address = hostPort == null ? "" : hostPort;
        heartbeat();
    }

    private void heartbeat() {
        if (closed) {
            return;
        }
        long started = clock.millis();
        registry.heartbeat(info()).whenComplete((joined, e) -> {
            if (e != null) {
                log.debug("heartbeat failed: {}", e.toString());
            } else {
                boolean rejoined = Boolean.TRUE.equals(joined) && lastHeartbeatAt != 0;
                lastHeartbeatAt = started;
                if (rejoined) {
                    // Evicted, or the engine lost its data: the registry lost our connections too.
                    List<Client> open = List.copyOf(hub.clients());
                    log.warn(
                            "node {} was not in the registry (evicted, or the engine lost its data): registering its {}"
                                    + " connections again",
                            options.name(),
                            open.size());
                    open.forEach(c -> lifecycle.connected(entryOf(c), c.transport.name()));
                }
                // The engine answers again: connections it could not learn of meanwhile are written now.
                lifecycle.retryFailed(id -> hub.client(id) != null);
            }
        });
    }

    /**
     * Whether this node's last successful heartbeat is recent (within
     * {@value #HEARTBEATS_BEFORE_LATE} heartbeat intervals), so the cluster still sees it: a
     * node that is not is about to be evicted, and should not take new clients.
     */
    public boolean heartbeatCurrent() {
        long limit = HEARTBEATS_BEFORE_LATE * options.heartbeatInterval().toMillis();
        return clock.millis() - lastHeartbeatAt <= limit;
    }

    // ---- accessors used by the session classes ----

    public NodeOptions options() {
        return options;
    }

    Broker broker() {
        return broker;
    }

    PresenceManager presenceManager() {
        return presenceManager;
    }

    TokenVerifier tokenVerifier() {
        return tokenVerifier;
    }

    ConnectHandler connectHandler() {
        return connectHandler;
    }

    RefreshHandler refreshHandler() {
        return refreshHandler;
    }

    SubscribeHandler subscribeHandler() {
        return subscribeHandler;
    }

    SubRefreshHandler subRefreshHandler() {
        return subRefreshHandler;
    }

    PublishHandler publishHandler() {
        return publishHandler;
    }

    SendHandler sendHandler() {
        return sendHandler;
    }

    RpcHandler rpcHandler(String method) {
        RpcHandler h = rpcHandlers.get(method);
        return h != null ? h : rpcFallback;
    }

    NodeMetrics metrics() {
        return metrics;
    }

    NodeControl control() {
        return control;
    }

    Emulation emulation() {
        return emulation;
    }

    /** What {@link #emulate} did with a request's commands. */
    public enum EmulationResult {
        /** The session is this node's: its client has the commands. */
        DELIVERED,
        /** The session is another node's: sent there through the engine, whether it still exists or not. */
        FORWARDED,
        /** The request named this node, which has no such session (closed, or never was). */
        UNKNOWN_SESSION
    }

    /**
     * Hands the commands of an {@code /emulation} request to the session they name: here when
     * {@code nodeId} is this node (or empty), else as one message to that node through the
     * engine, since with no sticky sessions the request may reach any node.
     *
     * <pre>{@code
     * Node.EmulationResult r = node.emulate(req.node(), req.session(), req.data());
     * if (r == Node.EmulationResult.UNKNOWN_SESSION) respond(404);
     * }</pre>
     *
     * @param commands the commands, encoded as the session's client speaks (JSON lines or protobuf)
     */
    public EmulationResult emulate(String nodeId, String session, byte[] commands) {
        return emulation.emulate(nodeId, session, commands);
    }

    DeltaBases deltaBases() {
        return deltaBases;
    }

    ChannelSurvey channelSurvey() {
        return channelSurvey;
    }

    NodeRegistry registry() {
        return registry;
    }

    Executor executor() {
        return scheduler;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    ConnectionRegistry connections() {
        return connections;
    }

    ConnectionLifecycle lifecycle() {
        return lifecycle;
    }

    /**
     * Connection registry writes that failed since start (the engine was unreachable): those
     * connections are missing from the cluster's registry, and, with lifecycle events on, their
     * events were not queued.
     */
    public long registryWriteFailures() {
        return lifecycle.failedWrites();
    }

    Invocations invocations() {
        return invocations;
    }

    Hub hub() {
        return hub;
    }

    Clock clock() {
        return clock;
    }

    // ---- connections ----

    /**
     * Creates the session for a new transport connection. The transport feeds it frames with
     * {@link Client#handleFrame(byte[])} and reports its end with {@link Client#transportClosed}.
     */
    public Client newClient(Transport transport) {
        Client c = new Client(this, transport, UUID.randomUUID().toString(), clock.millis());
        if (closed) {
            c.close(Disconnect.SHUTDOWN);
        } else {
            connecting.add(c);
            if (c.session() != null) {
                emulation.add(c);
            }
        }
        return c;
    }

    void addClient(Client c) {
        hub.addClient(c);
        lifecycle.connected(entryOf(c), c.transport.name());
    }

    ConnectionEntry entryOf(Client c) {
        return new ConnectionEntry(c.id(), c.userId(), c.routingKey(), options.id(), c.connectedAt());
    }

    void removeClient(Client c, boolean wasConnected, Disconnect disconnect) {
        hub.removeClient(c);
        if (c.session() != null) {
            emulation.remove(c);
        }
        // One line per disconnect, here where every path (client, server, engine, drain) meets with
        // its code. Ids, user and code only: never the token, headers or connect data.
        if (log.isDebugEnabled()) {
            log.debug(
                    "client {} (user \"{}\", {}) {}: code {}, reason \"{}\"",
                    c.id(),
                    c.userId(),
                    c.transport.name(),
                    wasConnected ? "disconnected" : "closed before connecting",
                    disconnect.code(),
                    disconnect.reason());
        }
        if (wasConnected) {
            lifecycle.disconnected(entryOf(c), disconnect);
            invocations.clientGone(c.id());
            metrics.disconnected(disconnect.code());
            if (disconnectListener != null) {
                try {
                    disconnectListener.onDisconnect(c.info(), disconnect);
                } catch (RuntimeException e) {
                    log.warn("disconnect listener failed", e);
                }
            }
        }
    }

    int userConnectionCount(String user) {
        return hub.userClients(user).size();
    }

    private Object stripe(String channel) {
        return stripes[(channel.hashCode() & 0x7fffffff) % STRIPES];
    }

    /** Adds a local subscriber; the first one subscribes this node in the engine. */
    CompletableFuture<Void> addSubscriber(String channel, Client c) {
        synchronized (stripe(channel)) {
            boolean first = hub.addSubscriber(channel, c);
            CompletableFuture<Void> f = brokerSubscriptions.get(channel);
            if (first || f == null || f.isCompletedExceptionally()) {
                f = broker.subscribe(channel);
                brokerSubscriptions.put(channel, f);
            }
            return f;
        }
    }

    /** Removes a local subscriber; the last one unsubscribes this node in the engine. */
    void removeSubscriber(String channel, Client c) {
        synchronized (stripe(channel)) {
            if (hub.removeSubscriber(channel, c)) {
                brokerSubscriptions.remove(channel);
                deltaBases.forget(channel);
                broker.unsubscribe(channel).exceptionally(e -> {
                    log.warn("engine unsubscribe from {} failed", channel, e);
                    return null;
                });
            }
        }
    }

    // ---- application API ----

    /**
     * Publishes raw JSON data into a channel with the channel's history settings.
     *
     * @return the publication's stream position; fails with {@link ProtocolError#UNKNOWN_CHANNEL}
     *     for a channel of an unknown namespace, or a temporary error when the engine is down
     */
    public CompletableFuture<StreamPosition> publish(String channel, byte[] data, PublishParams params) {
        ChannelOptions opts;
        try {
            opts = channelOptions(channel);
        } catch (ProtocolError e) {
            return CompletableFuture.failedFuture(e);
        }
        if (data.length > options.maxPublicationSize()) {
            return CompletableFuture.failedFuture(
                    ProtocolError.BAD_REQUEST.withMessage(publicationTooLarge(data.length)));
        }
        if (!Utf8.isValid(data)) {
            // Stored, it would reach every subscriber in a text frame their client must reject.
            return CompletableFuture.failedFuture(
                    ProtocolError.BAD_REQUEST.withMessage("publication data is not valid UTF-8"));
        }
        boolean history = opts.historyEnabled() && !params.skipHistory();
        PublishOptions po = new PublishOptions(
                history ? opts.historySize() : 0,
                history ? opts.historyTtl() : Duration.ZERO,
                opts.historyMetaTtl(),
                params.info(),
                params.tags(),
                params.idempotencyKey(),
                null);
        return broker.publish(channel, data, po);
    }

    /** Why a publication of {@code size} bytes is refused, naming the limit. */
    public String publicationTooLarge(int size) {
        return "publication data is " + size + " bytes, more than max_publication_size (" + options.maxPublicationSize()
                + ")";
    }

    /** Publishes raw JSON data into a channel with default parameters. */
    public CompletableFuture<StreamPosition> publish(String channel, byte[] data) {
        return publish(channel, data, PublishParams.DEFAULT);
    }

    /**
     * Reads a channel's history, at most {@link NodeOptions#historyMaxPublicationLimit()}
     * publications whatever the filter's limit.
     *
     * @return fails with {@link ProtocolError#NOT_AVAILABLE} when the channel keeps no history and
     *     {@link ProtocolError#UNRECOVERABLE_POSITION} when {@code since} names another epoch
     */
    public CompletableFuture<HistoryResult> history(String channel, HistoryFilter filter) {
        ChannelOptions channelOptions;
        try {
            channelOptions = channelOptions(channel);
            if (!channelOptions.historyEnabled()) {
                throw ProtocolError.NOT_AVAILABLE;
            }
        } catch (ProtocolError e) {
            return CompletableFuture.failedFuture(e);
        }
        filter = filter.withMetaTtl(channelOptions.historyMetaTtl());
        // Asking for everything must not mean everything: a reply is held whole in memory.
        int cap = options.historyMaxPublicationLimit();
        if (filter.limit() == HistoryFilter.NO_LIMIT || filter.limit() > cap) {
            filter = new HistoryFilter(filter.since(), cap, filter.reverse(), filter.metaTtl());
        }
        StreamPosition since = filter.since();
        return broker.history(channel, filter).thenApply(h -> {
            if (since != null
                    && !since.epoch().isEmpty()
                    && !since.epoch().equals(h.position().epoch())) {
                throw ProtocolError.UNRECOVERABLE_POSITION;
            }
            return h;
        });
    }

    /** Removes a channel's history; its stream position is kept. */
    public CompletableFuture<Void> removeHistory(String channel) {
        try {
            channelOptions(channel);
        } catch (ProtocolError e) {
            return CompletableFuture.failedFuture(e);
        }
        return broker.removeHistory(channel);
    }

    /** Who is in a channel, by client id. Fails with 108 when the channel keeps no presence. */
    public CompletableFuture<Map<String, ClientInfo>> presence(String channel) {
        try {
            if (!channelOptions(channel).presence()) {
                throw ProtocolError.NOT_AVAILABLE;
            }
        } catch (ProtocolError e) {
            return CompletableFuture.failedFuture(e);
        }
        return presenceManager.presence(channel);
    }

    /** Counts of a channel's presence. Fails with 108 when the channel keeps no presence. */
    public CompletableFuture<PresenceStats> presenceStats(String channel) {
        try {
            if (!channelOptions(channel).presence()) {
                throw ProtocolError.NOT_AVAILABLE;
            }
        } catch (ProtocolError e) {
            return CompletableFuture.failedFuture(e);
        }
        return presenceManager.presenceStats(channel);
    }

    /** Disconnects a user's connections (or one of them, by client id) on every node. */
    public CompletableFuture<Void> disconnect(String user, String clientId, Disconnect disconnect) {
        return broker.publishControl(NodeControl.disconnect(user, clientId, disconnect));
    }

    /** Ends a user's subscription to a channel (optionally one connection's) on every node. */
    public CompletableFuture<Void> unsubscribe(String user, String channel, String clientId) {
        return broker.publishControl(NodeControl.unsubscribe(user, channel, clientId));
    }

    /** Subscribes a user's connections (optionally one) to a channel on every node, server-side. */
    public CompletableFuture<Void> subscribe(String user, String channel, String clientId) {
        try {
            channelOptions(channel);
        } catch (ProtocolError e) {
            return CompletableFuture.failedFuture(e);
        }
        return broker.publishControl(NodeControl.subscribe(user, channel, clientId));
    }

    /**
     * Changes the expiry of a user's connections on every node: {@code expired} disconnects
     * them (3005), otherwise {@code expireAt} (Unix seconds, {@code 0} for never) is set.
     */
    public CompletableFuture<Void> refresh(String user, String clientId, boolean expired, long expireAt) {
        return broker.publishControl(NodeControl.refresh(user, clientId, expired, expireAt));
    }

    /** Sends a {@code message} push to a user's connections (or one of them) on this node. */
    public int sendLocal(String user, String clientId, byte[] data) {
        byte[] push = ProtocolCodec.messagePush(data);
        int n = 0;
        for (Client c : control.targets(user, clientId)) {
            c.write(push);
            n++;
        }
        return n;
    }

    /**
     * Channels with subscribers on this node and their subscriber counts, filtered by a pattern
     * where {@code *} matches any characters ({@link ChannelGlob}).
     *
     * @throws IllegalArgumentException when the pattern is longer than {@link ChannelGlob#MAX_PATTERN_LENGTH}
     */
    public Map<String, Integer> channels(String pattern) {
        ChannelGlob p = pattern == null || pattern.isEmpty() ? null : ChannelGlob.compile(pattern);
        Map<String, Integer> out = new TreeMap<>();
        for (Map.Entry<String, Set<Client>> e : hub.channels().entrySet()) {
            if (p == null || p.matches(e.getKey())) {
                out.put(e.getKey(), e.getValue().size());
            }
        }
        return out;
    }

    /**
     * Channels with subscribers on any live node of the cluster and their subscriber counts
     * summed, filtered as {@link #channels(String)} is. Each node is asked (a survey through the
     * engine); one that does not answer within two seconds is left out.
     *
     * <pre>{@code
     * node.clusterChannels("chat:*").thenAccept(counts -> counts.forEach((ch, n) -> ...));
     * }</pre>
     *
     * @throws IllegalArgumentException when the pattern is longer than {@link ChannelGlob#MAX_PATTERN_LENGTH}
     */
    public CompletableFuture<Map<String, Integer>> clusterChannels(String pattern) {
        return channelSurvey.channels(pattern);
    }

    /** This node's identity and counts. */
    public NodeInfo info() {
        return new NodeInfo(
                options.id(),
                options.name(),
                options.version(),
                address,
                hub.clientCount(),
                hub.userCount(),
                hub.subscriptionCount(),
                hub.channelCount(),
                (clock.millis() - startedAt) / 1000);
    }

    /** Every live node of the cluster, this one included, as of their last heartbeats. */
    public CompletableFuture<List<NodeInfo>> nodes() {
        // This node's own counts are read live; the others' are as of their last heartbeat.
        return registry.nodes().thenApply(all -> {
            List<NodeInfo> out = new java.util.ArrayList<>(all.size() + 1);
            out.add(info());
            for (NodeInfo n : all) {
                if (!n.id().equals(options.id())) {
                    out.add(n);
                }
            }
            return out;
        });
    }

    // ---- invocations ----

    /**
     * Invokes a method on one connected client, wherever its socket is, and waits for its
     * answer. Fails with an {@link InvokeException} naming why: not connected, disconnected
     * during the call, its node died, timeout, the client's own error, too many pending calls.
     * Cancelling the returned future abandons the call.
     *
     * <pre>{@code
     * node.invoke(InvokeTarget.routingKey("proj-1:staging"), "runTest", args, Duration.ofSeconds(30))
     *     .thenAccept(result -> ...);
     * }</pre>
     *
     * @param data raw JSON arguments, or {@code null}
     * @return the raw JSON result
     */
    public CompletableFuture<byte[]> invoke(InvokeTarget target, String method, byte[] data, Duration timeout) {
        return invocations.invoke(target, method, data, timeout);
    }

    /** Invokes a method on every connection of a user and gathers each answer. */
    public CompletableFuture<List<InvokeResult>> invokeAll(String user, String method, byte[] data, Duration timeout) {
        return connections.byUser(user).thenCompose(entries -> {
            List<CompletableFuture<InvokeResult>> calls = new ArrayList<>();
            for (ConnectionEntry e : entries) {
                calls.add(invocations.invokeEntry(e, method, data, timeout).handle((r, err) -> {
                    Throwable c = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                            ? err.getCause()
                            : err;
                    return new InvokeResult(
                            e.clientId(),
                            r,
                            c == null
                                    ? null
                                    : c instanceof InvokeException ie
                                            ? ie
                                            : new InvokeException(
                                                    InvokeException.Reason.ENGINE_UNAVAILABLE, String.valueOf(c)));
                }));
            }
            return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
                    .thenApply(v -> calls.stream().map(CompletableFuture::join).toList());
        });
    }

    /** Where a target's connection is in the cluster, if it is connected. */
    public CompletableFuture<Optional<ConnectionEntry>> connection(InvokeTarget target) {
        return invocations.resolve(target).handle((e, err) -> {
            Throwable c = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                    ? err.getCause()
                    : err;
            if (c == null) {
                return Optional.of(e);
            }
            if (c instanceof InvokeException ie && ie.reason() == InvokeException.Reason.NOT_CONNECTED) {
                return Optional.empty();
            }
            throw new java.util.concurrent.CompletionException(c);
        });
    }

    /** The cluster's connections, filtered by user and/or routing key ({@code null} for any). */
    public CompletableFuture<List<ConnectionEntry>> connections(String user, String routingKey) {
        CompletableFuture<List<ConnectionEntry>> base = user != null
                ? connections.byUser(user)
                : routingKey != null ? connections.byRoutingKey(routingKey) : connections.all();
        return base.thenApply(list -> list.stream()
                .filter(e -> routingKey == null || routingKey.equals(e.routingKey()))
                .filter(e -> user == null || user.equals(e.user()))
                .toList());
    }

    /** Invocations this node is waiting on, and calls it delivered to its clients that are unanswered. */
    public int pendingInvocations() {
        return invocations.pendingCount() + invocations.deliveredCount();
    }

    /** Whether the engine is reachable. */
    public boolean engineHealthy() {
        return engine.healthy();
    }

    /** The options of a channel, or 102/107 for unknown or invalid names. */
    public ChannelOptions channelOptions(String channel) {
        if (!options.channelRules().isValidName(channel)) {
            throw ProtocolError.BAD_REQUEST.withMessage("invalid channel name");
        }
        return options.channelRules().optionsFor(channel).orElseThrow(() -> ProtocolError.UNKNOWN_CHANNEL);
    }

    // ---- timers ----

    /**
     * Checks every connection's deadlines against the clock (connect timeout, ping and pong,
     * token expiry). Runs on the node's timer; tests with a hand-moved clock call it directly.
     */
    void tick() {
        long now = clock.millis();
        for (Client c : hub.clients()) {
            c.tick(now);
        }
        pendingTick(now);
    }

    private void pendingTick(long now) {
        connecting.removeIf(c -> c.isConnected() || c.isClosed());
        for (Client c : connecting) {
            c.tick(now);
        }
    }

    private void refreshPresence() {
        for (Client c : hub.clients()) {
            c.subscriptions().refreshPresence();
        }
    }

    /** True once {@link #close()} began. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Disconnects every client with {@link Disconnect#SHUTDOWN} (so SDKs reconnect elsewhere),
     * stops timers, leaves the node registry and closes the engine.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        invocations.closeAll();
        for (Client c : hub.clients()) {
            c.close(Disconnect.SHUTDOWN);
        }
        for (Client c : connecting) {
            c.close(Disconnect.SHUTDOWN);
        }
        // The disconnects above are registry writes (and disconnected events): let them land
        // before the engine goes.
        if (!lifecycle.awaitInFlight(CLOSE_WRITES_WAIT_MILLIS)) {
            log.warn("closing with connection registry writes still in flight");
        }
        scheduler.shutdownNow();
        heartbeats.shutdownNow();
        try {
            registry.leave(options.id()).get(1, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("could not leave the registry: {}", e.toString());
        }
        engine.close();
    }
}
