package dev.switchboard.transport.metrics;

import dev.switchboard.transport.api.ApiMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Server API calls as {@code switchboard_api_calls_seconds{method,outcome}}: a count and a
 * latency histogram per method and outcome. Both labels come from fixed sets ({@link ApiMetrics}),
 * so the series are bounded (about 20 methods by a few outcomes each, in practice).
 */
public final class MicrometerApiMetrics implements ApiMetrics {

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
                                .serviceLevelObjectives(LatencyBuckets.latency())
                                .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }
}
