package dev.switchboard.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommandRateTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aFullBucketAllowsTheBurstThenRefillsAtTheRate() {
        CommandRate r = new CommandRate(10, 20, 0);
        for (int i = 0; i < 20; i++) {
            assertThat(r.take(0)).as("token %d", i).isTrue();
        }
        assertThat(r.take(0)).isFalse();
        assertThat(r.take(SECOND / 10)).as("one token after 100 ms").isTrue();
        assertThat(r.take(SECOND / 10)).isFalse();
        for (int i = 0; i < 20; i++) {
            assertThat(r.take(100 * SECOND))
                    .as("refilled to the burst, not beyond")
                    .isTrue();
        }
        assertThat(r.take(100 * SECOND)).isFalse();
    }

    @Test
    void aRateOfZeroIsNoLimit() {
        CommandRate r = new CommandRate(0, 1, 0);
        for (int i = 0; i < 10_000; i++) {
            assertThat(r.take(0)).isTrue();
        }
    }
}
