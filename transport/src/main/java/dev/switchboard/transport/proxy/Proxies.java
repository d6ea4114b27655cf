package dev.switchboard.transport.proxy;

import dev.switchboard.core.hook.ConnectHandler;
import dev.switchboard.core.hook.RefreshHandler;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The proxies of one node: one shared JDK {@link HttpClient} (one keep-alive pool per backend
 * host) whose work and completions run on a small pool of our own threads, never on Netty's event
 * loops, and a {@link ProxyClient} per enabled proxy. Made and closed by the server.
 *
 * <pre>{@code
 * Proxies proxies = Proxies.create(connectConfig, refreshConfig, registry, Clock.systemUTC());
 * Node.builder().onConnect(proxies.connectHandler()).onRefresh(proxies.refreshHandler());
 * upgrade = new WebSocketUpgrade(node, maxMessage, maxQueue, proxies.forwardedHeaders());
 * proxies.close();
 * }</pre>
 */
public final class Proxies implements AutoCloseable {

    /**
     * Threads that run the HTTP client and map answers. Two suffice: their work is parsing small
     * JSON answers and completing stages, nothing blocks on them.
     */
    static final int THREADS = 2;

    private final ExecutorService executor;
    private final MeterRegistry registry;
    private final ConnectHandler connect;
    private final RefreshHandler refresh;
    private final Set<String> forwardedHeaders = new LinkedHashSet<>();
    private final List<ProxyClient> clients = new ArrayList<>();

    private Proxies(ProxyConfig connectConfig, ProxyConfig refreshConfig, MeterRegistry registry, Clock clock) {
        this.registry = registry;
        boolean any = connectConfig.enabled() || refreshConfig.enabled();
        this.executor = any ? Executors.newFixedThreadPool(THREADS, daemonThreads()) : null;
        HttpClient http = any
                ? HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .connectTimeout(longest(connectConfig, refreshConfig))
                        .executor(executor)
                        .build()
                : null;
        this.connect = connectConfig.enabled() ? new ConnectProxy(client("connect", connectConfig, http)) : null;
        this.refresh = refreshConfig.enabled()
                ? new RefreshProxy(client("refresh", refreshConfig, http), clock, RefreshProxy.RETRY_AFTER_FAILURE)
                : null;
    }

    /** Makes the enabled proxies; with none enabled, nothing is started. */
    public static Proxies create(ProxyConfig connect, ProxyConfig refresh, MeterRegistry registry, Clock clock) {
        return new Proxies(connect, refresh, registry, clock);
    }

    private ProxyClient client(String name, ProxyConfig config, HttpClient http) {
        ProxyClient c = new ProxyClient(name, config, http, executor, registry, System::nanoTime);
        clients.add(c);
        forwardedHeaders.addAll(config.httpHeaders());
        return c;
    }

    /** A connect is bounded by the proxy's own timeout; the socket's by the longest of them. */
    private static java.time.Duration longest(ProxyConfig a, ProxyConfig b) {
        return a.timeout().compareTo(b.timeout()) >= 0 ? a.timeout() : b.timeout();
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "switchboard-proxy-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The connect proxy, or {@code null} when disabled. */
    public ConnectHandler connectHandler() {
        return connect;
    }

    /** The refresh proxy, or {@code null} when disabled. */
    public RefreshHandler refreshHandler() {
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
