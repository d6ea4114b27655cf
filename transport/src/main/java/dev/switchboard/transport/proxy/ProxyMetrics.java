package dev.switchboard.transport.proxy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One proxy's meters, tagged {@code proxy=<name>}: {@code switchboard_proxy_calls_total{outcome}},
 * {@code switchboard_proxy_duration_seconds} (a histogram of calls that went out),
 * {@code switchboard_proxy_in_flight} and {@code switchboard_proxy_circuit_state} (0 closed,
 * 1 open, 2 half-open).
 */
final class ProxyMetrics {

    private final Map<ProxyOutcome, Counter> calls = new EnumMap<>(ProxyOutcome.class);
    private final Timer duration;
    private final List<Meter> meters = new ArrayList<>();

    ProxyMetrics(MeterRegistry registry, String proxy, Supplier<Number> inFlight, Supplier<Number> circuitState) {
        for (ProxyOutcome o : ProxyOutcome.values()) {
            Counter c = Counter.builder("switchboard_proxy_calls")
                    .description("Calls to the application backend's proxy endpoint, by outcome")
                    .tag("proxy", proxy)
                    .tag("outcome", o.tag())
                    .register(registry);
            calls.put(o, c);
            meters.add(c);
        }
        duration = Timer.builder("switchboard_proxy_duration")
                .description("Time from sending a proxy call to its outcome")
                .tag("proxy", proxy)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        meters.add(duration);
        meters.add(Gauge.builder("switchboard_proxy_in_flight", inFlight)
                .description("Proxy calls waiting for the backend")
                .tag("proxy", proxy)
                .register(registry));
        meters.add(Gauge.builder("switchboard_proxy_circuit_state", circuitState)
                .description("The proxy's circuit breaker: 0 closed, 1 open, 2 half-open")
                .tag("proxy", proxy)
                .register(registry));
    }

    void record(ProxyOutcome outcome) {
        calls.get(outcome).increment();
    }

    void recordDuration(long nanos) {
        duration.record(Duration.ofNanos(nanos));
    }

    /** The meters, so a server can take them out of an application's registry on close. */
    List<Meter> meters() {
        return meters;
    }
}
