package dev.switchboard.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code io_transport}: names, what auto picks, the failure of a transport that does not load, an echo over each. */
class IoTransportTest {

    @Test
    void configNamesRoundTrip() {
        for (IoTransport t : IoTransport.values()) {
            assertThat(IoTransport.fromConfigName(t.configName())).isEqualTo(t);
        }
        assertThat(IoTransport.IO_URING.configName()).isEqualTo("io_uring");
        assertThat(IoTransport.fromConfigName(" EPOLL ")).isEqualTo(IoTransport.EPOLL);
        assertThat(IoTransport.fromConfigName("io-uring")).isEqualTo(IoTransport.IO_URING);
        assertThatThrownBy(() -> IoTransport.fromConfigName("kqueue"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("must be one of auto, nio, epoll, io_uring, got \"kqueue\"");
    }

    @Test
    void autoResolvesToTheBestThatLoads() {
        IoTransport expected = IoTransport.IO_URING.isAvailable()
                ? IoTransport.IO_URING
                : IoTransport.EPOLL.isAvailable() ? IoTransport.EPOLL : IoTransport.NIO;
        assertThat(IoTransport.AUTO.resolve()).isEqualTo(expected);
        assertThat(IoTransport.AUTO.describeResolution()).startsWith(expected.configName() + " (io_transport auto");
        assertThat(IoTransport.NIO.resolve()).isEqualTo(IoTransport.NIO);
        assertThat(IoTransport.NIO.isAvailable()).isTrue();
    }

    @Test
    void autoSaysWhyItPassedABetterTransportOver() {
        assumeTrue(!IoTransport.IO_URING.isAvailable(), "io_uring loads here");
        assertThat(IoTransport.AUTO.describeResolution()).contains("io_uring not available: ");
    }

    @ParameterizedTest
    @EnumSource(names = {"EPOLL", "IO_URING"})
    void anExplicitTransportThatDoesNotLoadFailsWithTheReason(IoTransport t) {
        assumeTrue(!t.isAvailable(), t + " loads here");
        assertThat(t.unavailabilityCause()).isPresent();
        assertThatThrownBy(t::resolve)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("io_transport: " + t.configName() + " is not available here: ")
                .hasMessageEndingWith("(use auto or nio)");
    }

    @Test
    void autoMustBeResolvedBeforeMakingLoops() {
        assertThatThrownBy(() -> IoTransport.AUTO.newEventLoopGroup(1, "x"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("resolve()");
    }

    @ParameterizedTest
    @EnumSource(names = {"NIO", "EPOLL", "IO_URING"})
    void echoesOverLoopback(IoTransport t) throws Exception {
        assumeTrue(
                t.isAvailable(),
                () -> t + " does not load here: " + t.unavailabilityCause().orElseThrow());
        EventLoopGroup group = t.newEventLoopGroup(1, "test");
        try {
            Channel server = new ServerBootstrap()
                    .group(group)
                    .channel(t.serverChannelClass())
                    .childHandler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ctx.writeAndFlush(msg);
                        }
                    })
                    .bind("127.0.0.1", 0)
                    .sync()
                    .channel();
            CompletableFuture<String> echoed = new CompletableFuture<>();
            Channel client = new Bootstrap()
                    .group(group)
                    .channel(t.socketChannelClass())
                    .handler(new SimpleChannelInboundHandler<ByteBuf>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                            echoed.complete(msg.toString(StandardCharsets.US_ASCII));
                        }
                    })
                    .connect(new InetSocketAddress("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort()))
                    .sync()
                    .channel();
            client.writeAndFlush(Unpooled.copiedBuffer("ping", StandardCharsets.US_ASCII));
            assertThat(echoed.get(5, TimeUnit.SECONDS)).isEqualTo("ping");
            assertThat(client.eventLoop()
                            .submit(() -> Thread.currentThread().getName())
                            .get())
                    .startsWith(t == IoTransport.IO_URING ? "test-uring-" : "test-" + t.configName() + "-");
            client.close().sync();
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
