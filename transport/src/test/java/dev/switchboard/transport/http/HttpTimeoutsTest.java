package dev.switchboard.transport.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.transport.config.HttpConfig;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link HttpTimeouts} on a frozen clock: which timeout applies in each phase of a connection. */
class HttpTimeoutsTest {

    private static final long HEADER_MS = 1_000;
    private static final long BODY_MS = 3_000;
    private static final long IDLE_MS = 10_000;

    private final HttpTimeouts timeouts = new HttpTimeouts(
            HttpConfig.builder()
                    .headerTimeout(Duration.ofMillis(HEADER_MS))
                    .bodyTimeout(Duration.ofMillis(BODY_MS))
                    .idleTimeout(Duration.ofMillis(IDLE_MS))
                    .build(),
            HttpRefusals.NONE);
    private final HttpPipeliningTest.App app = new HttpPipeliningTest.App();
    private final EmbeddedChannel ch = new EmbeddedChannel();

    HttpTimeoutsTest() {
        ch.freezeTime();
        ch.pipeline()
                .addLast(
                        timeouts.bytesWatcher(),
                        new HttpServerCodec(),
                        timeouts,
                        new HttpObjectAggregator(1 << 20),
                        app);
    }

    private void send(String text) {
        EmbeddedHttp.send(ch, text);
    }

    private void advance(long millis) {
        ch.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        ch.runPendingTasks();
    }

    private String written() {
        return EmbeddedHttp.written(ch);
    }

    /** A complete GET answered at once, leaving the connection idle. */
    private void requestAnswered() {
        send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
        app.answer(app.received.size() - 1, true);
        written();
    }

    @Test
    void newConnectionThatSendsNothingGets408AfterTheHeaderTimeout() {
        assertThat(timeouts.phase()).isEqualTo(HttpTimeouts.Phase.HEADERS);
        advance(HEADER_MS - 1);
        assertThat(ch.isOpen()).isTrue();
        advance(1);
        assertThat(written()).startsWith("HTTP/1.1 408 Request Timeout\r\n").containsIgnoringCase("connection: close");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void headerBytesTricklingInDoNotExtendTheHeaderTimeout() {
        requestAnswered();
        advance(IDLE_MS / 2);
        send("GET /health HTTP/1.1\r\n");
        assertThat(timeouts.phase()).isEqualTo(HttpTimeouts.Phase.HEADERS);
        for (int i = 0; i < 9; i++) {
            advance(HEADER_MS / 10);
            send("X");
        }
        assertThat(ch.isOpen()).isTrue();
        advance(HEADER_MS / 10);
        assertThat(written()).startsWith("HTTP/1.1 408 ");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void idleKeepAliveConnectionIsClosedAfterTheIdleTimeoutWithoutA408() {
        requestAnswered();
        assertThat(timeouts.phase()).isEqualTo(HttpTimeouts.Phase.IDLE);
        advance(IDLE_MS - 1);
        assertThat(ch.isOpen())
                .as("idle less than idle_timeout, although longer than header_timeout")
                .isTrue();
        advance(1);
        assertThat(ch.isOpen()).isFalse();
        assertThat(written()).isEmpty();
    }

    @Test
    void everyCompletedRequestRestartsTheIdleTimeout() {
        for (int i = 0; i < 5; i++) {
            requestAnswered();
            advance(IDLE_MS - 1);
        }
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void unfinishedBodyIsCutAfterTheBodyTimeout() {
        send("POST /api/publish HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789");
        assertThat(timeouts.phase()).isEqualTo(HttpTimeouts.Phase.BODY);
        advance(BODY_MS - 1);
        send("more body bytes");
        assertThat(ch.isOpen()).as("body bytes do not extend the body timeout").isTrue();
        advance(1);
        assertThat(written()).startsWith("HTTP/1.1 408 ");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void requestNeverAnsweredIsCutAfterTheServeLimitNotTheIdleTimeout() {
        send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(timeouts.phase()).isEqualTo(HttpTimeouts.Phase.BUSY);
        advance(IDLE_MS);
        assertThat(ch.isOpen()).as("an invoke may take up to 300 s").isTrue();
        advance(TimeUnit.NANOSECONDS.toMillis(HttpTimeouts.MAX_SERVE_NANOS) - IDLE_MS);
        assertThat(ch.isOpen()).isFalse();
        app.received.forEach(FullHttpRequest::release);
    }

    @Test
    void responseTheWriteOfWhichNeverCompletesIsCutAfterTheIdleTimeout() {
        send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        // Written but never flushed: to the handler it is a response the peer does not take.
        app.ctx.write(HttpResponses.of(
                io.netty.handler.codec.http.HttpResponseStatus.OK,
                HttpResponses.TEXT,
                HttpResponses.bytes("big"),
                true));
        assertThat(timeouts.phase()).isEqualTo(HttpTimeouts.Phase.WRITE);
        advance(IDLE_MS - 1);
        assertThat(ch.isOpen()).isTrue();
        advance(1);
        assertThat(ch.isOpen()).isFalse();
        app.received.forEach(FullHttpRequest::release);
    }

    @Test
    void leavingForAWebSocketStopsEveryTimer() {
        send("GET /connection/websocket HTTP/1.1\r\nHost: x\r\n\r\n");
        ch.pipeline().remove(timeouts.bytesWatcher());
        ch.pipeline().remove(timeouts);
        advance(IDLE_MS * 10);
        assertThat(ch.isOpen()).isTrue();
        app.received.forEach(FullHttpRequest::release);
    }
}
