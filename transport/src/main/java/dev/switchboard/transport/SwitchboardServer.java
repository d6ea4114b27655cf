package dev.switchboard.transport;

import dev.switchboard.core.engine.Broker;
import dev.switchboard.core.engine.Engine;
import dev.switchboard.core.engine.NodeRegistry;
import dev.switchboard.core.engine.PresenceManager;
import dev.switchboard.core.engine.memory.MemoryConnectionRegistry;
import dev.switchboard.core.engine.memory.MemoryNodeRegistry;
import dev.switchboard.core.hook.ConnectHandler;
import dev.switchboard.core.hook.DisconnectListener;
import dev.switchboard.core.hook.PublishHandler;
import dev.switchboard.core.hook.RpcHandler;
import dev.switchboard.core.hook.SendHandler;
import dev.switchboard.core.hook.SubscribeHandler;
import dev.switchboard.core.node.LifecycleEvents;
import dev.switchboard.core.node.Node;
import dev.switchboard.core.node.NodeOptions;
import dev.switchboard.transport.api.ApiExecutor;
import dev.switchboard.transport.config.ServerConfig;
import dev.switchboard.transport.emulation.EmulationEndpoints;
import dev.switchboard.transport.http.ClientTransports;
import dev.switchboard.transport.http.HealthReport;
import dev.switchboard.transport.http.HttpChannelInitializer;
import dev.switchboard.transport.http.HttpEndpoint;
import dev.switchboard.transport.http.HttpRefusals;
import dev.switchboard.transport.http.HttpRouter;
import dev.switchboard.transport.http.MountedEndpoints;
import dev.switchboard.transport.metrics.MicrometerNodeMetrics;
import dev.switchboard.transport.proxy.Proxies;
import dev.switchboard.transport.tls.TlsChannelInitializer;
import dev.switchboard.transport.tls.TlsContextHolder;
import dev.switchboard.transport.uni.UniHttpEndpoints;
import dev.switchboard.transport.webhook.WebhookConfig;
import dev.switchboard.transport.webhook.WebhookDispatcher;
import dev.switchboard.transport.websocket.OriginCheck;
import dev.switchboard.transport.websocket.WebSocketUpgrade;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelHandler;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Switchboard node served over HTTP and WebSocket: clients connect at
 * {@code /connection/websocket}, backends call {@code /api/<method>}, operators read
 * {@code /health} and {@code /metrics}.
 *
 * <p>Embed it in an application:
 * <pre>{@code
 * SwitchboardServer server = SwitchboardServer.builder()
 *     .config(ServerConfig.builder().port(8000).apiKey(key).token(TokenConfig.builder().hmacSecret(secret).build()).build())
 *     .rpc("getProfile", req -> CompletableFuture.supplyAsync(() -> profiles.load(req.client().user()), appExecutor))
 *     .onSubscribe(req -> CompletableFuture.completedFuture(acl.check(req)))
 *     .build();
 * server.start();
 * server.node().publish("news", json, PublishParams.DEFAULT);
 * server.close();
 * }</pre>
 */
