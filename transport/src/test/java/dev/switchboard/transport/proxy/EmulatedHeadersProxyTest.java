package dev.switchboard.transport.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.Headers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which emulated (client-sent) headers a proxy call carries, against a real HTTP backend. */
class EmulatedHeadersProxyTest extends RealBackendFixture {

    EmulatedHeadersProxyTest() throws Exception {}

    private Headers send(ProxyConfig.Builder b, Map<String, List<String>> real, Map<String, String> emulated) {
        ProxyClient c = client("connect", "/rt/connect", b);
        c.call("{}".getBytes(), real, emulated, n -> n).join();
        return backend.seen.get(backend.seen.size() - 1).headers();
    }

    @Test
    void onlyListedEmulatedHeadersAreSent() {
        Headers h = send(
                ProxyConfig.builder().emulatedHeaders(List.of("Authorization")),
                Map.of(),
                Map.of("authorization", "Bearer x", "x-evil", "1"));
        assertThat(h.getFirst("Authorization")).isEqualTo("Bearer x");
        assertThat(h.containsKey("X-Evil")).isFalse();
    }

    @Test
    void httpHeadersNeverTakeEmulatedOnes() {
        Headers h = send(
                ProxyConfig.builder().httpHeaders(List.of("Authorization", "X-Evil")),
                Map.of(),
                Map.of("authorization", "Bearer x", "x-evil", "1"));
        assertThat(h.containsKey("Authorization")).isFalse();
        assertThat(h.containsKey("X-Evil")).isFalse();
    }

    @Test
    void aRealHeaderWinsOverAnEmulatedOneAndAnEmulatedOneOverAStaticOne() {
        Headers h = send(
                ProxyConfig.builder()
                        .httpHeaders(List.of("Authorization"))
                        .emulatedHeaders(List.of("Authorization", "X-Tenant"))
                        .staticHeaders(Map.of("X-Tenant", "static")),
                Map.of("authorization", List.of("Bearer real")),
                Map.of("authorization", "Bearer emulated", "x-tenant", "t1"));
        assertThat(h.get("Authorization")).containsExactly("Bearer real");
        assertThat(h.get("X-Tenant")).containsExactly("t1");
    }

    @Test
    void anEmulatedHeaderIsSentWhenTheRealOneIsAbsent() {
        Headers h = send(
                ProxyConfig.builder().httpHeaders(List.of("Authorization")).emulatedHeaders(List.of("Authorization")),
                Map.of(),
                Map.of("authorization", "Bearer emulated"));
        assertThat(h.get("Authorization")).containsExactly("Bearer emulated");
    }

    @Test
    void namesTheHttpClientSetsAreRefusedAtConfigTime() {
        for (String n : List.of("Host", "Content-Length", "Connection", "Content-Type", "Expect", "Upgrade")) {
            assertThatThrownBy(() -> ProxyConfig.builder().emulatedHeaders(List.of(n)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(n);
        }
    }
}
