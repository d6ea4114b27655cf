package dev.switchboard.transport.metrics;

import dev.switchboard.core.node.NodeMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@link NodeMetrics} recorded into a Micrometer registry, scraped as Prometheus text at
 * {@code /metrics}. Counters are looked up once per tag value and cached, so the delivery path
 * only increments.
 */
public final class MicrometerNodeMetrics implements NodeMetrics {

    /**
     * Disconnect codes counted from the start, at 0: a counter that first appears at 1 is missed
     * by {@code rate()}, and the alerting rules read these (3008 slow above all).
     */
    static final int[] WATCHED_CODES = {3000, 3001, 3008, 3010, 3012, 3013};
    /**
     * Most distinct disconnect codes with a series of their own. The server API's
     * {@code disconnect} takes any code, so the rest are counted as {@code code="other"}.
     */
    static final int MAX_CODES = 64;

    private final MeterRegistry registry;
    private final Map<String, Counter> commands = new ConcurrentHashMap<>();
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
    private final Map<Integer, Counter> disconnects = new ConcurrentHashMap<>();
    private final Map<String, Timer> invocations = new ConcurrentHashMap<>();
    private final Counter connects;
    private final Counter delivered;
    private final Counter publications;
    private final Counter recovered;
    private final Counter notRecovered;
    private final Counter insufficientState;

    /** Set for a worker: its invocations are all reported under the path {@code worker}. */
    private final boolean worker;

    public MicrometerNodeMetrics(MeterRegistry registry) {
        this(registry, false);
    }

    /**
     * @param worker true for a {@link dev.switchboard.transport.SwitchboardWorker}, whose calls are
     *     tagged {@code path=worker} so they can be told from nodes' local and remote calls
     */
    public MicrometerNodeMetrics(MeterRegistry registry, boolean worker) {
        this.worker = worker;
        this.registry = registry;
        this.connects = Counter.builder("switchboard_client_connects")
                .description("Connections that completed connect")
                .register(registry);
        this.delivered = Counter.builder("switchboard_messages_delivered")
                .description("Publication pushes handed to local subscribers")
                .register(registry);
        this.publications = Counter.builder("switchboard_publications_received")
                .description("Publications this node received from the engine for local subscribers")
                .register(registry);
        this.recovered = Counter.builder("switchboard_recoveries")
                .tag("result", "recovered")
                .description("Subscribes that asked to recover, by outcome")
                .register(registry);
        this.notRecovered = Counter.builder("switchboard_recoveries")
                .tag("result", "not_recovered")
                .description("Subscribes that asked to recover, by outcome")
                .register(registry);
        this.insufficientState = Counter.builder("switchboard_insufficient_state")
                .description("Subscriptions ended because their stream had a hole")
                .register(registry);
        for (int code : WATCHED_CODES) {
            disconnects.put(code, disconnectCounter(Integer.toString(code)));
        }
        rejected.put("rate_limit", rejectedCounter("rate_limit"));
    }

    private Counter disconnectCounter(String code) {
        return Counter.builder("switchboard_client_disconnects")
                .tag("code", code)
                .description("Disconnects by code")
                .register(registry);
    }

    private Counter rejectedCounter(String reason) {
        return Counter.builder("switchboard_client_commands_rejected")
                .tag("reason", reason)
                .description("Client commands refused before running")
                .register(registry);
    }

    @Override
    public void command(String method) {
        commands.computeIfAbsent(
                        method,
                        m -> Counter.builder("switchboard_client_commands")
                                .tag("method", m)
                                .description("Client commands by method")
                                .register(registry))
                .increment();
    }

    @Override
    public void commandRejected(String reason) {
        rejected.computeIfAbsent(reason, this::rejectedCounter).increment();
    }

    @Override
    public void connected() {
        connects.increment();
    }

    @Override
    public void disconnected(int code) {
        Counter c = disconnects.get(code);
        if (c == null) {
            c = disconnects.size() < MAX_CODES
                    ? disconnects.computeIfAbsent(code, k -> disconnectCounter(Integer.toString(k)))
                    : disconnectCounter("other");
        }
        c.increment();
    }

    @Override
    public void delivered(int subscribers) {
        publications.increment();
        delivered.increment(subscribers);
    }

    @Override
    public void recovery(boolean ok) {
        (ok ? recovered : notRecovered).increment();
    }

    @Override
    public void invocation(String path, String outcome, long nanos) {
        String p = worker && !"rejected".equals(path) ? "worker" : path;
        invocations
                .computeIfAbsent(
                        p + '/' + outcome,
                        k -> Timer.builder("switchboard_invocations")
                                .tag("path", p)
                                .tag("outcome", outcome)
                                .description(
                                        "Server to client invocations by path (local, remote, rejected) and outcome")
                                .publishPercentileHistogram()
                                .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void insufficientState() {
        insufficientState.increment();
    }
}
