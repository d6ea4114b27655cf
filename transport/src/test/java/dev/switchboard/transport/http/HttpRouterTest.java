package dev.switchboard.transport.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.node.Node;
import dev.switchboard.core.node.NodeOptions;
import dev.switchboard.transport.api.ApiExecutor;
import dev.switchboard.transport.websocket.LingeringClose;
import dev.switchboard.transport.websocket.WebSocketUpgrade;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link HttpRouter} alone on an {@link EmbeddedChannel}: which path gets which answer. */
class HttpRouterTest {

    private static final String KEY = "the-key";

    private final Node node = Node.builder()
            .options(NodeOptions.builder().name("router-test").build())
            .build()
            .start();
    private final ApiExecutor api = new ApiExecutor(node);
    private final AtomicBoolean healthy = new AtomicBoolean(true);
    private final List<HttpRefusals.Reason> refused = new ArrayList<>();
    private final CompletableFuture<String> renderedOn = new CompletableFuture<>();
    private final EmbeddedChannel ch = new EmbeddedChannel(
            new HttpServerCodec(),
            new HttpObjectAggregator(1024),
            new HttpRouter(
                    new WebSocketUpgrade(node, 1024, 1024),
                    api,
                    new ApiKey(KEY),
                    () -> new HealthReport(healthy.get(), "router-test", "memory", healthy.get(), true, false, 3, 7),
                    () -> {
                        renderedOn.complete(Thread.currentThread().getName());
                        return "switchboard_clients 3\n";
                    },
                    refused::add,
                    MountedEndpoints.of(Map.of("/app", HttpRouterTest::echo))));

    @AfterEach
    void close() {
        ch.finishAndReleaseAll();
        api.close();
        node.close();
    }

    private String get(String path, String headers) {
        EmbeddedHttp.send(ch, "GET " + path + " HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n");
        return EmbeddedHttp.written(ch);
    }

    @Test
    void healthIs200WithItsReportWhenTheNodeCanServe() {
        String res = get("/health?verbose=1", "");
        assertThat(res)
                .startsWith("HTTP/1.1 200 OK\r\n")
                .containsIgnoringCase("content-type: application/json")
                .contains("\"status\":\"ok\"")
                .contains("\"clients\":3");
        assertThat(ch.isOpen()).as("keep-alive").isTrue();
    }

    @Test
    void healthIs503WhenTheNodeCannotServe() {
        healthy.set(false);
        assertThat(get("/health", ""))
                .startsWith("HTTP/1.1 503 Service Unavailable\r\n")
                .contains("\"status\":\"unavailable\"")
                .contains("\"status\":\"down\"");
    }

