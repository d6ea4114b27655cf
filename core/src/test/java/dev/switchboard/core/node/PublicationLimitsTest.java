package dev.switchboard.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.channel.ChannelOptions;
import dev.switchboard.core.channel.ChannelRules;
import dev.switchboard.core.engine.HistoryFilter;
import dev.switchboard.core.protocol.ProtocolError;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a node stores it can deliver, and what it reads back is bounded. */
class PublicationLimitsTest {

    private final Node node = Node.builder()
            .options(NodeOptions.builder()
                    .channelRules(ChannelRules.builder()
                            .defaultOptions(ChannelOptions.builder()
                                    .historySize(100)
                                    .historyTtl(Duration.ofMinutes(1))
                                    .build())
                            .build())
                    .maxPublicationSize(1024)
                    .historyMaxPublicationLimit(5)
                    .build())
            .build()
            .start();

    @AfterEach
    void stop() {
        node.close();
    }

    private static void assertRefused(Runnable call, String message) {
        assertThatThrownBy(call::run)
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOfSatisfying(ProtocolError.class, e -> {
                    assertThat(e.code()).isEqualTo(ProtocolError.BAD_REQUEST.code());
                    assertThat(e.getMessage()).contains(message);
                });
    }

    @Test
    void aPublicationOverTheLimitIsRefusedAndNotStored() {
        byte[] big = ("\"" + "x".repeat(1100) + "\"").getBytes(StandardCharsets.UTF_8);
        assertRefused(() -> node.publish("news", big).join(), "more than max_publication_size (1024)");
        assertThat(node.history("news", new HistoryFilter(null, -1, false))
                        .join()
                        .publications())
                .isEmpty();
        assertThat(node.publish("news", "\"ok\"".getBytes(StandardCharsets.UTF_8))
                        .join()
                        .offset())
                .isEqualTo(1);
    }

    @Test
    void aPublicationOfInvalidUtf8IsRefused() {
        byte[] overlong = {'"', (byte) 0xC0, (byte) 0xAF, '"'};
        assertRefused(() -> node.publish("news", overlong).join(), "not valid UTF-8");
    }

    @Test
    void historyReturnsAtMostTheLimitWhateverWasAsked() {
        for (int i = 0; i < 12; i++) {
            node.publish("news", ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8))
                    .join();
        }
        assertThat(node.history("news", new HistoryFilter(null, HistoryFilter.NO_LIMIT, false))
                        .join()
                        .publications())
                .hasSize(5);
        assertThat(node.history("news", new HistoryFilter(null, 1000, true))
                        .join()
                        .publications())
                .hasSize(5)
                .first()
                .extracting(p -> p.offset())
                .isEqualTo(12L);
        assertThat(node.history("news", new HistoryFilter(null, 3, false))
                        .join()
                        .publications())
                .hasSize(3);
    }

    @Test
    void aFarFutureExpiryNeverReadsAsPast() {
        long now = System.currentTimeMillis();
        assertThat(Client.isPast(Long.MAX_VALUE / 1000 + 7, now, 25_000)).isFalse();
        assertThat(Client.isPast(Long.MAX_VALUE, now, 25_000)).isFalse();
        assertThat(Client.isPast(0, now, 0)).as("0 means no expiry").isFalse();
        assertThat(Client.isPast(now / 1000 - 30, now, 25_000)).isTrue();
        assertThat(Client.isPast(now / 1000 - 20, now, 25_000)).isFalse();
    }
}
