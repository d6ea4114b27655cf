package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

class OptionsTest {

    static final URI URI_ = URI.create("ws://localhost:8000/connection/websocket");

    @Test
    void defaultsAreTheNamedConstants() {
        ClientOptions o = SwitchboardClient.builder(URI_).options();
        assertThat(o.name()).isEqualTo(ClientOptions.DEFAULT_NAME).isEqualTo("java");
        assertThat(o.version()).isEqualTo(ClientOptions.DEFAULT_VERSION);
        assertThat(o.minReconnectDelay()).isEqualTo(ClientOptions.DEFAULT_MIN_RECONNECT_DELAY);
        assertThat(o.maxReconnectDelay()).isEqualTo(ClientOptions.DEFAULT_MAX_RECONNECT_DELAY);
        assertThat(o.maxServerPingDelay()).isEqualTo(ClientOptions.DEFAULT_MAX_SERVER_PING_DELAY);
        assertThat(o.commandTimeout()).isEqualTo(ClientOptions.DEFAULT_COMMAND_TIMEOUT);
        assertThat(o.connectTimeout()).isEqualTo(ClientOptions.DEFAULT_CONNECT_TIMEOUT);
        assertThat(o.maxMessageSize()).isEqualTo(ClientOptions.DEFAULT_MAX_MESSAGE_SIZE);
        assertThat(o.token()).isEmpty();
        assertThat(o.tokenSupplier()).isEmpty();
        assertThat(o.httpClient()).isEmpty();
        assertThat(o.invocationExecutor()).isSameAs(ForkJoinPool.commonPool());
    }

    @Test
    void invalidSettingsAreRefusedAtBuildTime() {
        assertThatThrownBy(() -> SwitchboardClient.builder(URI.create("http://x/y")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ws://");
        assertThatThrownBy(() -> SwitchboardClient.builder(URI_).commandTimeout(Duration.ZERO))
                .hasMessageContaining("commandTimeout");
        assertThatThrownBy(() -> SwitchboardClient.builder(URI_)
                        .minReconnectDelay(Duration.ofSeconds(5))
                        .maxReconnectDelay(Duration.ofSeconds(1))
                        .build())
                .hasMessageContaining("shorter than");
        assertThatThrownBy(() -> SwitchboardClient.builder(URI_).maxMessageSize(10))
                .hasMessageContaining("maxMessageSize");
    }

    @Test
    void tokenIsNotPrinted() {
        assertThat(SwitchboardClient.builder(URI_)
                        .token("secret.jwt.value")
                        .options()
                        .toString())
                .doesNotContain("secret.jwt.value");
    }

    @Test
    void tokenRefreshStartsASecondPlusAFifthOfTheLifetimeEarlyAtMostAMinute() {
        assertThat(TokenRefresh.delay(Duration.ofSeconds(3))).isEqualTo(Duration.ofMillis(1_600));
        assertThat(TokenRefresh.delay(Duration.ofSeconds(101))).isEqualTo(Duration.ofSeconds(80));
        assertThat(TokenRefresh.delay(Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(3_539));
        assertThat(TokenRefresh.delay(Duration.ofSeconds(1))).isEqualTo(Duration.ZERO);
        assertThat(TokenRefresh.delay(Duration.ZERO)).isEqualTo(Duration.ZERO);
    }

    @Test
    void publishOfTextThatIsNotJsonFailsWithoutTouchingTheNetwork() {
        try (SwitchboardClient c = SwitchboardClient.builder(URI_).build()) {
            assertThat(c.publish("ch", "{not json"))
                    .failsWithin(Duration.ofSeconds(1))
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .havingCause()
                    .isInstanceOfSatisfying(
                            SwitchboardException.class,
                            e -> assertThat(e.code()).isEqualTo(SwitchboardException.BAD_ARGUMENT));
        }
    }

    @Test
    void callsOnADisconnectedClientFailAtOnceAndAfterCloseSayClosed() {
        SwitchboardClient c = SwitchboardClient.builder(URI_).build();
        assertThat(c.rpc("m", "1"))
                .failsWithin(Duration.ofSeconds(1))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(
                        SwitchboardException.class,
                        e -> assertThat(e.code()).isEqualTo(SwitchboardException.CLIENT_DISCONNECTED));
        c.close();
        assertThat(c.connect())
                .failsWithin(Duration.ofSeconds(1))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(
                        SwitchboardException.class,
                        e -> assertThat(e.code()).isEqualTo(SwitchboardException.CLIENT_CLOSED));
    }
}