    @Test
    void metricsAreServedAsPrometheusTextRenderedOffTheEventLoop() throws Exception {
        EmbeddedHttp.send(ch, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(renderedOn).as("rendered on its own thread").succeedsWithin(Duration.ofSeconds(5));
        assertThat(renderedOn.get()).isEqualTo("switchboard-metrics");
        String res = "";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (res.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
            ch.runPendingTasks(); // the answer comes back to the channel's loop as a task
            res = EmbeddedHttp.written(ch);
        }
        assertThat(res)
                .startsWith("HTTP/1.1 200 OK\r\n")
                .containsIgnoringCase("content-type: text/plain; version=0.0.4")
                .endsWith("switchboard_clients 3\n");
    }

    /** The endpoint mounted at {@code /app}: echoes what it was handed, with a header of its own. */
    private static CompletableFuture<HttpAnswer> echo(EndpointRequest r) {
        if (r.path().equals("/app/fail")) {
            return CompletableFuture.failedFuture(new IllegalStateException("boom"));
        }
        return CompletableFuture.completedFuture(HttpAnswer.text(
                        201,
                        r.method() + " " + r.path() + " ?" + r.query() + " x=" + r.header("X-Thing") + " tls=" + r.tls()
                                + " body=" + new String(r.body()))
                .withHeader("Set-Cookie", "a=b; HttpOnly"));
    }

    @Test
    void aMountedEndpointGetsItsPathsAndAnswersWithItsHeaders() {
        EmbeddedHttp.send(ch, "POST /app/x?q=1 HTTP/1.1\r\nHost: x\r\nX-Thing: 7\r\nContent-Length: 2\r\n\r\nhi");
        assertThat(EmbeddedHttp.written(ch))
                .startsWith("HTTP/1.1 201 Created\r\n")
                .containsIgnoringCase("set-cookie: a=b; HttpOnly")
                .endsWith("POST /app/x ?q=1 x=7 tls=false body=hi");
        assertThat(get("/app", "")).startsWith("HTTP/1.1 201 ").endsWith("GET /app ? x=null tls=false body=");
        assertThat(get("/application", "")).as("not below /app").startsWith("HTTP/1.1 404 ");
        assertThat(get("/app/fail", ""))
                .as("a failed answer is a JSON 500")
                .startsWith("HTTP/1.1 500 ")
                .contains("internal server error");
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void aMountPrefixMayNotTakeTheNodesOwnPaths() {
        for (String bad : List.of("/api", "/api/x", "/metrics", "/", "/admin/", "admin", "/connection/websocket")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> MountedEndpoints.checkPrefix(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(MountedEndpoints.checkPrefix("/ops/admin")).isEqualTo("/ops/admin");
    }

    @Test
    void anUnknownPathIs404WithAJsonError() {
        assertThat(get("/nothing-here", ""))
                .startsWith("HTTP/1.1 404 Not Found\r\n")
                .containsIgnoringCase("content-type: application/json")
                .endsWith("\r\n\r\n" + HttpRouter.NOT_FOUND_JSON);
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void withTheApiTurnedOffItsPathsAreUnknownPathsJson404() {
        EmbeddedChannel noApi = new EmbeddedChannel(
                new HttpServerCodec(),
                new HttpObjectAggregator(1024),
                new HttpRouter(
                        new WebSocketUpgrade(node, 1024, 1024),
                        null,
                        new ApiKey(KEY),
                        () -> null,
                        () -> "",
                        refused::add,
                        MountedEndpoints.NONE));
        for (String path : List.of("/api", "/api/publish")) {
            EmbeddedHttp.send(noApi, "POST " + path + " HTTP/1.1\r\nHost: x\r\nX-API-Key: " + KEY + "\r\n\r\n");
            assertThat(EmbeddedHttp.written(noApi))
                    .startsWith("HTTP/1.1 404 Not Found\r\n")
                    .endsWith(HttpRouter.NOT_FOUND_JSON);
        }
        noApi.finishAndReleaseAll();
    }

    @Test
    void theCommandsPathIsTheApisToo() {
        assertThat(HttpRouter.isApiPath("/api")).isTrue();
        assertThat(HttpRouter.isApiPath("/api/publish")).isTrue();
        assertThat(HttpRouter.isApiPath("/apix")).isFalse();
        assertThat(get("/api", "X-API-Key: " + KEY + "\r\n")).startsWith("HTTP/1.1 405 Method Not Allowed\r\n");
        EmbeddedHttp.send(ch, "POST /api HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
        assertThat(EmbeddedHttp.written(ch)).startsWith("HTTP/1.1 401 Unauthorized\r\n");
    }

    @Test
    void aRefusedHandshakeToAPeerThatNeverReadsIsCutAfterTheGrace() {
        List<Object> held = new ArrayList<>();
        EmbeddedChannel stalled = new EmbeddedChannel(
                new ChannelOutboundHandlerAdapter() {
                    @Override
                    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                        held.add(msg); // never written: the peer's window is closed
                    }
                },
                new HttpServerCodec(),
                new HttpObjectAggregator(1024),
                bareRouter(HttpRefusals.NONE));
        EmbeddedHttp.send(stalled, upgradeRequest("x", 6, ""));
        assertThat(held).as("the 426 was answered").isNotEmpty();
        assertThat(stalled.isOpen()).as("lingering while the answer is unread").isTrue();
        stalled.advanceTimeBy(LingeringClose.GRACE_MILLIS, TimeUnit.MILLISECONDS);
        stalled.runScheduledPendingTasks();
        assertThat(stalled.isOpen())
                .as("cut after the grace, HTTP timeouts being gone")
                .isFalse();
        held.forEach(ReferenceCountUtil::release);
    }

    /** A router with no health or metrics, for channels a test builds itself. */
    private HttpRouter bareRouter(HttpRefusals refusals) {
        return new HttpRouter(
                new WebSocketUpgrade(node, 1024, 1024),
                api,
                new ApiKey(KEY),
                () -> null,
                () -> "",
                refusals,
                MountedEndpoints.NONE);
    }

    /** A WebSocket upgrade request; {@code extraHeaders} are whole header lines. */
    private static String upgradeRequest(String host, int version, String extraHeaders) {
        return "GET " + WebSocketUpgrade.PATH + " HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: "
                + version + "\r\n" + extraHeaders + "\r\n";
    }

    @Test
    void anUpgradeFromAForeignOriginIs403CountedAndClosed() {
        EmbeddedHttp.send(ch, upgradeRequest("node.example.com", 13, "Origin: https://evil.test\r\n"));
        assertThat(EmbeddedHttp.written(ch))
                .startsWith("HTTP/1.1 403 Forbidden\r\n")
                .containsIgnoringCase("connection: close")
                .endsWith("origin not allowed\n");
        assertThat(refused).containsExactly(HttpRefusals.Reason.ORIGIN);
        ch.advanceTimeBy(LingeringClose.GRACE_MILLIS, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).as("closed within the grace").isFalse();
    }

    @Test
    void anUpgradeWithTwoOriginsOrTwoHostsIsRefused() {
        EmbeddedHttp.send(ch, upgradeRequest("a.test", 13, "Origin: http://a.test\r\nOrigin: http://a.test\r\n"));
        assertThat(EmbeddedHttp.written(ch)).startsWith("HTTP/1.1 403 Forbidden\r\n");
        EmbeddedChannel other =
                new EmbeddedChannel(new HttpServerCodec(), new HttpObjectAggregator(1024), bareRouter(refused::add));
        EmbeddedHttp.send(other, upgradeRequest("a.test", 13, "Host: b.test\r\nOrigin: http://a.test\r\n"));
        assertThat(EmbeddedHttp.written(other)).startsWith("HTTP/1.1 403 Forbidden\r\n");
        assertThat(refused).containsExactly(HttpRefusals.Reason.ORIGIN, HttpRefusals.Reason.ORIGIN);
        other.finishAndReleaseAll();
    }

    @Test
    void anUpgradeFromTheHostsOwnOriginOrWithoutOriginIsSwitched() {
        EmbeddedHttp.send(ch, upgradeRequest("Node.Example.com:80", 13, "Origin: http://node.example.com\r\n"));
        assertThat(EmbeddedHttp.written(ch)).startsWith("HTTP/1.1 101 Switching Protocols\r\n");
        assertThat(refused).isEmpty();

        EmbeddedChannel other =
                new EmbeddedChannel(new HttpServerCodec(), new HttpObjectAggregator(1024), bareRouter(refused::add));
        EmbeddedHttp.send(other, upgradeRequest("node.example.com", 13, ""));
        assertThat(EmbeddedHttp.written(other)).startsWith("HTTP/1.1 101 Switching Protocols\r\n");
        assertThat(refused).isEmpty();
        other.finishAndReleaseAll();
    }

    @Test
    void anApiCallWithTheKeyButNotPostIs405() {
        assertThat(get("/api/info", "X-API-Key: " + KEY + "\r\n"))
                .startsWith("HTTP/1.1 405 Method Not Allowed\r\n")
                .endsWith("{\"error\":{\"code\":405,\"message\":\"use POST\"}}");
    }

    @Test
    void anApiCallWithoutTheKeyIs401AndClosesEvenWithoutTheGateInFront() {
        EmbeddedHttp.send(ch, "POST /api/info HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
        assertThat(EmbeddedHttp.written(ch))
                .startsWith("HTTP/1.1 401 Unauthorized\r\n")
                .containsIgnoringCase("connection: close")
                .endsWith(ApiKey.UNAUTHORIZED_JSON);
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void theWebSocketPathWithoutAnUpgradeHeaderIs400() {
        assertThat(get(WebSocketUpgrade.PATH, ""))
                .startsWith("HTTP/1.1 400 Bad Request\r\n")
                .endsWith("expected a WebSocket upgrade\n");
    }

    @Test
    void pathOfDropsTheQuery() {
        assertThat(HttpRouter.pathOf("/health?x=1")).isEqualTo("/health");
        assertThat(HttpRouter.pathOf("/health")).isEqualTo("/health");
    }
}
