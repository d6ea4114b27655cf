package dev.switchboard.server.uni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.ApiClient;
import dev.switchboard.server.testing.TestServers;
import dev.switchboard.server.testing.UniStream;
import dev.switchboard.server.testing.WsTestClient;
import dev.switchboard.transport.SwitchboardServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The unidirectional transports over real sockets: {@code uni_http_stream} and {@code uni_sse}
 * read by the JDK's HttpClient, {@code uni_websocket} by its WebSocket client; the SSE resume
 * from {@code Last-Event-ID}; and every refusal of bad input.
 */
class UniTransportsIT {

    private static final AtomicInteger N = new AtomicInteger();
    private static SwitchboardServer server;
    private static ApiClient api;
    private static String base;

    @BeforeAll
    static void start() {
        server = TestServers.start(
                String.join(
                        "\n",
                        "uni_websocket: {enabled: true}",
                        "uni_sse: {enabled: true}",
                        "uni_http_stream: {enabled: true}",
                        "client: {ping_interval: 1s, pong_timeout: 500ms, queue_max_bytes: 256KiB}",
                        ""),
                b -> b);
        base = "http://127.0.0.1:" + server.port();
        api = new ApiClient(TestServers.apiUrl(server), TestServers.API_KEY);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String channel() {
        return "uni" + N.incrementAndGet();
    }

    private static String connectJson(String channel) {
        String token = TestServers.tokens()
                .connectToken("u" + N.incrementAndGet(), Duration.ofHours(1), List.of(channel), null);
        return "{\"token\":\"" + token + "\"}";
    }

    @Test
    void httpStreamSendsTheConnectPushThenEachPublicationAsALine() throws Exception {
        String ch = channel();
        try (UniStream s =
                UniStream.open("POST", base + "/connection/uni_http_stream", connectJson(ch), Map.of(), false)) {
            assertThat(s.status).isEqualTo(200);
            assertThat(s.response.headers().firstValue("content-type")).hasValue("application/x-ndjson");
            JsonNode connect = s.next().data();
            assertThat(connect.at("/connect/client").asText()).isNotEmpty();
            assertThat(connect.at("/connect/subs/" + ch + "/recoverable").asBoolean())
                    .isTrue();
            assertThat(connect.has("id")).as("a push, not a reply").isFalse();

            api.publish(ch, "{\"n\":1}");
            JsonNode pub = s.next().data();
            assertThat(pub.get("channel").asText()).isEqualTo(ch);
            assertThat(pub.at("/pub/data/n").asInt()).isEqualTo(1);
            assertThat(pub.at("/pub/offset").asLong()).isEqualTo(1);
        }
    }

    @Test
    void sseByGetWithCfConnectGetsEventsWithIdsAndPingsWithout() throws Exception {
        String ch = channel();
        String url =
                base + "/connection/uni_sse?cf_connect=" + URLEncoder.encode(connectJson(ch), StandardCharsets.UTF_8);
        try (UniStream s = UniStream.open("GET", url, null, Map.of(), true)) {
            assertThat(s.status).isEqualTo(200);
            assertThat(s.response.headers().firstValue("content-type")).hasValue("text/event-stream; charset=utf-8");
            UniStream.Event connect = s.next();
            assertThat(connect.data().has("connect")).isTrue();
            assertThat(connect.id()).startsWith("1.");

            api.publish(ch, "{\"n\":1}");
            UniStream.Event pub = s.next();
            assertThat(pub.data().at("/pub/offset").asLong()).isEqualTo(1);
            assertThat(pub.id()).isNotEqualTo(connect.id());

            // The ping: data {} with no id (the browser's last event id stays the publication's).
            UniStream.Event ping;
            do {
                ping = s.nextOrEnd();
            } while (ping != null && !ping.data().isEmpty());
            assertThat(ping).isNotNull();
            assertThat(ping.id()).isNull();
        }
    }

    @Test
    void sseReconnectWithLastEventIdRecoversExactlyTheMissedPublications() throws Exception {
        String ch = channel();
        String connect = connectJson(ch);
        String lastId;
        try (UniStream s = UniStream.open("POST", base + "/connection/uni_sse", connect, Map.of(), true)) {
            s.next();
            api.publish(ch, "{\"n\":1}");
            api.publish(ch, "{\"n\":2}");
            s.next();
            lastId = s.next().id();
        }
        for (int n = 3; n <= 5; n++) {
            api.publish(ch, "{\"n\":" + n + "}");
        }
        try (UniStream s =
                UniStream.open("POST", base + "/connection/uni_sse", connect, Map.of("Last-Event-ID", lastId), true)) {
            JsonNode sub = s.next().data().at("/connect/subs/" + ch);
            assertThat(sub.get("was_recovering").asBoolean()).isTrue();
            assertThat(sub.get("recovered").asBoolean()).isTrue();
            assertThat(sub.get("publications"))
                    .extracting(p -> p.at("/data/n").asInt())
                    .containsExactly(3, 4, 5);
        }
        // A tampered id cannot say where the browser was: told, never given a partial set.
        try (UniStream s =
                UniStream.open("POST", base + "/connection/uni_sse", connect, Map.of("Last-Event-ID", "1.zzz"), true)) {
            JsonNode sub = s.next().data().at("/connect/subs/" + ch);
            assertThat(sub.get("recovered").asBoolean()).isFalse();
            assertThat(sub.has("publications")).isFalse();
        }
    }

    @Test
    void uniWebSocketTakesTheConnectAsFirstMessageThenOnlyPushes() {
        String ch = channel();
        try (WsTestClient ws = WsTestClient.open("ws://127.0.0.1:" + server.port() + "/connection/uni_websocket")) {
            ws.send(connectJson(ch));
            JsonNode connect = ws.await(m -> m.has("connect"));
            assertThat(connect.at("/connect/subs/" + ch).isObject()).isTrue();
            // Anything more the client sends is ignored, not answered.
            ws.send("{\"id\":2,\"publish\":{\"channel\":\"" + ch + "\",\"data\":{}}}");
            api.publish(ch, "{\"n\":7}");
            JsonNode pub = ws.await(m -> m.has("pub"));
            assertThat(pub.get("channel").asText()).isEqualTo(ch);
            assertThat(pub.at("/pub/data/n").asInt()).isEqualTo(7);
            assertThat(ws.drain()).noneMatch(m -> m.has("id"));
        }
    }

    @Test
    void uniWebSocketTakesTheConnectFromTheUrlAndClosesOnAMalformedOne() {
        String ch = channel();
        String url = "ws://127.0.0.1:" + server.port() + "/connection/uni_websocket?cf_connect="
                + URLEncoder.encode(connectJson(ch), StandardCharsets.UTF_8);
        try (WsTestClient ws = WsTestClient.open(url)) {
            assertThat(ws.await(m -> m.has("connect")).at("/connect/subs/" + ch).isObject())
                    .isTrue();
        }
        try (WsTestClient ws = WsTestClient.open("ws://127.0.0.1:" + server.port() + "/connection/uni_websocket")) {
            ws.send("{\"token\":");
            assertThat(ws.await(m -> m.has("disconnect")).at("/disconnect/code").asInt())
                    .isEqualTo(3501);
            assertThat(ws.awaitClose()).isEqualTo(3501);
        }
    }

    @Test
    void aBadTokenGetsTheDisconnectPushAndTheEndOnEveryTransport() throws Exception {
        String bad = "{\"token\":\"not-a-jwt\"}";
        try (UniStream s = UniStream.open("POST", base + "/connection/uni_http_stream", bad, Map.of(), false)) {
            assertThat(s.status).isEqualTo(200);
            assertThat(s.next().data().at("/disconnect/code").asInt()).isEqualTo(3500);
            assertThat(s.nextOrEnd()).isNull();
        }
        try (WsTestClient ws = WsTestClient.open("ws://127.0.0.1:" + server.port() + "/connection/uni_websocket")) {
            ws.send(bad);
            assertThat(ws.await(m -> m.has("disconnect")).at("/disconnect/code").asInt())
                    .isEqualTo(3500);
            assertThat(ws.awaitClose()).isEqualTo(3500);
        }
    }

    @Test
    void badRequestsAreRefusedWithAClearStatusAndOthersAreUndisturbed() throws Exception {
        String ch = channel();
        try (UniStream bystander =
                UniStream.open("POST", base + "/connection/uni_http_stream", connectJson(ch), Map.of(), false)) {
            bystander.next();
            assertThat(status("GET", "/connection/uni_http_stream", null, Map.of()))
                    .isEqualTo(405);
            assertThat(status("PUT", "/connection/uni_sse", "{}", Map.of())).isEqualTo(405);
            assertThat(status("POST", "/connection/uni_sse", "{}", Map.of("Content-Type", "application/xml")))
                    .isEqualTo(415);
            assertThat(status("POST", "/connection/uni_http_stream", "{\"token\":", Map.of()))
                    .isEqualTo(400);
            assertThat(status("POST", "/connection/uni_http_stream", "[1]", Map.of()))
                    .isEqualTo(400);
            String huge = "{\"data\":\"" + "x".repeat(70_000) + "\"}";
            assertThat(status("POST", "/connection/uni_http_stream", huge, Map.of()))
                    .isEqualTo(413);
            assertThat(status("POST", "/connection/uni_sse", "{}", Map.of("Origin", "https://evil.example")))
                    .isEqualTo(403);

            api.publish(ch, "{\"still\":true}");
            assertThat(bystander.next().data().at("/pub/data/still").asBoolean())
                    .isTrue();
        }
    }

    @Test
    void aPeerThatNeverReadsIsCutAtTheQueueBound() throws Exception {
        String ch = channel();
        String body = connectJson(ch);
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(4096);
            s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /connection/uni_http_stream HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                            + "Content-Length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            await().atMost(Duration.ofSeconds(5)).until(() -> presenceOf(ch) == 1);
            String big = "\"" + "x".repeat(30_000) + "\"";
            // Far more than the 256 KiB queue plus what the kernel buffers: the node must cut it.
            for (int i = 0; i < 400 && presenceOf(ch) > 0; i++) {
                api.publish(ch, big);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> presenceOf(ch) == 0);
            InputStream in = s.getInputStream();
            s.setSoTimeout(5000);
            long read = 0;
            while (in.read(new byte[65536]) >= 0) {
                read += 1;
            }
            assertThat(read).as("the connection ends").isGreaterThan(0);
        }
    }

    private static int presenceOf(String ch) {
        return api.call("presence_stats", "{\"channel\":\"" + ch + "\"}")
                .body()
                .at("/result/num_clients")
                .asInt();
    }

    private static int status(String method, String path, String body, Map<String, String> headers) throws Exception {
        try (UniStream s = UniStream.open(method, base + path, body, headers, false)) {
            return s.status;
        }
    }
}
