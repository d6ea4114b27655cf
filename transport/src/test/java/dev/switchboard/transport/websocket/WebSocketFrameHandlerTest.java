package dev.switchboard.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.node.Node;
import dev.switchboard.core.node.NodeOptions;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Control frames of a WebSocket connection are bounded like its messages. */
class WebSocketFrameHandlerTest {

    private static final int QUEUE_BYTES = 16 * 1024;

    private final Node node = Node.builder()
            .options(NodeOptions.builder()
                    .name("ws-test")
                    .clientQueueMaxBytes(QUEUE_BYTES)
                    .maxPublicationSize(1024)
                    .commandRateLimit(100)
                    .commandBurst(200)
                    .build())
            .build()
            .start();

    @AfterEach
    void stop() {
        node.close();
    }

    /** Holds every write unflushed and incomplete: a peer whose receive window is closed. */
    private static final class NeverWritten extends ChannelOutboundHandlerAdapter {
        final List<Object> held = new ArrayList<>();

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            held.add(msg);
        }
    }

    private static PingWebSocketFrame ping() {
        return new PingWebSocketFrame(Unpooled.wrappedBuffer(new byte[125]));
    }

    @Test
    void pongsToAPeerThatNeverReadsCountAgainstTheQueueAndEndInSlowDisconnect() {
        NeverWritten stalled = new NeverWritten();
        EmbeddedChannel ch = new EmbeddedChannel(stalled, new WebSocketFrameHandler(node, QUEUE_BYTES));
        int sent = 0;
        // 16 KiB / (125 + 64) bytes per pong: the bound is reached after ~87 pongs, within the burst.
        while (ch.isOpen() && sent < 150) {
            ch.writeInbound(ping());
            ch.runPendingTasks();
            sent++;
        }
        ch.advanceTimeBy(WebSocketTransport.CLOSE_GRACE_MILLIS + 1, java.util.concurrent.TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).as("connection cut after %d pings", sent).isFalse();
        long pongs = stalled.held.stream()
                .filter(m -> m instanceof PongWebSocketFrame)
                .count();
        assertThat(pongs * (125 + WebSocketTransport.CONTROL_FRAME_OVERHEAD)).isLessThanOrEqualTo(QUEUE_BYTES);
        assertThat(stalled.held).anySatisfy(m -> {
            assertThat(m).isInstanceOf(CloseWebSocketFrame.class);
            assertThat(((CloseWebSocketFrame) m).statusCode()).isEqualTo(3008);
        });
        stalled.held.forEach(io.netty.util.ReferenceCountUtil::release);
    }

    @Test
    void aPingFloodFromAReadingPeerIsClosedWithTooManyRequests() {
        EmbeddedChannel ch = new EmbeddedChannel(new WebSocketFrameHandler(node, QUEUE_BYTES));
        int pongs = 0;
        CloseWebSocketFrame close = null;
        for (int i = 0; i < 1000 && close == null; i++) {
            ch.writeInbound(ping());
            ch.runPendingTasks();
            Object out;
            while ((out = ch.readOutbound()) != null) {
                if (out instanceof PongWebSocketFrame p) {
                    pongs++;
                    p.release();
                } else if (out instanceof CloseWebSocketFrame c) {
                    close = c;
                }
            }
        }
        assertThat(close).as("close frame").isNotNull();
        assertThat(close.statusCode()).isEqualTo(3013);
        close.release();
        // The burst (200) was answered; the tokens refilled during the loop add a few more at most.
        assertThat(pongs).isBetween(200, 260);
    }

    @Test
    void aFragmentedMessageOverTheLimitIsClosedWith1009() {
        EmbeddedChannel ch = new EmbeddedChannel(new WebSocketFrameHandler(node, QUEUE_BYTES));
        ch.pipeline().fireExceptionCaught(new TooLongFrameException("content length exceeded 65536 bytes."));
        ch.runPendingTasks();
        CloseWebSocketFrame close = ch.readOutbound();
        assertThat(close.statusCode()).isEqualTo(1009);
        close.release();
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void aPeersCloseFrameIsEchoedAndTheConnectionEnds() {
        EmbeddedChannel ch = new EmbeddedChannel(new WebSocketFrameHandler(node, QUEUE_BYTES));
        ch.writeInbound(new CloseWebSocketFrame(1000, "bye"));
        ch.runPendingTasks();
        CloseWebSocketFrame echo = ch.readOutbound();
        assertThat(echo.statusCode()).isEqualTo(1000);
        echo.release();
        assertThat(ch.isOpen()).isFalse();
    }
}
