package dev.switchboard.transport;

import dev.switchboard.transport.metrics.LatencyBuckets;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Redis command latency as {@code switchboard_redis_command_seconds{command}}, fed by Lettuce's
 * own hook ({@link CommandLatencyRecorder}) so every command is timed where Lettuce sends it,
 * ours and its own. Lettuce's {@code MicrometerCommandLatencyRecorder} is not used: its meters are
 * named {@code lettuce_*} and tagged with the local socket address, a new series per reconnect.
 *
 * <p>The engine is created before the server's registry exists (so a Redis that is down fails
 * first, with nothing to release), hence {@link #bind}: until then latencies are dropped.
 * Loaded only when {@code switchboard-redis} (and so Lettuce) is on the class path.
 */
final class RedisCommandMeters implements CommandLatencyRecorder {

    /** Command types are Lettuce's enum in practice; past this many, the rest are {@code other}. */
    static final int MAX_COMMANDS = 64;

    private volatile MeterRegistry registry;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    /** Starts recording into {@code registry}. */
    void bind(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void recordCommandLatency(
            SocketAddress local,
            SocketAddress remote,
            ProtocolKeyword commandType,
            long firstResponseLatency,
            long completionLatency) {
        MeterRegistry r = registry;
        if (r == null) {
            return;
        }
        String name = commandType.name();
        Timer t = timers.get(name);
        if (t == null) {
            t = timers.computeIfAbsent(timers.size() < MAX_COMMANDS ? name : "other", n -> timer(r, n));
        }
        t.record(completionLatency, TimeUnit.NANOSECONDS);
    }

    private static Timer timer(MeterRegistry registry, String command) {
        return Timer.builder("switchboard_redis_command")
                .description("Redis commands by type, from sending to the complete reply (as Lettuce measures it)")
                .tag("command", command)
                .serviceLevelObjectives(LatencyBuckets.latency())
                .register(registry);
    }

    @Override
    public boolean isEnabled() {
        // Asked once, when Lettuce builds its command handlers: must be true before bind.
        return true;
    }
}
