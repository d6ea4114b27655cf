package dev.switchboard.transport.metrics;

import dev.switchboard.transport.api.ApiMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Server API calls as {@code switchboard_api_calls_seconds{method,outcome}}: a count and a
 * latency histogram per method and outcome. Both labels come from fixed sets ({@link ApiMetrics}),
 * so the series are bounded (about 20 methods by a few outcomes each, in practice).
 */
public final class MicrometerApiMetrics implements ApiMetrics {

    /**
     * Buckets for API latencies: a dozen, not Micrometer's ~70 percentile buckets, which times
     * methods and outcomes would make hundreds of series for little more precision.
     */
    static final Duration[] BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10)
    };

    private final MeterRegistry registry;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public MicrometerApiMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void call(String method, String outcome, long nanos) {
        timers.computeIfAbsent(
                        method + '/' + outcome,
                        k -> Timer.builder("switchboard_api_calls")
                                .description("Server API calls by method and outcome, with their latency")
                                .tag("method", method)
                                .tag("outcome", outcome)
                                .serviceLevelObjectives(BUCKETS)
                                .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }
}
