package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {

    static final Duration MIN = Duration.ofMillis(500);
    static final Duration MAX = Duration.ofSeconds(20);

    @Test
    void everyDelayStaysBetweenTheFloorAndTheExponentialCeiling() {
        for (int attempt = 0; attempt < 64; attempt++) {
            long ceiling = Math.min(MAX.toMillis(), MIN.toMillis() << Math.min(attempt + 1, 40));
            for (int i = 0; i < 2_000; i++) {
                long d = Backoff.delay(attempt, MIN, MAX).toMillis();
                assertThat(d).as("attempt %d", attempt).isBetween(MIN.toMillis(), ceiling);
            }
        }
    }

    @Test
    void randomnessSpansTheWholeWindow() {
        assertThat(Backoff.delay(3, MIN, MAX, () -> 0.0)).isEqualTo(MIN);
        assertThat(Backoff.delay(3, MIN, MAX, () -> 1.0)).isEqualTo(Duration.ofMillis(8_000));
        assertThat(Backoff.delay(3, MIN, MAX, () -> 0.5)).isEqualTo(Duration.ofMillis(4_250));
        assertThat(Backoff.delay(10, MIN, MAX, () -> 1.0)).isEqualTo(MAX);
    }

    @Test
    void delaysAreJitteredNotFixed() {
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            seen.add(Backoff.delay(5, MIN, MAX).toMillis());
        }
        assertThat(seen.size()).as("distinct delays among 200").isGreaterThan(100);
    }

    @Test
    void ceilingGrowsExponentiallyThenCapsWithoutOverflow() {
        assertThat(Backoff.ceilingMillis(0, 500, 20_000)).isEqualTo(1_000);
        assertThat(Backoff.ceilingMillis(1, 500, 20_000)).isEqualTo(2_000);
        assertThat(Backoff.ceilingMillis(4, 500, 20_000)).isEqualTo(16_000);
        assertThat(Backoff.ceilingMillis(5, 500, 20_000)).isEqualTo(20_000);
        assertThat(Backoff.ceilingMillis(Integer.MAX_VALUE, 500, 20_000)).isEqualTo(20_000);
        assertThat(Backoff.ceilingMillis(62, Long.MAX_VALUE / 4, Long.MAX_VALUE))
                .isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void equalFloorAndCeilingIsAFixedDelay() {
        for (int attempt = 0; attempt < 10; attempt++) {
            assertThat(Backoff.delay(attempt, MIN, MIN)).isEqualTo(MIN);
        }
    }
}
