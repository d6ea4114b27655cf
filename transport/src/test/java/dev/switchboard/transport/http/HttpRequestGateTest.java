package dev.switchboard.transport.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link HttpRequestGate}: refusals are decided on the headers, before any body byte is buffered. */
class HttpRequestGateTest {

    private static final String KEY = "the-key";
    private static final int MAX_BODY = 1024;

    private final HttpPipeliningTest.App app = new HttpPipeliningTest.App();
    private final List<HttpRefusals.Reason> refused = new ArrayList<>();
    private final EmbeddedChannel ch = new EmbeddedChannel(
            new HttpServerCodec(),
            new HttpRequestGate(new ApiKey(KEY), true, MAX_BODY, refused::add),
            new HttpObjectAggregator(MAX_BODY),
            app);

    private void send(String text) {
        EmbeddedHttp.send(ch, text);
    }

    private String written() {
        return EmbeddedHttp.written(ch);
    }

    @Test
    void apiCallWithoutKeyGets401AndCloseBeforeItsBodyIsRead() {
        send("POST /api/publish HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + "400\r\n"
                + "a".repeat(1024) + "\r\n");
        String res = written();
        assertThat(res)
                .startsWith("HTTP/1.1 401 Unauthorized\r\n")
                .containsIgnoringCase("connection: close")
                .endsWith("{\"error\":{\"code\":401,\"message\":\"unauthorized: missing or wrong API key\"}}");
        assertThat(ch.isOpen()).isFalse();
        assertThat(app.received).isEmpty();
        assertThat(refused).containsExactly(HttpRefusals.Reason.UNAUTHORIZED);
    }

    @Test
    void wrongKeyIsRefusedLikeNoKey() {
        send("POST /api/info HTTP/1.1\r\nHost: x\r\nAuthorization: apikey not-the-key\r\nContent-Length: 2\r\n\r\n{}");
        assertThat(written()).startsWith("HTTP/1.1 401 ");
        assertThat(app.received).isEmpty();
    }

    @Test
    void theCommandsPathNeedsTheKeyBeforeItsBodyIsRead() {
        send("POST /api HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
        assertThat(written()).startsWith("HTTP/1.1 401 ");
        assertThat(app.received).isEmpty();
    }

    @Test
    void expectContinueWithoutKeyGets401Not100() {
        send("POST /api/publish HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 100\r\n\r\n");
        String res = written();
        assertThat(res).startsWith("HTTP/1.1 401 ").doesNotContain("100 Continue");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void expectContinueWithKeyGets100ThenTheRequestIsServed() {
        send("POST /api/publish HTTP/1.1\r\nHost: x\r\nX-API-Key: " + KEY
                + "\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
        assertThat(written()).startsWith("HTTP/1.1 100 Continue");
        send("{}");
        assertThat(app.received).hasSize(1);
        FullHttpRequest req = app.received.get(0);
        assertThat(req.content().toString(StandardCharsets.UTF_8)).isEqualTo("{}");
        req.release();
    }

    @Test
    void declaredBodyOverTheLimitGets413AndCloseBeforeReading() {
        send("POST /api/publish HTTP/1.1\r\nHost: x\r\nAuthorization: apikey " + KEY + "\r\nContent-Length: "
                + (MAX_BODY + 1) + "\r\n\r\n");
        assertThat(written()).startsWith("HTTP/1.1 413 ").containsIgnoringCase("connection: close");
        assertThat(ch.isOpen()).isFalse();
        assertThat(app.received).isEmpty();
        assertThat(refused).containsExactly(HttpRefusals.Reason.BODY_TOO_LARGE);
    }

    @Test
    void bodyOnAPathThatTakesNoneGets413() {
        send("GET /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
        assertThat(written()).startsWith("HTTP/1.1 413 ");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void requestsAfterARefusalAreDropped() {
        send("GET /api/info HTTP/1.1\r\nHost: x\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(written()).startsWith("HTTP/1.1 401 ").doesNotContain("200");
        assertThat(app.received).isEmpty();
    }

    @Test
    void authorizedCallAndBodilessRequestsPassThrough() {
        send("POST /api/info HTTP/1.1\r\nHost: x\r\nX-API-Key: " + KEY + "\r\nContent-Length: 2\r\n\r\n{}"
                + "GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
        assertThat(app.received).extracting(FullHttpRequest::uri).containsExactly("/api/info", "/health");
        app.received.forEach(FullHttpRequest::release);
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void withTheApiDisabledApiPathsAreOrdinaryPaths() {
        HttpPipeliningTest.App router = new HttpPipeliningTest.App();
        EmbeddedChannel noApi = new EmbeddedChannel(
                new HttpServerCodec(),
                new HttpRequestGate(new ApiKey(null), false, MAX_BODY, HttpRefusals.NONE),
                new HttpObjectAggregator(MAX_BODY),
                router);
        EmbeddedHttp.send(noApi, "GET /api/info HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(router.received).hasSize(1);
        router.received.forEach(FullHttpRequest::release);
    }
}
