package dev.switchboard.transport.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link HttpPipelining}: one request at a time, in order, a bounded queue, reading off while busy. */
class HttpPipeliningTest {

    /** Records the requests it is given and answers only when the test says so, like a slow API call. */
    static final class App extends ChannelInboundHandlerAdapter {
        final List<FullHttpRequest> received = new ArrayList<>();
        ChannelHandlerContext ctx;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            received.add((FullHttpRequest) msg);
        }

        /** Answers request {@code i} with its URI as the body. */
        void answer(int i, boolean keepAlive) {
            FullHttpRequest req = received.get(i);
            ctx.writeAndFlush(HttpResponses.of(
                    HttpResponseStatus.OK, HttpResponses.TEXT, HttpResponses.bytes(req.uri()), keepAlive));
        }
    }

    private final HttpPipelining pipelining = new HttpPipelining(HttpRefusals.NONE);
    private final App app = new App();
    private final EmbeddedChannel ch = new EmbeddedChannel(pipelining, app);

    private static FullHttpRequest request(String uri) {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri, Unpooled.buffer(0));
    }

    /** The app answers request {@code i}; then the event loop runs what the answer scheduled. */
    private void answer(int i, boolean keepAlive) {
        app.answer(i, keepAlive);
        ch.runPendingTasks();
    }

    private String nextResponseBody() {
        FullHttpResponse res = ch.readOutbound();
        try {
            return res.content().toString(java.nio.charset.StandardCharsets.UTF_8);
        } finally {
            res.release();
        }
    }

    @Test
    void servesOneRequestAtATimeWithReadingOffUntilItsResponseIsWritten() {
        ch.writeInbound(request("/a"), request("/b"), request("/c"));
        assertThat(app.received).hasSize(1);
        assertThat(ch.config().isAutoRead())
                .as("not reading while /a is served")
                .isFalse();

        answer(0, true);
        assertThat(app.received).hasSize(2);
        assertThat(ch.config().isAutoRead()).as("/b is served now").isFalse();
        answer(1, true);
        answer(2, true);
        assertThat(ch.config().isAutoRead()).as("nothing left to serve").isTrue();
    }

    @Test
    void responsesLeaveInRequestOrderThoughAnsweredLater() {
        ch.writeInbound(request("/1"), request("/2"), request("/3"));
        // /2 and /3 cannot be answered before /1: they are not handed to the app yet.
        assertThat(app.received).extracting(FullHttpRequest::uri).containsExactly("/1");
        answer(0, true);
        answer(1, true);
        answer(2, true);
        assertThat(List.of(nextResponseBody(), nextResponseBody(), nextResponseBody()))
                .containsExactly("/1", "/2", "/3");
    }

    @Test
    void moreThanTheMaximumOfWaitingRequestsClosesAndReleasesThem() {
        ch.writeInbound(request("/served"));
        List<FullHttpRequest> waiting = new ArrayList<>();
        for (int i = 0; i < HttpPipelining.MAX_PIPELINED_REQUESTS; i++) {
            FullHttpRequest r = request("/w" + i);
            waiting.add(r);
            ch.writeInbound(r);
        }
        assertThat(ch.isOpen())
                .as(HttpPipelining.MAX_PIPELINED_REQUESTS + " waiting is allowed")
                .isTrue();

        FullHttpRequest oneTooMany = request("/too-many");
        ch.writeInbound(oneTooMany);
        assertThat(ch.isOpen()).isFalse();
        assertThat(oneTooMany.refCnt()).isZero();
        assertThat(waiting).allSatisfy(r -> assertThat(r.refCnt()).isZero());
    }

    @Test
    void unwritableChannelIsNotReadUntilWritableAgain() {
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        ch.write(Unpooled.wrappedBuffer(new byte[64])); // queued, not flushed: over the high water mark
        assertThat(ch.isWritable()).isFalse();
        assertThat(ch.config().isAutoRead()).isFalse();

        ch.flush();
        assertThat(ch.isWritable()).isTrue();
        assertThat(ch.config().isAutoRead()).isTrue();
        ((io.netty.buffer.ByteBuf) ch.readOutbound()).release();
    }

    @Test
    void readingStaysOffAfterAResponseWhileTheChannelIsUnwritable() {
        ch.writeInbound(request("/a"));
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        ch.write(Unpooled.wrappedBuffer(new byte[64]));
        app.ctx.write(HttpResponses.of(HttpResponseStatus.OK, HttpResponses.TEXT, HttpResponses.bytes("x"), true));
        assertThat(ch.config().isAutoRead()).isFalse();
        ch.flush(); // both written: the response's write completes and the channel is writable again
        ch.runPendingTasks();
        assertThat(ch.config().isAutoRead()).isTrue();
        ch.releaseOutbound();
    }

    @Test
    void connectionCloseResponseServesNothingMore() {
        ch.writeInbound(request("/last"), request("/after"));
        answer(0, false);
        assertThat(app.received).hasSize(1);
        ch.releaseOutbound();
    }

    @Test
    void leavingForAWebSocketReleasesWaitingRequestsAndTurnsReadingOn() {
        FullHttpRequest waiting = request("/w");
        ch.writeInbound(request("/connection/websocket"), waiting);
        assertThat(ch.config().isAutoRead()).isFalse();
        ch.pipeline().remove(pipelining);
        assertThat(ch.config().isAutoRead()).isTrue();
        assertThat(waiting.refCnt()).isZero();
    }
}
