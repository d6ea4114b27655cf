package dev.switchboard.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link OriginCheck}: the same-origin rule, patterns, and what counts as an origin. */
class OriginCheckTest {

    private static final OriginCheck SAME = OriginCheck.SAME_ORIGIN;

    private static OriginCheck allowing(String... patterns) {
        return OriginCheck.of(List.of(patterns));
    }

    @Test
    void noOriginHeaderAlwaysPasses() {
        assertThat(SAME.allows(null, "a.com")).isTrue();
        assertThat(SAME.allows("", "a.com"))
                .as("empty is absent, as in Centrifugo")
                .isTrue();
        assertThat(SAME.allows(null, null)).isTrue();
        assertThat(allowing("https://a.com").allows(null, "b.com")).isTrue();
    }

    @Test
    void sameOriginComparesHostAndPortCaseInsensitively() {
        assertThat(SAME.allows("https://a.com", "a.com")).isTrue();
        assertThat(SAME.allows("https://A.Com", "a.COM")).isTrue();
        assertThat(SAME.allows("http://a.com:8000", "a.com:8000")).isTrue();
        assertThat(SAME.allows("http://a.com", "b.com")).isFalse();
        assertThat(SAME.allows("http://a.com", "a.com.evil.test")).isFalse();
        assertThat(SAME.allows("http://a.com.evil.test", "a.com")).isFalse();
        assertThat(SAME.allows("http://a.com:8000", "a.com:8001")).isFalse();
        assertThat(SAME.allows("http://127.0.0.1:8000", "127.0.0.1:8000")).isTrue();
        assertThat(SAME.allows("http://[::1]:8000", "[::1]:8000")).isTrue();
        assertThat(SAME.allows("http://[::1]:8000", "[::2]:8000")).isFalse();
    }

    @Test
    void defaultPortsAreTheSameAsNone() {
        assertThat(SAME.allows("http://a.com", "a.com:80")).isTrue();
        assertThat(SAME.allows("http://a.com:80", "a.com")).isTrue();
        assertThat(SAME.allows("https://a.com", "a.com:443")).isTrue();
        assertThat(SAME.allows("https://a.com:443", "a.com")).isTrue();
        assertThat(SAME.allows("https://a.com", "a.com:80")).as("443 is not 80").isFalse();
        assertThat(SAME.allows("http://a.com:8000", "a.com"))
                .as("Host without a port is a default one")
                .isFalse();
        assertThat(SAME.allows("http://a.com", "a.com:8000")).isFalse();
    }

    @Test
    void aBrowserOriginNeedsAHostToMatch() {
        assertThat(SAME.allows("http://a.com", null)).isFalse();
        assertThat(SAME.allows("http://a.com", "")).isFalse();
        assertThat(SAME.allows("http://a.com", "a.com:99999")).isFalse();
        assertThat(SAME.allows("http://a.com", "user@a.com")).isFalse();
    }

    @Test
    void theNullOriginMatchesOnlyAnExplicitAllow() {
        assertThat(SAME.allows("null", "null")).as("not even a Host named null").isFalse();
        assertThat(allowing("https://*").allows("null", "a.com")).isFalse();
        assertThat(allowing("https://a.com", "null").allows("null", "a.com")).isTrue();
        assertThat(allowing("*").allows("null", "a.com")).isTrue();
    }

    @Test
    void malformedOriginsAreRefused() {
        for (String bad : List.of(
                "invalid",
                "a.com",
                "://a.com",
                "https://a.com/",
                "https://a.com/path",
                "https://user@a.com",
                "https://a.com:0",
                "https://a.com:",
                "https://a.com:65536",
                "https://a.com:80:80",
                "https://a .com",
                "https://a.com\r\nX: y",
                "https://ä.com",
                "https://[::1",
                "1https://a.com",
                "https://" + "a".repeat(OriginCheck.MAX_ORIGIN_LENGTH) + ".com")) {
            assertThat(SAME.allows(bad, "a.com")).as(bad).isFalse();
            assertThat(allowing("https://*", "*://*").allows(bad, "a.com"))
                    .as(bad)
                    .isFalse();
        }
        assertThat(allowing("*").allows("invalid", "a.com"))
                .as("* allows everything")
                .isTrue();
    }

    @Test
    void exactPatternsMatchTheWholeOriginIgnoringCaseAndDefaultPorts() {
        OriginCheck c = allowing("https://App.Example.com", "http://localhost:3000", "https://b.com:443");
        assertThat(c.allows("https://app.example.com", "node.internal")).isTrue();
        assertThat(c.allows("HTTPS://APP.EXAMPLE.COM", "node.internal")).isTrue();
        assertThat(c.allows("https://app.example.com:443", "node.internal")).isTrue();
        assertThat(c.allows("http://app.example.com", "node.internal"))
                .as("the scheme counts")
                .isFalse();
        assertThat(c.allows("https://app.example.com:8443", "node.internal")).isFalse();
        assertThat(c.allows("https://app.example.co", "node.internal")).isFalse();
        assertThat(c.allows("http://localhost:3000", "node.internal")).isTrue();
        assertThat(c.allows("http://localhost:3001", "node.internal")).isFalse();
        assertThat(c.allows("https://b.com", "node.internal")).isTrue();
        assertThat(c.patterns()).containsExactly("https://app.example.com", "http://localhost:3000", "https://b.com");
    }

