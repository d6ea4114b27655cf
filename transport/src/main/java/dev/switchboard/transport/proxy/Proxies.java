package dev.switchboard.transport.proxy;

import dev.switchboard.core.channel.ChannelOptions;
import dev.switchboard.core.channel.ChannelRules;
import dev.switchboard.core.hook.ConnectHandler;
import dev.switchboard.core.hook.PublishHandler;
import dev.switchboard.core.hook.SubscribeHandler;
import dev.switchboard.core.node.NodeBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The proxies of one node: one shared JDK {@link HttpClient} (one keep-alive pool per backend
 * host) whose work and completions run on a small pool of our own threads, never on Netty's event
 * loops, and a {@link ProxyClient} per configured proxy. {@link #wire} sets them on the node's
 * builder together with the application's own hooks. Made and closed by the server.
 *
 * <pre>{@code
 * Proxies proxies = Proxies.create(new Proxies.Endpoints(connect, refresh, subscribe, publish, subRefresh, rpc),
 *     registry, Clock.systemUTC());
 * proxies.wire(nodeBuilder, options.channelRules(), appConnect, appSubscribe, appPublish);
 * upgrade = new WebSocketUpgrade(node, maxMessage, maxQueue, origins, proxies.forwardedHeaders());
 * proxies.close();
 * }</pre>
 */
public final class Proxies implements AutoCloseable {

    /**
     * Threads that run the HTTP client and map answers. Two suffice: their work is parsing small
     * JSON answers and completing stages, nothing blocks on them.
     */
    static final int THREADS = 2;

    /**
     * Every proxy's config: Centrifugo v6's {@code client.proxy.connect}/{@code refresh},
     * {@code channel.proxy.subscribe}/{@code publish}/{@code sub_refresh} and {@code rpc.proxy}.
     * A proxy is called only when {@link ProxyConfig#enabled()}; the channel proxies are enabled
     * by having an endpoint, and used by the namespaces that enable them.
     */
    public record Endpoints(
            ProxyConfig connect,
            ProxyConfig refresh,
            ProxyConfig subscribe,
            ProxyConfig publish,
            ProxyConfig subRefresh,
            ProxyConfig rpc) {

        public Endpoints {
            Objects.requireNonNull(connect, "connect");
            Objects.requireNonNull(refresh, "refresh");
            Objects.requireNonNull(subscribe, "subscribe");
            Objects.requireNonNull(publish, "publish");
            Objects.requireNonNull(subRefresh, "subRefresh");
            Objects.requireNonNull(rpc, "rpc");
        }

        Stream<ProxyConfig> all() {
            return Stream.of(connect, refresh, subscribe, publish, subRefresh, rpc);
        }
    }

    private final ExecutorService executor;
    private final MeterRegistry registry;
    private final HttpClient http;
    private final ConnectProxy connect;
    private final RefreshProxy refresh;
    private final SubscribeProxy subscribe;
    private final PublishProxy publish;
    private final RefreshProxy subRefresh;
    private final RpcProxy rpc;
    private final Set<String> forwardedHeaders = new LinkedHashSet<>();
    private final List<ProxyClient> clients = new ArrayList<>();

    private Proxies(Endpoints e, MeterRegistry registry, Clock clock) {
        this.registry = registry;
        boolean any = e.all().anyMatch(ProxyConfig::enabled);
        this.executor = any ? Executors.newFixedThreadPool(THREADS, daemonThreads()) : null;
        this.http = any
                ? HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .connectTimeout(longest(e))
                        .executor(executor)
                        .build()
                : null;
        Duration retry = RefreshProxy.RETRY_AFTER_FAILURE;
        this.connect = e.connect().enabled() ? new ConnectProxy(client("connect", e.connect())) : null;
        this.refresh = e.refresh().enabled() ? new RefreshProxy(client("refresh", e.refresh()), clock, retry) : null;
        this.subscribe = e.subscribe().enabled() ? new SubscribeProxy(client("subscribe", e.subscribe())) : null;
        this.publish = e.publish().enabled() ? new PublishProxy(client("publish", e.publish())) : null;
        this.subRefresh =
                e.subRefresh().enabled() ? new RefreshProxy(client("sub_refresh", e.subRefresh()), clock, retry) : null;
        this.rpc = e.rpc().enabled() ? new RpcProxy(client("rpc", e.rpc())) : null;
    }

    /** Makes the enabled proxies; with none enabled, nothing is started. */
    public static Proxies create(Endpoints endpoints, MeterRegistry registry, Clock clock) {
        return new Proxies(endpoints, registry, clock);
    }

    /** Only the connect and refresh proxies, as before the channel and RPC proxies existed. */
    public static Proxies create(ProxyConfig connect, ProxyConfig refresh, MeterRegistry registry, Clock clock) {
        ProxyConfig off = ProxyConfig.disabled();
        return create(new Endpoints(connect, refresh, off, off, off, off), registry, clock);
    }

    private ProxyClient client(String name, ProxyConfig config) {
        ProxyClient c = new ProxyClient(name, config, http, executor, registry, System::nanoTime);
        clients.add(c);
        forwardedHeaders.addAll(config.httpHeaders());
        return c;
    }

    /** A connect is bounded by the proxy's own timeout; the socket's by the longest of them. */
    private static Duration longest(Endpoints e) {
        return e.all()
                .filter(ProxyConfig::enabled)
                .map(ProxyConfig::timeout)
                .max(Duration::compareTo)
                .orElse(ProxyConfig.DEFAULT_TIMEOUT);
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "switchboard-proxy-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Sets the proxies and the application's hooks on the node's builder: connect (the
     * application's {@code onConnect} or the connect proxy, not both), refresh, subscribe and
     * publish routed per namespace ({@link ChannelProxyHooks}), sub refresh, and the RPC proxy as
     * the handler of methods no Java handler is registered for.
     *
     * @throws IllegalStateException when both an application connect hook and the connect proxy
     *     are set, or a namespace enables a channel proxy that has no endpoint; the proxies are
     *     closed then
     */
    public void wire(
            NodeBuilder nb,
            ChannelRules rules,
            ConnectHandler appConnect,
            SubscribeHandler appSubscribe,
            PublishHandler appPublish) {
        try {
            if (appConnect != null && connect != null) {
                throw new IllegalStateException("both onConnect(...) and client.proxy.connect are set: choose one");
            }
            requireEndpoint(rules, ChannelOptions::subscribeProxyEnabled, subscribe, "subscribe");
            requireEndpoint(rules, ChannelOptions::publishProxyEnabled, publish, "publish");
            requireEndpoint(rules, ChannelOptions::subRefreshProxyEnabled, subRefresh, "sub_refresh");
        } catch (IllegalStateException e) {
            close();
            throw e;
        }
        nb.onConnect(appConnect != null ? appConnect : connect)
                .onRefresh(refresh)
                .onSubscribe(
                        subscribe != null ? ChannelProxyHooks.subscribe(rules, subscribe, appSubscribe) : appSubscribe)
                .onPublish(publish != null ? ChannelProxyHooks.publish(rules, publish, appPublish) : appPublish)
                .onSubRefresh(subRefresh)
                .rpcFallback(rpc);
    }

    private static void requireEndpoint(ChannelRules rules, Predicate<ChannelOptions> uses, Object proxy, String name) {
        if (proxy != null) {
            return;
        }
        List<String> users = new ArrayList<>();
        if (uses.test(rules.defaultOptions())) {
            users.add("channel");
        }
        rules.namespaces().forEach((ns, o) -> {
            if (uses.test(o)) {
                users.add("namespace " + ns);
            }
        });
        if (!users.isEmpty()) {
            throw new IllegalStateException(name + "_proxy_enabled is set for " + String.join(", ", users)
                    + " but channel.proxy." + name + ".endpoint is not");
        }
    }

    /** The connect proxy, or {@code null} when disabled. */
    public ConnectHandler connectHandler() {
        return connect;
    }

    /** The refresh proxy, or {@code null} when disabled. */
    public dev.switchboard.core.hook.RefreshHandler refreshHandler() {
        return refresh;
    }

    /** Lower-case names of the upgrade-request headers some proxy forwards. */
    public Set<String> forwardedHeaders() {
        return Set.copyOf(forwardedHeaders);
    }

    /**
     * Stops the threads and takes the meters out of the registry. Calls still out fail; the JDK
     * client's selector thread ends once the client is unreachable (Java 17 has no close for it).
     */
    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
        for (ProxyClient c : clients) {
            c.meters().forEach(registry::remove);
        }
    }
}
