package dev.switchboard.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WireCodesTest {

    @Test
    void terminalRangesDoNotReconnectAndTheirNeighboursDo() {
        assertThat(WireCodes.reconnects(3000)).isTrue();
        assertThat(WireCodes.reconnects(3499)).isTrue();
        assertThat(WireCodes.reconnects(3500)).isFalse();
        assertThat(WireCodes.reconnects(3999)).isFalse();
        assertThat(WireCodes.reconnects(4000)).isTrue();
        assertThat(WireCodes.reconnects(4499)).isTrue();
        assertThat(WireCodes.reconnects(4500)).isFalse();
        assertThat(WireCodes.reconnects(4999)).isFalse();
        assertThat(WireCodes.reconnects(5000)).isTrue();
        assertThat(WireCodes.reconnects(1001)).isTrue();
    }
}