public final class SwitchboardServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SwitchboardServer.class);

    private final ServerConfig config;
    private final Node node;
    private final ServerMeters meters;
    /** Made at {@link #start()}, so a server that fails to build or never starts holds no selector. */
    /** The listening sockets and their event loops, from {@link #start()}. */
    private volatile ServerListeners listeners;
    /** The server API, once started and when enabled; its batch threads stop with the server. */
    private volatile ApiExecutor api;

    private volatile boolean closed;
    /** Set when a graceful stop began: {@code /ready} answers 503 from then on. */
    private volatile boolean draining;
    /** The HTTP proxies to the application's backend (threads only when one is enabled). */
    private final Proxies proxies;
    /** The engine the node runs on, whose event queue the webhooks read. */
    private final Engine engine;
    /** {@code io_transport} resolved: the event loops' socket I/O, never {@link IoTransport#AUTO}. */
    private final IoTransport io;
    /** Delivers lifecycle events to the backend, from start when webhooks are enabled. */
    private volatile WebhookDispatcher webhooks;
    /** The public port's TLS context, reloaded from its files; {@code null} without {@code tls.enabled}. */
    private final TlsContextHolder tls;
    /** The application's endpoints, by prefix, made at {@link #start()} ({@link Builder#mount}). */
    private final Map<String, Function<SwitchboardServer, HttpEndpoint>> endpointFactories;

    private SwitchboardServer(Builder b) {
        this.config = b.config;
        this.endpointFactories = new LinkedHashMap<>(b.endpoints);
        if (b.engine == null) {
            config.validate();
        }
        // Before the engine, which would need closing: an explicit io_transport that does not load
        // and bad TLS files fail the build here.
        this.io = config.ioTransport().resolve();
        this.tls = config.tls().enabled() ? TlsContextHolder.load(config.tls()) : null;
        NodeOptions options = config.toNodeOptions();
        // First, before anything that would need releasing: this is what fails while Redis is
        // down (EngineUnavailableException), and the app retries it. The node owns the engine
        // from here on: it starts it and closes it.
        Engine engine = b.engine != null ? b.engine : Engines.create(config, options.id());
        this.engine = engine;
        this.meters = ServerMeters.of(b.meterRegistry);
        MeterRegistry registry = meters.registry();
        this.proxies = Proxies.create(config.proxies().endpoints(), registry, java.time.Clock.systemUTC());
        var nb = Node.builder()
                .options(options)
                .tokenVerifier(config.token().toVerifier())
                .engine(engine)
                .metrics(new MicrometerNodeMetrics(registry))
                .onSend(b.sendHandler)
                .onDisconnect(b.disconnectListener)
                .lifecycleEvents(lifecycleEvents(config.webhook()));
        proxies.wire(nb, options.channelRules(), b.connectHandler, b.subscribeHandler, b.publishHandler);
        b.rpc.forEach(nb::rpc);
        this.node = nb.build();
        meters.bindNode(node, engine);
        if (tls != null) {
            Gauge.builder("switchboard.tls.certificate.expiry", tls, TlsContextHolder::notAfterEpochSeconds)
                    .description("When the certificate served on the public port expires, in unix seconds")
                    .baseUnit("seconds")
                    .register(registry);
        }
    }

    private static LifecycleEvents lifecycleEvents(WebhookConfig webhook) {
        if (!webhook.enabled()) {
            return LifecycleEvents.NONE;
        }
        return webhook.subscriptionEvents()
                ? LifecycleEvents.CONNECTIONS_AND_SUBSCRIPTIONS
                : LifecycleEvents.CONNECTIONS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the node and binds the port.
     *
     * @throws IllegalStateException when the port cannot be bound (the message says which)
     */
    public SwitchboardServer start() {
        node.start();
        if (config.webhook().enabled()) {
            webhooks = WebhookDispatcher.start(
                    config.webhook(),
                    engine.eventQueue().orElseThrow(),
                    node.options().id(),
                    meters.registry());
        }
        OriginCheck origins = OriginCheck.of(config.clientAllowedOrigins());
        if (origins.allowsAll()) {
            log.warn("client.allowed_origins contains \"*\": a page on any web site may open WebSockets to this node"
                    + " with its visitors' cookies; list your sites' origins instead once cookies authenticate");
        }
        WebSocketUpgrade upgrade = new WebSocketUpgrade(
                node,
                config.clientMaxMessageSize(),
                node.options().clientQueueMaxBytes(),
                origins,
                proxies.forwardedHeaders(),
                meters.webSocketTraffic(),
                config.webSocketCompression(),
                config.clientWriteDelay());
        // Made even with http_api.enabled false: mounted endpoints (the admin page) call it in-process.
        this.api = new ApiExecutor(node, config.httpApiMaxResponseSize(), meters.api());
        ApiExecutor api = config.httpApiEnabled() ? this.api : null;
        Map<String, HttpEndpoint> built = new LinkedHashMap<>();
        endpointFactories.forEach((prefix, factory) -> built.put(prefix, Objects.requireNonNull(factory.apply(this))));
        MountedEndpoints endpoints = MountedEndpoints.of(built);
        Supplier<String> metrics = config.metricsEnabled() ? meters.prometheusText() : null;
        HttpRefusals refusals = meters.refusals();
        Supplier<HealthReport> health = config.healthEnabled() ? this::health : null;
        // With an internal port, the public one serves client transports only, the internal one the rest.
        boolean split = config.internalPort() != 0;
        EmulationEndpoints emulation = new EmulationEndpoints(
                node,
                config.clientMaxMessageSize(),
                node.options().clientQueueMaxBytes(),
                origins,
                WebSocketUpgrade.lowerCase(proxies.forwardedHeaders()));
        UniHttpEndpoints uniStreams = config.uniSseEnabled() || config.uniHttpStreamEnabled()
                ? new UniHttpEndpoints(
                        node,
                        node.options().clientQueueMaxBytes(),
                        origins,
                        config.uniSseEnabled(),
                        config.uniHttpStreamEnabled(),
                        proxies.forwardedHeaders())
                : null;
        ChannelHandler publicPipeline = new HttpChannelInitializer(
                config.http(),
                new ClientTransports(upgrade, config.uniWebSocketEnabled(), uniStreams, emulation),
                split ? null : api,
                config.apiKey(),
                split ? null : health,
                split ? null : metrics,
                refusals,
                split ? MountedEndpoints.NONE : endpoints);
        if (tls != null) {
            // Only the public port: the internal one is for a private network and stays plain.
            publicPipeline = new TlsChannelInitializer(tls, publicPipeline, refusals);
        }
        try {
            listeners = ServerListeners.bind(
                    io,
                    config.effectiveIoThreads(),
                    new ServerListeners.Listener(config.address(), config.port(), publicPipeline),
                    split
                            ? new ServerListeners.Listener(
                                    config.internalAddress(),
                                    config.internalPort(),
                                    new HttpChannelInitializer(
                                            config.http(),
                                            ClientTransports.NONE,
                                            api,
                                            config.apiKey(),
                                            health,
                                            metrics,
                                            refusals,
                                            endpoints))
                            : null);
        } catch (IllegalStateException e) {
            api.close();
            node.close();
            if (webhooks != null) {
                webhooks.close();
            }
            throw e;
        }
        if (tls != null) {
            tls.startReloading();
        }
        node.advertiseAddress(displayHost() + ":" + port());
        log.info(
                "node {} listening on {}:{}{} (engine {}, I/O {}){}",
                node.options().name(),
                config.address(),
                port(),
                tls != null ? " over TLS" : "",
                config.engine(),
                config.ioTransport().describeResolution(),
                split
                        ? "; API, metrics, health and readiness on " + config.internalAddress() + ":" + internalPort()
                        : "");
        return this;
    }

    /**
     * The bound internal port (API, metrics, health, readiness), or the public {@link #port()}
     * when {@code internal_port} is not set.
     */
    public int internalPort() {
        return listeners.internalPort();
    }

    /**
     * The server API run in-process, as {@code POST /api/<method>} would run it but without the
     * API key: for {@link Builder#mount mounted endpoints}, which authenticate their own callers.
     * There from {@link #start()} on, also when {@code http_api.enabled} is false.
     *
     * @throws IllegalStateException before {@link #start()}
     */
    public ApiExecutor apiExecutor() {
        if (api == null) {
            throw new IllegalStateException("the server is not started");
        }
        return api;
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return listeners.publicPort();
    }

    /** The node, for publishing and managing connections from application code. */
    public Node node() {
        return node;
    }

    public ServerConfig config() {
        return config;
    }

    /**
     * The public port's TLS context and its reloader, when {@code tls.enabled}: its
     * {@link TlsContextHolder#current()} is the certificate new connections get.
     */
    public java.util.Optional<TlsContextHolder> tls() {
        return java.util.Optional.ofNullable(tls);
    }

    /**
     * The registry the node's meters are in: the application's when it gave one to
     * {@link Builder#meterRegistry}, else the server's own Prometheus registry (served at
     * {@code /metrics}), to which application meters may be added.
     */
    public MeterRegistry meterRegistry() {
        return meters.registry();
    }

    /**
     * The health report served at {@code /health}: {@link HealthReport#ok()} is liveness (started,
     * not yet closed); {@link HealthReport#ready()} says whether new clients should come here
     * ({@code /ready}: engine up, heartbeat current, not draining).
     */
    public HealthReport health() {
        var info = node.info();
        boolean serving = listeners != null && !closed;
        return new HealthReport(
                serving,
                info.name(),
                config.engine().name().toLowerCase(),
                node.engineHealthy(),
                node.heartbeatCurrent(),
                draining,
                info.numClients(),
                info.uptimeSeconds());
    }

    /** The report {@code /ready} answers: {@link HealthReport#ok()} is whether the node is ready. */
    public HealthReport readiness() {
        return health().asReadiness();
    }

    /**
     * Starts draining: {@code /ready} answers 503 from now on so load balancers send new clients
     * elsewhere, while everything keeps working. {@link #close()} drains first by itself; call
     * this earlier to begin the drain before a close.
     */
    public void drain() {
        if (!draining) {
            draining = true;
            if (config.drainDelay().isZero()) {
                log.debug("draining: /ready answers 503");
            } else {
                log.info(
                        "draining: /ready answers 503; clients are told to reconnect in {} ms",
                        config.drainDelay().toMillis());
            }
        }
    }

    /** Summary used by {@code info} and the CLI banner. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("websocket", (tls != null ? "wss://" : "ws://") + displayHost() + ":" + port() + WebSocketUpgrade.PATH);
        m.put(
                "api",
                (tls != null && !listeners.hasInternal() ? "https://" : "http://")
                        + (listeners.hasInternal() ? config.internalAddress() : displayHost()) + ":" + internalPort()
                        + HttpRouter.API_PREFIX);
        return m;
    }

    private String displayHost() {
        String a = config.address();
        return a.equals("0.0.0.0") || a.equals("::") ? "127.0.0.1" : a;
    }

    /**
     * Graceful stop: {@link #drain() drains} for {@code shutdown.drain_delay} (not ready, still
     * serving), then no new connections, clients told to reconnect elsewhere (3001), and the node
     * closes its engine.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (listeners != null) {
            drain();
            sleep(config.drainDelay());
        }
        closed = true;
        if (listeners != null) {
            listeners.closeListeners();
        }
        node.close();
        if (webhooks != null) {
            // After the node: its last disconnects are queued events, and the memory engine's
            // dispatcher delivers what it can before the queue goes with the process.
            webhooks.close();
        }
        proxies.close();
        if (tls != null) {
            tls.close();
        }
        if (listeners != null) {
            listeners.shutdownLoops(config.shutdownTimeout());
        }
        if (api != null) {
            api.close();
        }
        meters.close();
    }

    private static void sleep(Duration d) {
        if (d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Builder of {@link SwitchboardServer}. */
    public static final class Builder {
        private ServerConfig config = ServerConfig.defaults();
        private Engine engine;
        private MeterRegistry meterRegistry;
        private ConnectHandler connectHandler;
        private SubscribeHandler subscribeHandler;
        private PublishHandler publishHandler;
        private SendHandler sendHandler;
        private DisconnectListener disconnectListener;
        private final Map<String, RpcHandler> rpc = new LinkedHashMap<>();
        private final Map<String, Function<SwitchboardServer, HttpEndpoint>> endpoints = new LinkedHashMap<>();

        private Builder() {}

        /**
         * Serves an application endpoint under {@code prefix} on the internal port, or on the only
         * port when {@code internal_port} is 0. {@code endpoint} is called once at
         * {@link SwitchboardServer#start()}, with the server, whose node, meters and
         * {@link SwitchboardServer#apiExecutor()} the endpoint may use. The endpoint authenticates
         * its callers itself: the API key is not asked for.
         *
         * <pre>{@code
         * builder.mount("/status", server -> req -> CompletableFuture.completedFuture(
         *     HttpAnswer.text(200, server.node().info().numClients() + " clients")));
         * }</pre>
         *
         * @param prefix {@code /} and a path without a trailing slash, such as {@code /admin}; not
         *     one of the node's own paths ({@code /api}, {@code /health}, {@code /ready},
         *     {@code /metrics}, {@code /connection})
         * @throws IllegalArgumentException for a bad or already mounted prefix
         */
        public Builder mount(String prefix, Function<SwitchboardServer, HttpEndpoint> endpoint) {
            MountedEndpoints.checkPrefix(prefix);
            Objects.requireNonNull(endpoint, "endpoint");
            if (endpoints.putIfAbsent(prefix, endpoint) != null) {
                throw new IllegalArgumentException(prefix + " is already mounted");
            }
            return this;
        }

        public Builder config(ServerConfig v) {
            config = Objects.requireNonNull(v);
            return this;
        }

        /**
         * Uses another engine than the one the config names; the config's {@code engine} key is
         * then only a label. The server's node starts the engine and closes it.
         *
         * <pre>{@code
         * SwitchboardServer.builder().config(config).engine(Engine.of(broker, presence, nodes, connections)).build();
         * }</pre>
         */
        public Builder engine(Engine v) {
            engine = Objects.requireNonNull(v);
            return this;
        }

        /**
         * Uses a single-node engine made of this broker and presence manager, with the memory
         * node and connection registries.
         *
         * @param r must be {@code null}: an engine with a node registry of its own spans nodes
         *     and so needs its own connection registry too
         * @throws IllegalArgumentException when a node registry is given
         * @deprecated give the whole engine with {@link #engine(Engine)}
         */
        @Deprecated
        public Builder engine(Broker b, PresenceManager p, NodeRegistry r) {
            if (r != null) {
                throw new IllegalArgumentException("engine(broker, presenceManager, nodeRegistry) has no connection "
                        + "registry, which an engine spanning nodes needs: give engine(Engine.of(broker, presenceManager, "
                        + "nodeRegistry, connectionRegistry))");
            }
            return engine(Engine.of(b, p, new MemoryNodeRegistry(), new MemoryConnectionRegistry()));
        }

        /**
         * Records the node's meters in the application's registry instead of the server's own.
         * {@code /metrics} then serves that registry when it is a Prometheus one, and is absent
         * (404) otherwise; the server never closes it.
         *
         * <pre>{@code
         * SwitchboardServer.builder().config(config).meterRegistry(appRegistry).build();
         * }</pre>
         */
        public Builder meterRegistry(MeterRegistry v) {
            meterRegistry = Objects.requireNonNull(v);
            return this;
        }

        public Builder onConnect(ConnectHandler v) {
            connectHandler = v;
            return this;
        }

        public Builder onSubscribe(SubscribeHandler v) {
            subscribeHandler = v;
            return this;
        }

        public Builder onPublish(PublishHandler v) {
            publishHandler = v;
            return this;
        }

        public Builder onSend(SendHandler v) {
            sendHandler = v;
            return this;
        }

        public Builder onDisconnect(DisconnectListener v) {
            disconnectListener = v;
            return this;
        }

        public Builder rpc(String method, RpcHandler handler) {
            rpc.put(method, handler);
            return this;
        }

        public SwitchboardServer build() {
            return new SwitchboardServer(this);
        }
    }
}
