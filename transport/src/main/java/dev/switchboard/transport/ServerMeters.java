package dev.switchboard.transport;

import dev.switchboard.core.engine.Engine;
import dev.switchboard.core.engine.NodeInfo;
import dev.switchboard.core.node.Node;
import dev.switchboard.transport.api.ApiMetrics;
import dev.switchboard.transport.http.HttpRefusals;
import dev.switchboard.transport.metrics.MicrometerApiMetrics;
import dev.switchboard.transport.metrics.MicrometerTrafficMetrics;
import dev.switchboard.transport.websocket.TrafficMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * A server's meters: in its own Prometheus registry (with the JVM's meters), or in the
 * application's; the node's gauges, the Redis engine's meters and the HTTP refusal counters.
 * Closing releases them: the own registry is closed, and an application's registry loses every
 * meter that holds the node, so a later server there reports its own.
 */
final class ServerMeters {

    private final MeterRegistry registry;
    /** Set when the server made the registry itself: it closes it, and the GC listener with it. */
    private final JvmGcMetrics gc;

    private final List<Meter> bound = new ArrayList<>();

    private ServerMeters(MeterRegistry registry, JvmGcMetrics gc) {
        this.registry = registry;
        this.gc = gc;
    }

    /** Meters in {@code application}'s registry, or, when it is {@code null}, in a registry of our own. */
    static ServerMeters of(MeterRegistry application) {
        if (application != null) {
            return new ServerMeters(application, null);
        }
        // An application that passes its own registry binds JVM meters itself (Spring Boot does).
        PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        JvmGcMetrics gc = new JvmGcMetrics();
        new JvmMemoryMetrics().bindTo(r);
        gc.bindTo(r);
        new JvmThreadMetrics().bindTo(r);
        new ProcessorMetrics().bindTo(r);
        new UptimeMetrics().bindTo(r);
        return new ServerMeters(r, gc);
    }

    MeterRegistry registry() {
        return registry;
    }

    /** Gauges of the node's counts, and the engine's own meters when it is Redis. */
    void bindNode(Node node, Engine engine) {
        gauge(
                node,
                "switchboard_clients",
                "Connected clients on this node",
                n -> n.info().numClients());
        gauge(
                node,
                "switchboard_channels",
                "Channels with local subscribers",
                n -> n.info().numChannels());
        gauge(
                node,
                "switchboard_subscriptions",
                "Subscriptions on this node",
                n -> n.info().numSubs());
        gauge(
                node,
                "switchboard_pending_invocations",
                "Invocations this node is waiting on or delivered and unanswered",
                Node::pendingInvocations);
        // For every engine (the memory one is always up), so one alert rule covers all nodes.
        gauge(node, "switchboard_engine_up", "1 while the engine is reachable, else 0", n -> n.engineHealthy() ? 1 : 0);
        // A constant per server: a restart changes it, which is what a flapping alert counts.
        double started = System.currentTimeMillis() / 1000.0;
        bound.add(Gauge.builder("switchboard_node_start_time_seconds", () -> started)
                .description("When this node started, in Unix seconds")
                .register(registry));
        // Held strongly: a gauge keeps its object weakly, and nothing else holds the view.
        ClusterView cluster = new ClusterView(node);
        bound.add(Gauge.builder("switchboard_cluster_nodes", cluster, ClusterView::nodes)
                .description("Live nodes in the cluster as this node's registry sees them, itself included")
                .strongReference(true)
                .register(registry));
        bound.add(Gauge.builder("switchboard_cluster_clients", cluster, ClusterView::clients)
                .description("Connected clients on all live nodes, as of their last heartbeats")
                .strongReference(true)
                .register(registry));
        // A connection the registry does not hold is invisible to other nodes (invoke, lookups)
        // and, with webhooks, reported neither connected nor disconnected: worth an alert.
        bound.add(FunctionCounter.builder("switchboard_registry_write_failures", node, Node::registryWriteFailures)
                .description("Connection registry writes that failed (engine unreachable); with webhooks,"
                        + " their lifecycle events were not queued")
                .register(registry));
        bound.addAll(RedisSupport.bindMetrics(engine, node, registry));
    }

    private void gauge(Node node, String name, String description, ToDoubleFunction<Node> value) {
        bound.add(Gauge.builder(name, node, value).description(description).register(registry));
    }

    /** Server API calls by method and outcome. */
    ApiMetrics api() {
        return new MicrometerApiMetrics(registry);
    }

    /** WebSocket messages and bytes in and out by encoding. */
    TrafficMetrics webSocketTraffic() {
        return new MicrometerTrafficMetrics(registry, "websocket");
    }

    /**
     * The cluster's size from the node registry. A gauge must not wait on Redis, so each read
     * answers the last result and starts a new read when that one is older than {@link #MAX_AGE_MILLIS}:
     * at most one registry read per interval, however often it is scraped; the values lag a scrape.
     */
    static final class ClusterView {
        static final long MAX_AGE_MILLIS = 5_000;

        private final Node node;
        private final AtomicBoolean reading = new AtomicBoolean();
        private volatile long readAt;
        private volatile double nodes = 1;
        private volatile double clients;

        ClusterView(Node node) {
            this.node = node;
        }

        double nodes() {
            refresh();
            return nodes;
        }

        double clients() {
            refresh();
            return clients;
        }

        private void refresh() {
            long now = System.currentTimeMillis();
            if (now - readAt < MAX_AGE_MILLIS || !reading.compareAndSet(false, true)) {
                return;
            }
            try {
                node.nodes().whenComplete((all, t) -> {
                    if (all != null) {
                        nodes = all.size();
                        clients = all.stream().mapToLong(NodeInfo::numClients).sum();
                    }
                    // A failed read (engine down) keeps the last values and is retried next interval.
                    readAt = System.currentTimeMillis();
                    reading.set(false);
                });
            } catch (RuntimeException e) {
                readAt = now;
                reading.set(false);
            }
        }
    }

    /** Counts each HTTP connection cut or request refused, as {@code switchboard_http_refused_total{reason}}. */
    HttpRefusals refusals() {
        Map<HttpRefusals.Reason, Counter> counters = new EnumMap<>(HttpRefusals.Reason.class);
        for (HttpRefusals.Reason r : HttpRefusals.Reason.values()) {
            Counter c = Counter.builder("switchboard_http_refused")
                    .description("HTTP connections cut or requests refused to protect the node, by reason")
                    .tag("reason", r.tag())
                    .register(registry);
            counters.put(r, c);
        }
        return reason -> counters.get(reason).increment();
    }

    /** What {@code /metrics} serves: the registry's Prometheus text, or {@code null} when it is not Prometheus. */
    Supplier<String> prometheusText() {
        return registry instanceof PrometheusMeterRegistry prometheus ? prometheus::scrape : null;
    }

    void close() {
        if (gc != null) {
            gc.close();
            registry.close();
        } else {
            bound.forEach(registry::remove);
        }
    }
}
