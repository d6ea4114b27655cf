package dev.switchboard.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter above a floor: attempt {@code n} (from 0) waits a uniformly
 * random time in {@code [min, min(max, min * 2^(n+1))]}. The whole window is random, so clients
 * dropped together (a node restart) spread their reconnects instead of arriving in waves, and no
 * delay is ever shorter than {@code min} or longer than {@code max}.
 */
final class Backoff {

    private Backoff() {}

    /** The delay before attempt {@code attempt} (0 for the first retry). */
    static Duration delay(int attempt, Duration min, Duration max) {
        return delay(attempt, min, max, () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * @param random a source of numbers in {@code [0, 1)}
     */
    static Duration delay(int attempt, Duration min, Duration max, DoubleSupplier random) {
        long lo = min.toMillis();
        long hi = ceilingMillis(attempt, lo, max.toMillis());
        double r = Math.min(Math.max(random.getAsDouble(), 0.0), 1.0);
        return Duration.ofMillis(lo + Math.round((hi - lo) * r));
    }

    /** {@code min(max, min * 2^(attempt+1))} without overflow. */
    static long ceilingMillis(int attempt, long min, long max) {
        int shift = attempt >= 39 ? 40 : Math.max(attempt, 0) + 1;
        long c = min << shift;
        if (c < 0 || (c >> shift) != min) {
            return max;
        }
        return Math.max(min, Math.min(max, c));
    }
}
