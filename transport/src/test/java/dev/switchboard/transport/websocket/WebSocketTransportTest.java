package dev.switchboard.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebSocketTransportTest {

    @Test
    void closeReasonIsCutToACloseFramesLimitOnACharacterBoundary() {
        String reason = "é".repeat(100);
        String cut = WebSocketTransport.truncate(reason);
        assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(123);
        assertThat(reason).startsWith(cut);
        assertThat(WebSocketTransport.truncate("short")).isEqualTo("short");
    }
}
