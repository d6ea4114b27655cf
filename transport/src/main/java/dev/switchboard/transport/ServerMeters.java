package dev.switchboard.transport;

import dev.switchboard.core.engine.Engine;
import dev.switchboard.core.node.Node;
import dev.switchboard.transport.http.HttpRefusals;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
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
        return new ServerMeters(r, gc);
    }

    MeterRegistry registry() {
        return registry;
    }

    /** Gauges of the node's counts, and the engine's own meters when it is Redis. */
    void bindNode(Node node, Engine engine) {
        gauge(node, "switchboard_clients", n -> n.info().numClients());
        gauge(node, "switchboard_channels", n -> n.info().numChannels());
        gauge(node, "switchboard_subscriptions", n -> n.info().numSubs());
        gauge(node, "switchboard_pending_invocations", Node::pendingInvocations);
        bound.addAll(RedisSupport.bindMetrics(engine, node, registry));
    }

    private void gauge(Node node, String name, ToDoubleFunction<Node> value) {
        bound.add(Gauge.builder(name, node, value).register(registry));
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
