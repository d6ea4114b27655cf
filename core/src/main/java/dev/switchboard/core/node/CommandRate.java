package dev.switchboard.core.node;

/**
 * One connection's command rate limit: a token bucket that refills at {@code rate} per second up
 * to {@code burst}. Every command line, pong and transport ping takes a token.
 *
 * <p>Not thread-safe: used by the connection's I/O thread only.
 */
final class CommandRate {

    private final int rate;
    private final int burst;
    private double tokens;
    private long refilledAt;

    /**
     * @param rate tokens per second; {@code 0} for no limit
     * @param burst the bucket's size, full at start
     */
    CommandRate(int rate, int burst, long nowNanos) {
        this.rate = rate;
        this.burst = burst;
        this.tokens = burst;
        this.refilledAt = nowNanos;
    }

    /** Takes a token; false when the bucket is empty (the command is over the limit). */
    boolean take(long nowNanos) {
        if (rate <= 0) {
            return true;
        }
        tokens = Math.min(burst, tokens + (nowNanos - refilledAt) * rate / 1e9);
        refilledAt = nowNanos;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
