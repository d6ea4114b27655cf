package dev.switchboard.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.protocol.Disconnect;
import dev.switchboard.core.protocol.ProtocolFormat;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link WebSocketTransport} on an {@link EmbeddedChannel}: how queued messages become frames and
 * flushes, and how bytes a peer has not read are bounded.
 */
class WebSocketTransportBatchingTest {

    private static final long QUEUE_BYTES = 10_000;

    /**
     * Records what reaches the socket and how often it is flushed. When {@code completeWrites} is
     * false no write ever completes: a peer whose receive window is closed.
     */
    private static final class Peer extends ChannelOutboundHandlerAdapter {
        final List<Object> written = new ArrayList<>();
        final boolean completeWrites;
        int flushes;

        Peer(boolean completeWrites) {
            this.completeWrites = completeWrites;
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            written.add(msg);
            if (completeWrites) {
                promise.setSuccess();
            }
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            flushes++;
        }

        List<String> texts() {
            return written.stream()
                    .filter(m -> m instanceof TextWebSocketFrame)
                    .map(m -> ((TextWebSocketFrame) m).text())
                    .toList();
        }

        List<String> messages() {
            return texts().stream().flatMap(t -> Arrays.stream(t.split("\n"))).toList();
        }

        /** The writer tag and sequence number of each message, without its padding. */
        List<String> heads() {
            return messages().stream().map(m -> m.substring(0, m.indexOf(':'))).toList();
        }

        CloseWebSocketFrame closeFrame() {
            return written.stream()
                    .filter(m -> m instanceof CloseWebSocketFrame)
                    .map(m -> (CloseWebSocketFrame) m)
                    .findFirst()
                    .orElse(null);
        }

        void release() {
            written.forEach(ReferenceCountUtil::release);
        }
    }

    private Peer peer;
    private EmbeddedChannel ch;

    private WebSocketTransport transport(boolean peerReads, long maxQueuedBytes) {
        peer = new Peer(peerReads);
        ch = new EmbeddedChannel(peer);
        return new WebSocketTransport(ch, maxQueuedBytes);
    }

    @AfterEach
    void release() {
        peer.release();
        ch.finishAndReleaseAll();
    }

