package dev.switchboard.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.server.testing.ExternalTools;
import dev.switchboard.server.testing.TestServers;
import dev.switchboard.transport.SwitchboardServer;
import dev.switchboard.transport.config.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The admin endpoint over real HTTP on a real node (docs/admin.md, "Security"): what needs a
 * session, the cookie's attributes, the CSRF checks, the login limiter, and where the page is
 * served (not when disabled; only on the internal port when there is one).
 */
class AdminPageIT {

    static final String PASSWORD = "admin-page-it-password";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private final List<SwitchboardServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(SwitchboardServer::close);
    }

    private SwitchboardServer start(String extraYaml) {
        ServerConfig config =
                TestServers.config(TestServers.CONFIG_YAML + "shutdown:\n  drain_delay: 0s\n" + extraYaml);
        SwitchboardServer s = AdminPage.install(SwitchboardServer.builder().config(config), config.admin())
                .build()
                .start();
        servers.add(s);
        return s;
    }

    private static String enabled() {
        return "admin:\n  enabled: true\n  password: " + PASSWORD + "\n";
    }

    static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return HTTP.send(b.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest.Builder post(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    @Test
    void thePageIsPublicItsApiNeedsALoginAndEveryPostIsCsrfChecked() throws Exception {
        SwitchboardServer node = start(enabled());
        String base = "http://127.0.0.1:" + node.port() + "/admin";

        var redirect = send(HttpRequest.newBuilder(URI.create(base)));
        assertThat(redirect.statusCode()).isEqualTo(302);
        assertThat(redirect.headers().firstValue("Location")).hasValue("/admin/");
        var page = send(HttpRequest.newBuilder(URI.create(base + "/")));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .startsWith("default-src 'self'");
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(page.body())
                .contains("<script src=\"admin.js\" defer></script>")
                .doesNotContain("<script>");
        assertThat(send(HttpRequest.newBuilder(URI.create(base + "/admin.js"))).statusCode())
                .isEqualTo(200);
        assertThat(send(HttpRequest.newBuilder(URI.create(base + "/nope.js"))).statusCode())
                .isEqualTo(404);

        // No cookie: 401 JSON, for reads and for calls.
        var anonymous = send(HttpRequest.newBuilder(URI.create(base + "/api/stats")));
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(JSON.readTree(anonymous.body()).at("/error/code").asInt()).isEqualTo(401);
        assertThat(send(post(base + "/api/call/info", "{}")).statusCode()).isEqualTo(401);
        // A forged cookie is no better.
        assertThat(send(HttpRequest.newBuilder(URI.create(base + "/api/stats"))
                                .header("Cookie", "sb_admin=9999999999.AAAAAAAAAAAAAAAAAAAAAA.forged"))
                        .statusCode())
                .isEqualTo(401);

        // A wrong password: 401, and only after a pause.
        long before = System.nanoTime();
        var wrong = send(post(base + "/api/login", "{\"password\":\"guess\"}"));
        long tookMs = Duration.ofNanos(System.nanoTime() - before).toMillis();
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(tookMs).isGreaterThanOrEqualTo(AdminEndpoint.FAILED_LOGIN_DELAY.toMillis() - 50);

        assertThat(send(post(base + "/api/login", "{\"password\":\"" + "x".repeat(2000) + "\"}"))
                        .statusCode())
                .as("a login body larger than 1 KiB is not parsed")
                .isEqualTo(413);

        // The right one: a session cookie no script can read and no other site can send.
        var login = send(post(base + "/api/login", "{\"password\":\"" + PASSWORD + "\"}"));
        assertThat(login.statusCode()).isEqualTo(200);
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie)
                .startsWith("sb_admin=")
                .contains("; Path=/admin", "; Max-Age=28800", "; HttpOnly", "; SameSite=Strict")
                .doesNotContain("Secure");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String csrf = JSON.readTree(login.body()).get("csrf").asText();
        var session =
                send(HttpRequest.newBuilder(URI.create(base + "/api/session")).header("Cookie", cookie));
        assertThat(JSON.readTree(session.body()).get("csrf").asText()).isEqualTo(csrf);

        String info = base + "/api/call/info";
        assertThat(send(post(info, "{}").header("Cookie", cookie)).statusCode())
                .as("no X-CSRF-Token")
                .isEqualTo(403);
        assertThat(send(post(info, "{}").header("Cookie", cookie).header("X-CSRF-Token", "x" + csrf))
                        .statusCode())
                .as("a wrong X-CSRF-Token")
                .isEqualTo(403);
        assertThat(send(post(info, "{}")
                                .header("Cookie", cookie)
                                .header("X-CSRF-Token", csrf)
                                .header("Origin", "http://evil.example"))
                        .statusCode())
                .as("a foreign Origin")
                .isEqualTo(403);
        assertThat(send(HttpRequest.newBuilder(URI.create(info))
                                .header("Content-Type", "text/plain")
                                .header("Cookie", cookie)
                                .header("X-CSRF-Token", csrf)
                                .POST(HttpRequest.BodyPublishers.ofString("{}")))
                        .statusCode())
                .as("a form-like content type")
                .isEqualTo(415);

        var ok = send(post(info, "{}")
                .header("Cookie", cookie)
                .header("X-CSRF-Token", csrf)
                .header("Origin", "http://127.0.0.1:" + node.port()));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode nodes = JSON.readTree(ok.body()).at("/result/nodes");
        assertThat(nodes.size()).isEqualTo(1);
        assertThat(nodes.get(0).get("uid").asText())
                .isEqualTo(node.node().options().id());
        assertThat(send(post(base + "/api/call/history_remove", "{\"channel\":\"x\"}")
                                .header("Cookie", cookie)
                                .header("X-CSRF-Token", csrf))
                        .statusCode())
                .as("a method the page does not use")
                .isEqualTo(404);
        JsonNode stats = JSON.readTree(
                send(HttpRequest.newBuilder(URI.create(base + "/api/stats")).header("Cookie", cookie))
                        .body());
        assertThat(stats.get("clients").asInt()).isZero();
        assertThat(stats.has("delivered")).isTrue();
        assertThat(stats.get("time").asLong()).isPositive();

        var logout = send(post(base + "/api/logout", "{}").header("Cookie", cookie));
        assertThat(logout.headers().firstValue("Set-Cookie").orElseThrow())
                .startsWith("sb_admin=;")
                .contains("Max-Age=0");

        // Four more wrong passwords use up this address's five; the sixth try is refused unread.
        for (int i = 0; i < LoginLimiter.PER_ADDRESS - 1; i++) {
            assertThat(send(post(base + "/api/login", "{\"password\":\"guess" + i + "\"}"))
                            .statusCode())
                    .isEqualTo(401);
        }
        var limited = send(post(base + "/api/login", "{\"password\":\"" + PASSWORD + "\"}"));
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void disabledTheAdminPathIsTheNodesJson404() throws Exception {
        SwitchboardServer node = start("");
        for (String path : List.of("/admin", "/admin/", "/admin/api/session")) {
            var res = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path)));
            assertThat(res.statusCode()).as(path).isEqualTo(404);
            assertThat(JSON.readTree(res.body()).at("/error/code").asInt()).isEqualTo(104);
        }
    }

    @Test
    void withAnInternalPortThePageIsThereOnly() throws Exception {
        SwitchboardServer node = start(enabled() + "internal_port: " + ExternalTools.freePort() + "\n");
        assertThat(node.internalPort()).isNotEqualTo(node.port());
        var internal = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.internalPort() + "/admin/")));
        assertThat(internal.statusCode()).isEqualTo(200);
        var pub = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/admin/")));
        assertThat(pub.statusCode()).isEqualTo(404);
        assertThat(send(post(
                                "http://127.0.0.1:" + node.port() + "/admin/api/login",
                                "{\"password\":\"" + PASSWORD + "\"}"))
                        .statusCode())
                .as("a login body on the public port is refused before it is read")
                .isEqualTo(413);
    }
}
