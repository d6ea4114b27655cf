package dev.switchboard.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.server.admin.AdminPage;
import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.logging.LogSetup;
import dev.switchboard.server.testing.ApiClient;
import dev.switchboard.server.testing.TestServers;
import dev.switchboard.server.testing.WsTestClient;
import dev.switchboard.transport.SwitchboardServer;
import dev.switchboard.transport.auth.TokenGenerator;
import dev.switchboard.transport.config.LogConfig;
import dev.switchboard.transport.config.ServerConfig;
import dev.switchboard.transport.proxy.TestBackend.Answer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * "Never a token or key": a node logging at debug ({@code dev.switchboard} at trace) through real
 * connects with a token, a refused token, the connect proxy with a cookie and a secret static
 * header (failing once), lifecycle webhooks with a secret header and a key in the endpoint's
 * query, API calls with the key and with a wrong one, the admin page's login (a wrong password,
 * the right one) and an action with its session cookie and CSRF token, and disconnects. No secret appears in
 * any logged message, argument, exception or MDC; the disconnect lines are there.
 */
class LogSecretsIT extends ProxyITSupport {

    private static final String HMAC_SECRET = "hmac-S3CRET-that-is-long-enough-for-hs256-0001";
    private static final String API_KEY = "api-key-S3CRET-0002";
    private static final String WRONG_API_KEY = "wrong-api-key-S3CRET-0003";
    private static final String COOKIE = "session=cookie-S3CRET-0004";
    private static final String PROXY_STATIC_SECRET = "proxy-static-S3CRET-0005";
    private static final String PROXY_QUERY_SECRET = "proxy-query-S3CRET-0006";
    private static final String WEBHOOK_HEADER_SECRET = "webhook-header-S3CRET-0007";
    private static final String WEBHOOK_QUERY_SECRET = "webhook-query-S3CRET-0008";
    private static final String OTHER_SECRET = "some-other-S3CRET-that-is-long-enough-for-hs256-0009";
    private static final String ADMIN_PASSWORD = "admin-password-S3CRET-0010";
    private static final String ADMIN_SECRET = "admin-secret-S3CRET-that-is-at-least-32-chars-0011";
    private static final String ADMIN_GUESS = "admin-guess-S3CRET-0012";

    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();

    LogSecretsIT() throws Exception {}

    @BeforeEach
    void logEverythingOfOursAtTrace() throws Exception {
        LogSetup.apply(LogConfig.builder()
                .level("debug")
                .levels(List.of("dev.switchboard: trace"))
                .build());
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        captured.setContext(context);
        captured.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(captured);
    }

    @AfterEach
    void restoreLogging() {
        LogSetup.apply(LogSetup.fromEnvironment(System.getenv()));
    }

