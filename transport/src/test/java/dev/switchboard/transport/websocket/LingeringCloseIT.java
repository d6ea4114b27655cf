package dev.switchboard.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.transport.IoTransport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LingeringClose} over real loopback sockets: the peer reads the last message and may still
 * send without a reset meanwhile, and a peer that never reads is cut within the grace.
 */
class LingeringCloseIT {

    private final EventLoopGroup group = IoTransport.NIO.newEventLoopGroup(1, "test");
    private final CompletableFuture<Channel> accepted = new CompletableFuture<>();

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** A server that sends {@code last} with a lingering close as soon as the peer sends anything. */
    private int serve(byte[] last) {
        Channel server = new ServerBootstrap()
                .group(group)
                .channel(IoTransport.NIO.serverChannelClass())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        accepted.complete(ch);
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            private boolean answered;

                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ReferenceCountUtil.release(msg); // what the peer still sends is read and dropped
                                if (!answered) {
                                    answered = true;
                                    LingeringClose.after(ctx.writeAndFlush(Unpooled.wrappedBuffer(last)));
                                }
                            }
                        });
                    }
                })
                .bind("127.0.0.1", 0)
                .syncUninterruptibly()
                .channel();
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Test
    void aPeerReadsTheLastMessageThenEndOfStreamAndMayStillSendWithoutAReset() throws Exception {
        byte[] bye = "close 3013 too many requests".getBytes(StandardCharsets.US_ASCII);
        int port = serve(bye);
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(1);
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[256];
            int n;
            while ((n = in.read(buf)) >= 0) {
                got.write(buf, 0, n);
            }
            assertThat(got.toByteArray())
                    .as("the last message, then end of stream")
                    .isEqualTo(bye);
            // A flooding client is still sending when our answer arrives. A socket closed with unread
            // input answers with a reset, and its next write fails; a lingering one reads and drops.
            byte[] flood = new byte[64 * 1024];
            for (int i = 0; i < 3; i++) {
                out.write(flood);
                out.flush();
                Thread.sleep(50);
            }
        }
    }

    @Test
    void aPeerThatNeverReadsIsCutWithinTheGrace() throws Exception {
        // Far more than the loopback socket buffers hold, so the write never completes.
        int port = serve(new byte[32 * 1024 * 1024]);
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setReceiveBufferSize(4096);
            s.getOutputStream().write(1);
            Channel ch = accepted.get(5, TimeUnit.SECONDS);
            long start = System.nanoTime();
            assertThat(ch.closeFuture().await(LingeringClose.GRACE_MILLIS + 3000))
                    .as("closed")
                    .isTrue();
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(took).as("ms until cut").isLessThan(LingeringClose.GRACE_MILLIS + 3000);
        }
    }
}
