package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The names {@link RedisEngineOptions#ioTransport()} takes; what Lettuce then uses is per JVM, seen in the ITs' logs. */
class LettuceTransportTest {

    @Test
    void acceptsTheConfigNames() {
        assertThat(LettuceTransport.check("auto")).isEqualTo("auto");
        assertThat(LettuceTransport.check(" NIO ")).isEqualTo("nio");
        assertThat(LettuceTransport.check("epoll")).isEqualTo("epoll");
        assertThat(LettuceTransport.check("io-uring")).isEqualTo("io_uring");
        assertThat(LettuceTransport.check("iouring")).isEqualTo("io_uring");
        assertThatThrownBy(() -> LettuceTransport.check("kqueue"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("io_transport must be one of auto, nio, epoll, io_uring, got \"kqueue\"");
    }

    @Test
    void theOptionDefaultsToLettucesOwnChoice() {
        RedisEngineOptions o =
                RedisEngineOptions.builder("redis://127.0.0.1:6379").build();
        assertThat(o.ioTransport())
                .isEqualTo(RedisEngineOptions.DEFAULT_IO_TRANSPORT)
                .isEqualTo("auto");
        assertThat(RedisEngineOptions.builder("redis://127.0.0.1:6379")
                        .ioTransport("EPOLL")
                        .build()
                        .ioTransport())
                .isEqualTo("epoll");
    }
}
