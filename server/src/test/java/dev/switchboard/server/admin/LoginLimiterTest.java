package dev.switchboard.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.engine.contract.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginLimiterTest {

    private final ManualClock clock = new ManualClock();
    private final LoginLimiter limiter = new LoginLimiter(clock);

    @Test
    void anAddressGetsFiveFailuresThenOneEveryTwelveSeconds() {
        for (int i = 0; i < LoginLimiter.PER_ADDRESS; i++) {
            assertThat(limiter.mayTry("10.0.0.1")).as("attempt %d", i + 1).isTrue();
            limiter.failed("10.0.0.1");
        }
        assertThat(limiter.mayTry("10.0.0.1")).isFalse();
        assertThat(limiter.retryAfterSeconds("10.0.0.1")).isEqualTo(12);
        // Another address is not held back by the first one's failures.
        assertThat(limiter.mayTry("10.0.0.2")).isTrue();

        clock.advance(Duration.ofSeconds(11));
        assertThat(limiter.mayTry("10.0.0.1")).isFalse();
        assertThat(limiter.retryAfterSeconds("10.0.0.1")).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(limiter.mayTry("10.0.0.1")).isTrue();
        limiter.failed("10.0.0.1");
        assertThat(limiter.mayTry("10.0.0.1")).isFalse();
    }

    @Test
    void manyAddressesTogetherAreLimitedToo() {
        for (int i = 0; i < LoginLimiter.GLOBAL; i++) {
            assertThat(limiter.mayTry("10.1.0." + i)).isTrue();
            limiter.failed("10.1.0." + i);
        }
        assertThat(limiter.mayTry("10.2.0.1"))
                .as("a fresh address, but the global budget is spent")
                .isFalse();
        clock.advance(Duration.ofMillis(LoginLimiter.REFILL_MILLIS / 10));
        assertThat(limiter.mayTry("10.2.0.1")).isTrue();
    }

    @Test
    void theTableOfAddressesIsBounded() {
        for (int i = 0; i < LoginLimiter.MAX_ADDRESSES + 10; i++) {
            limiter.mayTry("a" + i);
        }
        assertThat(limiter.addresses()).isEqualTo(LoginLimiter.MAX_ADDRESSES);
    }
}
