package dev.switchboard.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.engine.contract.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AdminSessionsTest {

    private static final byte[] SECRET = "an-admin-secret-of-at-least-32-characters".getBytes(StandardCharsets.UTF_8);

    private final ManualClock clock = new ManualClock();
    private final AdminSessions sessions = new AdminSessions(SECRET, Duration.ofHours(8), clock);

    @Test
    void anIssuedSessionVerifiesUntilItExpires() {
        String cookie = sessions.issue();
        assertThat(cookie).matches("\\d+\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}");
        assertThat(sessions.verify(cookie)).isPresent();
        clock.advance(Duration.ofHours(8).minusSeconds(1));
        assertThat(sessions.verify(cookie)).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(sessions.verify(cookie)).isEmpty();
    }

    @Test
    void eachLoginIsANewSession() {
        assertThat(sessions.verify(sessions.issue())).isNotEqualTo(sessions.verify(sessions.issue()));
    }

    @Test
    void aTamperedOrForeignOrMalformedCookieIsRefused() {
        String cookie = sessions.issue();
        int dot = cookie.indexOf('.');
        // A later expiry with the old signature.
        long expiry = Long.parseLong(cookie.substring(0, dot));
        assertThat(sessions.verify((expiry + 86_400) + cookie.substring(dot))).isEmpty();
        // Signed under another secret (another deployment, or a node with a random one).
        AdminSessions other = new AdminSessions(
                "another-secret-of-at-least-32-characters!".getBytes(StandardCharsets.UTF_8),
                Duration.ofHours(8),
                clock);
        assertThat(sessions.verify(other.issue())).isEmpty();
        for (String bad : new String[] {null, "", "x", "1.2", "..", "1.a.!!!", "a.b.c", "9".repeat(300)}) {
            assertThat(sessions.verify(bad)).as(String.valueOf(bad)).isEmpty();
        }
    }

    @Test
    void nodesWithTheSameSecretAcceptEachOthersSessions() {
        AdminSessions sameSecret = new AdminSessions(SECRET.clone(), Duration.ofHours(8), clock);
        String cookie = sessions.issue();
        assertThat(sameSecret.verify(cookie)).isEqualTo(sessions.verify(cookie));
        String id = sessions.verify(cookie).orElseThrow();
        assertThat(sameSecret.csrfMatches(id, sessions.csrfToken(id))).isTrue();
    }

    @Test
    void theCsrfTokenBelongsToItsSessionOnly() {
        String a = sessions.verify(sessions.issue()).orElseThrow();
        String b = sessions.verify(sessions.issue()).orElseThrow();
        assertThat(sessions.csrfToken(a)).isNotEqualTo(a).hasSize(43);
        assertThat(sessions.csrfMatches(a, sessions.csrfToken(a))).isTrue();
        assertThat(sessions.csrfMatches(a, sessions.csrfToken(b))).isFalse();
        assertThat(sessions.csrfMatches(a, null)).isFalse();
        assertThat(sessions.csrfMatches(a, "")).isFalse();
    }

    @Test
    void aRandomSecretIs256Bits() {
        assertThat(AdminSessions.randomSecret()).hasSize(32).isNotEqualTo(AdminSessions.randomSecret());
    }
}