    @Test
    void patternsReplaceTheSameOriginRule() {
        OriginCheck c = allowing("https://app.example.com");
        assertThat(c.isSameOriginRule()).isFalse();
        assertThat(c.allows("https://node.example.com", "node.example.com")).isFalse();
    }

    @Test
    void aStarIsAnyRunOfCharacters() {
        OriginCheck c = allowing("https://*.example.com");
        assertThat(c.allows("https://a.example.com", "x")).isTrue();
        assertThat(c.allows("https://a.b.example.com", "x")).isTrue();
        assertThat(c.allows("https://Two.Example.com", "x")).isTrue();
        assertThat(c.allows("https://example.com", "x")).as("list the apex too").isFalse();
        assertThat(c.allows("http://a.example.com", "x")).isFalse();
        assertThat(c.allows("https://a.example.com:8443", "x")).isFalse();
        assertThat(c.allows("https://a.example.com.evil.test", "x")).isFalse();
        assertThat(c.allows("https://evilexample.com", "x")).isFalse();
        assertThat(c.allows("https://evil.test/.example.com", "x"))
                .as("no path hides a host")
                .isFalse();
        assertThat(c.allows("https://evil.test:443.example.com", "x")).isFalse();
        assertThat(c.allows("https://two.\u0435xample.com", "x"))
                .as("a Cyrillic e")
                .isFalse();

        assertThat(allowing("*.example.com").allows("https://a.example.com", "x"))
                .as("a scheme-less pattern, as Centrifugo accepts")
                .isTrue();
        assertThat(allowing("http://localhost:*").allows("http://localhost:5173", "x"))
                .isTrue();
        assertThat(allowing("https://*.example.com:443").allows("https://a.example.com", "x"))
                .as("a default port dropped from a pattern too")
                .isTrue();
        assertThat(allowing("file://*").allows("file://", "x")).isTrue();
    }

    @Test
    void aStarAloneAllowsAll() {
        OriginCheck c = allowing("https://a.com", "*");
        assertThat(c.allowsAll()).isTrue();
        assertThat(c.allows("https://anything.test", "x")).isTrue();
        assertThat(allowing("https://a.com").allowsAll()).isFalse();
        assertThat(SAME.allowsAll()).isFalse();
    }

    @Test
    void globIsLinearEnoughForHostileInput() {
        String pattern = "*a*a*a*a*a*a*a*a*b";
        String s = "a".repeat(OriginCheck.MAX_ORIGIN_LENGTH);
        long start = System.nanoTime();
        assertThat(OriginCheck.glob(pattern, s)).isFalse();
        assertThat(System.nanoTime() - start).isLessThan(1_000_000_000L);
        assertThat(OriginCheck.glob("a*b*c", "axxbyyc")).isTrue();
        assertThat(OriginCheck.glob("a*", "a")).isTrue();
        assertThat(OriginCheck.glob("*", "")).isTrue();
        assertThat(OriginCheck.glob("a*b", "ab")).isTrue();
        assertThat(OriginCheck.glob("a*b", "abc")).isFalse();
    }

    @Test
    void patternsThatCouldNeverMatchAreRefusedWithTheReason() {
        assertThat(OriginCheck.problem("https://a.com/")).contains("no path");
        assertThat(OriginCheck.problem("https://*.a.com/app")).contains("no path");
        assertThat(OriginCheck.problem("a.com")).contains("is not an origin");
        assertThat(OriginCheck.problem("a*.com")).contains("is not an origin");
        assertThat(OriginCheck.problem("https://a?.com")).contains("only * is a wildcard");
        assertThat(OriginCheck.problem("https://{a,b}.com")).contains("only * is a wildcard");
        assertThat(OriginCheck.problem(" ")).isEqualTo("must not be empty");
        assertThat(OriginCheck.problem("https://ä.com")).contains("xn--");
        assertThat(OriginCheck.problem("https://" + "a".repeat(OriginCheck.MAX_PATTERN_LENGTH)))
                .contains("longer than");
        for (String good : List.of(
                "*",
                "null",
                "NULL",
                "https://a.com",
                " https://a.com ",
                "https://*.a.com",
                "*.a.com",
                "http://[::1]:80")) {
            assertThat(OriginCheck.problem(good)).as(good).isNull();
        }
        assertThatThrownBy(() -> OriginCheck.of(List.of("https://a.com", "a.com")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("allowed origin [1]");
    }

    @Test
    void printableKeepsPeerTextOutOfLogTrouble() {
        assertThat(OriginCheck.printable("https://a\r\nb", 100)).isEqualTo("https://a??b");
        assertThat(OriginCheck.printable("abcdef", 3)).isEqualTo("abc...");
        assertThat(OriginCheck.printable(null, 3)).isEqualTo("(none)");
    }
}
