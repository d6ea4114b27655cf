package dev.switchboard.transport.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a log line or {@code toString} shows of a proxy or webhook endpoint: never its user info or query. */
class ProxyConfigRedactionTest {

    @Test
    void userInfoAndQueryStayOut() {
        assertThat(ProxyConfig.redacted(URI.create("https://user:pa55@backend.example:8443/rt/connect?key=s3cret#x")))
                .isEqualTo("https://backend.example:8443/rt/connect?<redacted>");
        assertThat(ProxyConfig.redacted(URI.create("http://127.0.0.1/hook"))).isEqualTo("http://127.0.0.1/hook");
        assertThat(ProxyConfig.redacted(null)).isNull();
    }

    @Test
    void toStringShowsNeitherHeaderValuesNorEndpointSecrets() {
        ProxyConfig c = ProxyConfig.builder()
                .enabled(true)
                .endpoint("http://u:pw-s3cret@127.0.0.1:9000/rt?token=q-s3cret")
                .staticHeaders(Map.of("X-Secret", "h-s3cret"))
                .build();
        assertThat(c.toString())
                .contains("http://127.0.0.1:9000/rt?<redacted>", "X-Secret")
                .doesNotContain("s3cret");
    }
}
