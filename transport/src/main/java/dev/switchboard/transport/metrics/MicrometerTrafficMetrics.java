package dev.switchboard.transport.metrics;

import dev.switchboard.core.protocol.ProtocolFormat;
import dev.switchboard.transport.websocket.TrafficMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * WebSocket traffic as Centrifugo counts it ({@code transport_messages_sent} / {@code _received}
 * and their sizes), under {@code switchboard_transport_*}: per transport and encoding, never per
 * channel or client. All counters are made up front, so connections only increment.
 */
public final class MicrometerTrafficMetrics implements TrafficMetrics {

    private final Map<ProtocolFormat, TrafficMetrics.Counter> received = new EnumMap<>(ProtocolFormat.class);
    private final Map<ProtocolFormat, TrafficMetrics.Counter> sent = new EnumMap<>(ProtocolFormat.class);
    private final Map<ProtocolFormat, TrafficMetrics.Counter> flushed = new EnumMap<>(ProtocolFormat.class);

    public MicrometerTrafficMetrics(MeterRegistry registry, String transport) {
        for (ProtocolFormat f : ProtocolFormat.values()) {
            received.put(f, counter(registry, "received", transport, f, "Data frames read from clients"));
            sent.put(
                    f,
                    counter(registry, "sent", transport, f, "Protocol messages (replies and pushes) sent to clients"));
            flushed.put(f, writes(registry, transport, f));
        }
    }

    private static TrafficMetrics.Counter counter(
            MeterRegistry registry, String direction, String transport, ProtocolFormat f, String what) {
        String format = f.name().toLowerCase(Locale.ROOT);
        io.micrometer.core.instrument.Counter messages = io.micrometer.core.instrument.Counter.builder(
                        "switchboard_transport_messages_" + direction)
                .description(what + ", by transport and encoding")
                .tag("transport", transport)
                .tag("format", format)
                .register(registry);
        io.micrometer.core.instrument.Counter bytes = io.micrometer.core.instrument.Counter.builder(
                        "switchboard_transport_messages_" + direction + "_bytes")
                .description(what + ": payload bytes (before framing), by transport and encoding")
                .tag("transport", transport)
                .tag("format", format)
                .register(registry);
        return n -> {
            messages.increment();
            bytes.increment(n);
        };
    }

    private static TrafficMetrics.Counter writes(MeterRegistry registry, String transport, ProtocolFormat f) {
        io.micrometer.core.instrument.Counter writes = io.micrometer.core.instrument.Counter.builder(
                        "switchboard_transport_writes")
                .description(
                        "Socket writes (flushes) to clients, each carrying one or more messages; messages sent"
                                + " per write shows how well writes are batched (client.write_delay), by transport and encoding")
                .tag("transport", transport)
                .tag("format", f.name().toLowerCase(Locale.ROOT))
                .register(registry);
        return n -> writes.increment();
    }

    @Override
    public TrafficMetrics.Counter flushed(ProtocolFormat format) {
        return flushed.get(format);
    }

    @Override
    public TrafficMetrics.Counter received(ProtocolFormat format) {
        return received.get(format);
    }

    @Override
    public TrafficMetrics.Counter sent(ProtocolFormat format) {
        return sent.get(format);
    }
}
