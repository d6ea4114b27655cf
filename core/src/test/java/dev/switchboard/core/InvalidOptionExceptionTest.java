package dev.switchboard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.channel.ChannelOptions;
import dev.switchboard.core.node.NodeOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Core builders name the refused option apart from the problem, so callers never parse messages. */
class InvalidOptionExceptionTest {

    @Test
    void nodeOptionSettersNameTheOption() {
        assertThatThrownBy(() -> NodeOptions.builder().commandBurst(0))
                .isInstanceOfSatisfying(InvalidOptionException.class, e -> {
                    assertThat(e.option()).isEqualTo("command_burst");
                    assertThat(e.problem()).isEqualTo("must be > 0, got 0");
                    assertThat(e).hasMessage("command_burst must be > 0, got 0");
                });
    }

    @Test
    void checksAcrossOptionsNameTheOptionToChange() {
        assertThatThrownBy(() -> NodeOptions.builder().clientQueueMaxBytes(1024).build())
                .isInstanceOfSatisfying(
                        InvalidOptionException.class,
                        e -> assertThat(e.option()).isEqualTo("max_publication_size"));
        assertThatThrownBy(() ->
                        NodeOptions.builder().pongTimeout(Duration.ofMinutes(1)).build())
                .isInstanceOfSatisfying(
                        InvalidOptionException.class,
                        e -> assertThat(e.option()).isEqualTo("pong_timeout"));
        assertThatThrownBy(() -> ChannelOptions.builder().allowRecovery(true).build())
                .isInstanceOfSatisfying(
                        InvalidOptionException.class,
                        e -> assertThat(e.option()).isEqualTo("allow_recovery"));
        assertThatThrownBy(() -> ChannelOptions.builder().historySize(-1))
                .isInstanceOfSatisfying(
                        InvalidOptionException.class,
                        e -> assertThat(e.option()).isEqualTo("history_size"));
    }
}
