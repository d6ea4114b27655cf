package dev.switchboard.transport.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.protocol.ProtocolFormat;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** Our meters' label sets stay bounded, and the series alerts read exist before their first event. */
class BoundedMetersTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void watchedDisconnectCodesExistAtZeroAndCodesPastTheCapAreOther() {
        MicrometerNodeMetrics m = new MicrometerNodeMetrics(registry);
        assertThat(registry.get("switchboard_client_disconnects")
                        .tag("code", "3008")
                        .counter()
                        .count())
                .isZero();
        assertThat(registry.get("switchboard_client_commands_rejected")
                        .tag("reason", "rate_limit")
                        .counter()
                        .count())
                .isZero();
        for (int code = 4000; code < 4200; code++) {
            m.disconnected(code);
        }
        m.disconnected(3008);
        assertThat(registry.find("switchboard_client_disconnects").counters())
                .hasSize(MicrometerNodeMetrics.MAX_CODES + 1);
        assertThat(registry.get("switchboard_client_disconnects")
                        .tag("code", "other")
                        .counter()
                        .count())
                .isEqualTo(200 - (MicrometerNodeMetrics.MAX_CODES - MicrometerNodeMetrics.WATCHED_CODES.length));
        assertThat(registry.get("switchboard_client_disconnects")
                        .tag("code", "3008")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void trafficIsCountedPerEncodingInMessagesAndBytes() {
        MicrometerTrafficMetrics t = new MicrometerTrafficMetrics(registry, "websocket");
        t.sent(ProtocolFormat.JSON).message(10);
        t.sent(ProtocolFormat.JSON).message(5);
        t.received(ProtocolFormat.PROTOBUF).message(7);
        assertThat(registry.get("switchboard_transport_messages_sent")
                        .tag("format", "json")
                        .counter()
                        .count())
                .isEqualTo(2);
        assertThat(registry.get("switchboard_transport_messages_sent_bytes")
                        .tag("format", "json")
                        .counter()
                        .count())
                .isEqualTo(15);
        assertThat(registry.get("switchboard_transport_messages_received_bytes")
                        .tag("format", "protobuf")
                        .tag("transport", "websocket")
                        .counter()
                        .count())
                .isEqualTo(7);
        assertThat(registry.find("switchboard_transport_messages_received").counters())
                .hasSize(ProtocolFormat.values().length);
    }

    @Test
    void apiCallsAreTimedWithAFewFixedBuckets() {
        new MicrometerApiMetrics(registry).call("publish", "ok", 3_000_000);
        var timer = registry.get("switchboard_api_calls")
                .tag("method", "publish")
                .tag("outcome", "ok")
                .timer();
        assertThat(timer.count()).isEqualTo(1);
        assertThat(timer.takeSnapshot().histogramCounts()).hasSize(LatencyBuckets.latency().length);
    }
}
