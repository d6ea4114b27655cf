package dev.switchboard.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.transport.http.EndpointRequest;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdminGuardTest {

    static EndpointRequest post(String path, Map<String, String> headers) {
        Map<String, String> h = new HashMap<>();
        h.put("host", "127.0.0.1:9001");
        h.put("content-type", "application/json");
        h.putAll(headers);
        h.values().removeIf(v -> v == null);
        return new EndpointRequest("POST", path, "", h, "{}".getBytes(), false, "127.0.0.1");
    }

    @Test
    void aSameOriginJsonPostPasses() {
        assertThat(AdminGuard.refusePost(post("/admin/api/login", Map.of()))).isEmpty();
        assertThat(AdminGuard.refusePost(post(
                        "/admin/api/login",
                        Map.of("origin", "http://127.0.0.1:9001", "sec-fetch-site", "same-origin"))))
                .isEmpty();
        assertThat(AdminGuard.refusePost(
                        post("/admin/api/login", Map.of("content-type", "application/json; charset=utf-8"))))
                .isEmpty();
    }

    @Test
    void aFormOrTextBodyIs415() {
        for (String type : new String[] {"application/x-www-form-urlencoded", "text/plain", "multipart/form-data"}) {
            assertThat(AdminGuard.refusePost(post("/admin/api/login", Map.of("content-type", type))))
                    .get()
                    .extracting(a -> a.status())
                    .isEqualTo(415);
        }
        Map<String, String> none = new HashMap<>();
        none.put("content-type", null);
        assertThat(AdminGuard.refusePost(post("/admin/api/login", none)))
                .get()
                .extracting(a -> a.status())
                .isEqualTo(415);
    }

    @Test
    void aForeignOriginOrCrossSiteFetchIs403() {
        for (String origin :
                new String[] {"http://evil.example", "http://127.0.0.1:9002", "https://127.0.0.1:9001", "null"}) {
            assertThat(AdminGuard.refusePost(post("/admin/api/login", Map.of("origin", origin))))
                    .as(origin)
                    .get()
                    .extracting(a -> a.status())
                    .isEqualTo(403);
        }
        assertThat(AdminGuard.refusePost(post("/admin/api/login", Map.of("sec-fetch-site", "cross-site"))))
                .get()
                .extracting(a -> a.status())
                .isEqualTo(403);
        assertThat(AdminGuard.refusePost(post("/admin/api/login", Map.of("sec-fetch-site", "same-site"))))
                .get()
                .extracting(a -> a.status())
                .isEqualTo(403);
    }

    @Test
    void originAndHostAgreeWithOrWithoutTheDefaultPort() {
        assertThat(AdminGuard.sameOrigin("http://admin.example", "admin.example:80", false))
                .isTrue();
        assertThat(AdminGuard.sameOrigin("https://admin.example:443", "admin.example", true))
                .isTrue();
        assertThat(AdminGuard.sameOrigin("http://ADMIN.example:8080", "admin.example:8080", false))
                .isTrue();
        assertThat(AdminGuard.sameOrigin("http://[::1]:8080", "[::1]:8080", false))
                .isTrue();
        assertThat(AdminGuard.sameOrigin("http://admin.example:8080", "admin.example", false))
                .isFalse();
        assertThat(AdminGuard.sameOrigin("http://admin.example", "admin.example", true))
                .isFalse();
        assertThat(AdminGuard.sameOrigin("http://admin.example", null, false)).isFalse();
        assertThat(AdminGuard.sameOrigin("http://admin.example/path", "admin.example", false))
                .isFalse();
    }

    @Test
    void theCookieIsHttpOnlyStrictScopedAndSecureOverTls() {
        assertThat(AdminGuard.setCookie("v", 60, false))
                .isEqualTo("sb_admin=v; Path=/admin; Max-Age=60; HttpOnly; SameSite=Strict");
        assertThat(AdminGuard.setCookie("v", 60, true)).endsWith("; SameSite=Strict; Secure");
        EndpointRequest r = post("/admin/api/stats", Map.of("cookie", "a=1; sb_admin=abc.def.ghi; b=2"));
        assertThat(AdminGuard.sessionCookie(r)).isEqualTo("abc.def.ghi");
        assertThat(AdminGuard.sessionCookie(post("/admin/api/stats", Map.of("cookie", "sb_adminx=1"))))
                .isNull();
    }
}