    @Test
    void noSecretReachesTheLogAndEveryDisconnectHasItsLine() throws Exception {
        AtomicInteger connectCalls = new AtomicInteger();
        backend.responder = (path, body) -> path.startsWith("/rt/connect")
                ? (connectCalls.incrementAndGet() == 1
                        ? new Answer(500, "{\"error\":\"" + PROXY_STATIC_SECRET + "\"}", Duration.ZERO)
                        : Answer.ok("{\"result\":{\"user\":\"proxied\"}}"))
                : Answer.ok("{}");
        ServerConfig config = ConfigLoader.loadYaml(
                TestServers.CONFIG_YAML
                        + String.join(
                                "\n",
                                "client:",
                                "  proxy:",
                                "    connect:",
                                "      enabled: true",
                                "      endpoint: " + backend.url("/rt/connect?key=" + PROXY_QUERY_SECRET),
                                "      timeout: 2s",
                                "      http_headers: [Cookie]",
                                "      static_headers: {X-Proxy-Secret: " + PROXY_STATIC_SECRET + "}",
                                "webhook:",
                                "  enabled: true",
                                "  endpoint: " + backend.url("/hook?token=" + WEBHOOK_QUERY_SECRET),
                                "  static_headers: {Authorization: \"Bearer " + WEBHOOK_HEADER_SECRET + "\"}",
                                "admin:",
                                "  enabled: true",
                                "  password: " + ADMIN_PASSWORD,
                                "  secret: " + ADMIN_SECRET,
                                ""),
                "test",
                Map.of("SWITCHBOARD_TOKEN_HMAC_SECRET", HMAC_SECRET, "SWITCHBOARD_API_KEY", API_KEY));
        server = AdminPage.install(SwitchboardServer.builder().config(config), config.admin())
                .build()
                .start();
        Map<String, String> cookie = Map.of("Cookie", COOKIE);

        String token = TokenGenerator.hmac(HMAC_SECRET).connectToken("alice", Duration.ofHours(1), List.of(), null);
        WsTestClient alice = open(cookie);
        String aliceId = alice.connect(token).path("connect").path("client").asText();
        assertThat(aliceId).isNotEmpty();

        String forged = TokenGenerator.hmac(OTHER_SECRET).connectToken("mallory", Duration.ofHours(1), List.of(), null);
        WsTestClient mallory = open(Map.of());
        mallory.send("{\"id\":1,\"connect\":{\"token\":\"" + forged + "\"}}");
        assertThat(mallory.awaitClose()).isEqualTo(3500);

        WsTestClient refused = open(cookie); // the proxy's first answer is a 500
        refused.send("{\"id\":1,\"connect\":{}}");
        assertThat(refused.awaitClose()).as("backend unavailable").isEqualTo(3004);
        WsTestClient proxied = open(cookie);
        proxied.send("{\"id\":1,\"connect\":{}}");
        String proxiedId = proxied.reply(1).path("connect").path("client").asText();
        assertThat(proxiedId).isNotEmpty();

        ApiClient api = new ApiClient(TestServers.apiUrl(server), API_KEY);
        api.publish("news", "{\"text\":\"hello\"}");
        assertThat(new ApiClient(TestServers.apiUrl(server), WRONG_API_KEY)
                        .call("publish", "{\"channel\":\"news\",\"data\":{}}")
                        .status())
                .isEqualTo(401);

        // The admin page: a wrong password, the right one, and an action with the session.
        String admin = "http://127.0.0.1:" + server.port() + "/admin/api/";
        assertThat(adminPost(admin + "login", "{\"password\":\"" + ADMIN_GUESS + "\"}", Map.of())
                        .statusCode())
                .isEqualTo(401);
        var login = adminPost(admin + "login", "{\"password\":\"" + ADMIN_PASSWORD + "\"}", Map.of());
        String adminCookie =
                login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        String csrf = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(login.body())
                .get("csrf")
                .asText();
        assertThat(adminPost(
                                admin + "call/publish",
                                "{\"channel\":\"news\",\"data\":{}}",
                                Map.of("Cookie", adminCookie, "X-CSRF-Token", csrf))
                        .statusCode())
                .isEqualTo(200);

        alice.sendClose(1000, "bye");
        proxied.sendClose(1000, "bye");
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(logged())
                        .contains("client " + aliceId + " (user \"alice\", websocket) disconnected: code ")
                        .contains("client " + proxiedId + " (user \"proxied\", websocket) disconnected: code "));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> backend.seen.stream().anyMatch(s -> s.path().startsWith("/hook")));

        String all = logged();
        assertThat(all)
                .contains("closed before connecting: code 3500, reason \"invalid token\"")
                .contains("closed before connecting: code 3004")
                .contains("admin: failed login from 127.0.0.1")
                .contains("admin: login from 127.0.0.1")
                .contains("admin: publish from 127.0.0.1");
        for (String secret : List.of(
                HMAC_SECRET,
                token,
                forged,
                API_KEY,
                WRONG_API_KEY,
                COOKIE,
                "cookie-S3CRET",
                PROXY_STATIC_SECRET,
                PROXY_QUERY_SECRET,
                WEBHOOK_HEADER_SECRET,
                WEBHOOK_QUERY_SECRET,
                ADMIN_PASSWORD,
                ADMIN_SECRET,
                ADMIN_GUESS,
                adminCookie.substring("sb_admin=".length()),
                csrf,
                "S3CRET")) {
            assertThat(all).as("the log holds %s", secret).doesNotContain(secret);
        }
    }

    private static java.net.http.HttpResponse<String> adminPost(String url, String body, Map<String, String> headers)
            throws Exception {
        var b = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return java.net.http.HttpClient.newHttpClient()
                .send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    /** Everything an encoder could write: logger, message with its arguments, exception, MDC. */
    private String logged() {
        synchronized (captured) { // AppenderBase appends under the appender's lock
            return new ArrayList<>(captured.list)
                    .stream()
                            .map(e -> e.getLevel() + " " + e.getLoggerName() + " - " + e.getFormattedMessage()
                                    + (e.getThrowableProxy() == null
                                            ? ""
                                            : "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy()))
                                    + (e.getMDCPropertyMap().isEmpty() ? "" : " " + e.getMDCPropertyMap()))
                            .collect(Collectors.joining("\n"));
        }
    }
}
