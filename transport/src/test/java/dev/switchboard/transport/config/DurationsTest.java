package dev.switchboard.transport.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @Test
    void parsesEveryUnitAndCompoundValues() {
        assertThat(Durations.parse("300ms")).isEqualTo(Duration.ofMillis(300));
        assertThat(Durations.parse("25s")).isEqualTo(Duration.ofSeconds(25));
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("30d")).isEqualTo(Duration.ofDays(30));
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse(" 2s500ms ")).isEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void bareIntegerMeansSeconds() {
        assertThat(Durations.parse("25")).isEqualTo(Duration.ofSeconds(25));
        assertThat(Durations.parse("0")).isEqualTo(Duration.ZERO);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "-5s", "5 s", "1.5s", "5sec", "h", "99999999999999999999s"})
    void refusesMalformedOrNegativeDurations(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void formatPrintsLargestUnitsFirstAndRoundTrips() {
        assertThat(Durations.format(Duration.ofSeconds(25))).isEqualTo("25s");
        assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(Durations.format(Duration.ofMillis(300))).isEqualTo("300ms");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(Durations.format(Duration.ofDays(30))).isEqualTo("30d");
        for (Duration d : new Duration[] {Duration.ofMillis(1), Duration.ofMillis(90_061_001), Duration.ofHours(49)}) {
            assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
        }
    }
}