    /** A message of exactly {@code size} bytes that names its writer and sequence number. */
    private static byte[] message(String tag, int seq, int size) {
        String head = tag + "-" + seq + ":";
        return (head + "x".repeat(size - head.length())).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void messagesFromManyThreadsAreJoinedWithNewlinesIntoFullFramesInEachWritersOrderWithOneFlush() throws Exception {
        WebSocketTransport t = transport(true, 1 << 20);
        int threads = 4;
        int perThread = 100;
        int size = 1000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            String tag = "w" + w;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    t.write(message(tag, i, size));
                }
            });
            thread.start();
            writers.add(thread);
        }
        start.countDown();
        for (Thread thread : writers) {
            thread.join();
        }
        ch.runPendingTasks();

        List<String> frames = peer.texts();
        // 65 messages of 1000 bytes and 64 newlines fit in 64 KiB, 66 do not: 400 messages need 7 frames.
        int perFrame = (WebSocketTransport.MAX_BATCH_BYTES + 1) / (size + 1);
        assertThat(frames).hasSize((threads * perThread + perFrame - 1) / perFrame);
        assertThat(frames)
                .allSatisfy(f -> assertThat(f.getBytes(StandardCharsets.UTF_8).length)
                        .isLessThanOrEqualTo(WebSocketTransport.MAX_BATCH_BYTES));
        assertThat(frames.subList(0, frames.size() - 1))
                .allSatisfy(f -> assertThat(f.split("\n")).hasSize(perFrame));
        assertThat(peer.flushes).isEqualTo(1);

        assertThat(peer.messages()).hasSize(threads * perThread).allMatch(m -> m.length() == size);
        List<String> messages = peer.heads();
        for (int w = 0; w < threads; w++) {
            String prefix = "w" + w + "-";
            List<String> sequence = messages.stream()
                    .filter(m -> m.startsWith(prefix))
                    .map(m -> m.substring(prefix.length()))
                    .toList();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
                expected.add(Integer.toString(i));
            }
            assertThat(sequence).as("writer %d", w).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void aMessageLargerThanABatchGoesOutAloneInItsOwnFrame() {
        WebSocketTransport t = transport(true, 1 << 20);
        int big = WebSocketTransport.MAX_BATCH_BYTES + 10;
        t.write(message("a", 0, 10));
        t.write(message("b", 0, big));
        t.write(message("c", 0, 10));
        ch.runPendingTasks();

        assertThat(peer.texts()).extracting(String::length).containsExactly(10, big, 10);
        assertThat(peer.flushes).isEqualTo(1);
    }

    @Test
    void eachDrainFlushesOnceAndOnlyWhenItWroteSomething() {
        WebSocketTransport t = transport(true, QUEUE_BYTES);
        t.write(message("a", 0, 10));
        t.write(message("a", 1, 10));
        ch.runPendingTasks();
        assertThat(peer.flushes).isEqualTo(1);
        ch.runPendingTasks();
        assertThat(peer.flushes).as("no drain without writes").isEqualTo(1);

        t.write(message("a", 2, 10));
        ch.runPendingTasks();
        assertThat(peer.flushes).isEqualTo(2);
        assertThat(peer.texts()).hasSize(2);
        assertThat(peer.messages()).hasSize(3);
    }

    @Test
    void withAWriteDelayMessagesQueuedWithinItShareOneFrameAndOneCountedWrite() {
        peer = new Peer(true);
        ch = new EmbeddedChannel(peer);
        List<Integer> writes = new ArrayList<>();
        WebSocketTransport t = new WebSocketTransport(
                ch,
                QUEUE_BYTES,
                Map.of(),
                ProtocolFormat.JSON,
                TrafficMetrics.Counter.NOOP,
                writes::add,
                TimeUnit.MILLISECONDS.toNanos(5));
        t.write(message("a", 0, 10));
        ch.runPendingTasks();
        assertThat(peer.flushes).as("held back for the delay").isZero();
        ch.advanceTimeBy(3, TimeUnit.MILLISECONDS);
        t.write(message("a", 1, 10));
        ch.runScheduledPendingTasks();
        assertThat(peer.flushes).as("still within the delay of the first").isZero();
        ch.advanceTimeBy(2, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(peer.flushes).isEqualTo(1);
        assertThat(peer.texts()).hasSize(1);
        assertThat(peer.messages()).containsExactly("a-0:" + "x".repeat(6), "a-1:" + "x".repeat(6));
        assertThat(writes).as("one write of both messages' bytes").containsExactly(20);

        t.write(message("a", 2, 10));
        ch.advanceTimeBy(5, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(peer.flushes).as("the next message opens a new delay").isEqualTo(2);
        assertThat(writes).containsExactly(20, 10);
    }

    @Test
    void bytesTheSocketHasWrittenNoLongerCountSoAReadingPeerIsNeverSlow() {
        WebSocketTransport t = transport(true, QUEUE_BYTES);
        // Ten times the bound in total, at most half of it queued at once.
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < 5; i++) {
                t.write(message("r" + round, i, 1000));
            }
            ch.runPendingTasks();
        }
        assertThat(peer.closeFrame()).isNull();
        assertThat(t.closedWith()).isNull();
        assertThat(peer.messages()).hasSize(100);
    }

    @Test
    void aPeerThatDoesNotReadIsClosedWithSlowOnceUnwrittenBytesPassTheBound() {
        WebSocketTransport t = transport(false, QUEUE_BYTES);
        // Written to the socket but never completed: these 9000 bytes stay counted.
        for (int i = 0; i < 9; i++) {
            t.write(message("held", i, 1000));
            ch.runPendingTasks();
        }
        assertThat(t.closedWith()).isNull();

        t.write(message("over", 0, 1001));
        ch.runPendingTasks();

        assertThat(t.closedWith()).isEqualTo(Disconnect.SLOW);
        CloseWebSocketFrame close = peer.closeFrame();
        assertThat(close).isNotNull();
        assertThat(close.statusCode()).isEqualTo(3008);
        assertThat(peer.heads()).hasSize(9).allMatch(m -> m.startsWith("held-"));
        assertThat(peer.written.get(peer.written.size() - 1))
                .as("the close frame is the last write")
                .isSameAs(close);

        t.write(message("after", 0, 10));
        ch.runPendingTasks();
        assertThat(peer.heads()).as("nothing is written after the close").hasSize(9);
    }

    @Test
    void messagesQueuedWhenTheSlowBoundIsPassedAreDroppedNotFlushed() {
        WebSocketTransport t = transport(false, QUEUE_BYTES);
        for (int i = 0; i < 6; i++) {
            t.write(message("held", i, 1000));
        }
        ch.runPendingTasks();
        // Queued, not yet drained, when the next write passes the bound.
        t.write(message("queued", 0, 1000));
        t.write(message("queued", 1, 1000));
        t.write(message("over", 0, 3000));
        ch.runPendingTasks();

        assertThat(peer.closeFrame().statusCode()).isEqualTo(3008);
        assertThat(peer.heads()).containsExactly("held-0", "held-1", "held-2", "held-3", "held-4", "held-5");
    }

    @Test
    void aNormalCloseFlushesQueuedMessagesFirstThenSendsTheCloseFrame() {
        WebSocketTransport t = transport(true, QUEUE_BYTES);
        t.write(message("a", 0, 10));
        t.write(message("a", 1, 10));
        t.close(Disconnect.SHUTDOWN);
        t.write(message("late", 0, 10));
        ch.runPendingTasks();

        assertThat(peer.written).hasSize(2);
        assertThat(peer.written.get(0)).isInstanceOf(TextWebSocketFrame.class);
        assertThat(((TextWebSocketFrame) peer.written.get(0)).text())
                .isEqualTo(new String(message("a", 0, 10), StandardCharsets.UTF_8) + "\n"
                        + new String(message("a", 1, 10), StandardCharsets.UTF_8));
        CloseWebSocketFrame close = (CloseWebSocketFrame) peer.written.get(1);
        assertThat(close.statusCode()).isEqualTo(3001);
        assertThat(close.reasonText()).isEqualTo("shutdown");
        assertThat(t.closedWith()).isEqualTo(Disconnect.SHUTDOWN);
    }
}
