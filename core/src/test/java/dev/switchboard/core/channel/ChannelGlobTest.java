package dev.switchboard.core.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ChannelGlobTest {

    @Test
    void starMatchesAnyRunAndEverythingElseMatchesItself() {
        assertThat(ChannelGlob.compile("chat:*").matches("chat:")).isTrue();
        assertThat(ChannelGlob.compile("chat:*").matches("chat:room")).isTrue();
        assertThat(ChannelGlob.compile("chat:*").matches("news:room")).isFalse();
        assertThat(ChannelGlob.compile("*:room").matches("chat:room")).isTrue();
        assertThat(ChannelGlob.compile("a*b*c").matches("abc")).isTrue();
        assertThat(ChannelGlob.compile("a*b*c").matches("axxbyyc")).isTrue();
        assertThat(ChannelGlob.compile("a*b*c").matches("acb")).isFalse();
        assertThat(ChannelGlob.compile("ab*ba").matches("aba"))
                .as("prefix and suffix may not overlap")
                .isFalse();
        assertThat(ChannelGlob.compile("news").matches("news")).isTrue();
        assertThat(ChannelGlob.compile("news").matches("newsx")).isFalse();
        assertThat(ChannelGlob.compile("a.b$").matches("a.b$"))
                .as("no regex syntax")
                .isTrue();
        assertThat(ChannelGlob.compile("a.b").matches("axb")).isFalse();
        assertThat(ChannelGlob.compile("*").matches("")).isTrue();
    }

    @Test
    @Timeout(2)
    void aPatternThatMakesARegexBacktrackIsAnsweredAtOnce() {
        String channel = "a".repeat(255);
        for (int stars = 10; stars <= 1000; stars *= 10) {
            assertThat(ChannelGlob.compile("*".repeat(stars) + "b").matches(channel))
                    .isFalse();
            assertThat(ChannelGlob.compile("*a".repeat(stars / 2) + "b").matches(channel))
                    .isFalse();
        }
    }

    @Test
    void agreesWithTheRegexItReplacesOnRandomInputs() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 20_000; i++) {
            String pattern = random(random, "ab*", 1 + random.nextInt(6));
            String name = random(random, "ab", random.nextInt(8));
            boolean regex = Pattern.compile(Pattern.quote(pattern).replace("*", "\\E.*\\Q"))
                    .matcher(name)
                    .matches();
            assertThat(ChannelGlob.compile(pattern).matches(name))
                    .as("%s vs %s", pattern, name)
                    .isEqualTo(regex);
        }
    }

    @Test
    void refusesAPatternLongerThanTheLimit() {
        assertThatThrownBy(() -> ChannelGlob.compile("*".repeat(ChannelGlob.MAX_PATTERN_LENGTH + 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String random(SplittableRandom r, String alphabet, int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
