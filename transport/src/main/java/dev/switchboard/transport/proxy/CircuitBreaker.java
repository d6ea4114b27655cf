package dev.switchboard.transport.proxy;

import java.util.function.LongSupplier;

/**
 * Closed → open after {@code threshold} consecutive failures → after {@code openNanos}, half-open:
 * one probe call goes through while the others are refused; its success closes the breaker, its
 * failure opens it for another cool-down. A backend that is down thus costs one call per cool-down
 * instead of a timeout per client, and clients get their answer at once.
 *
 * <pre>{@code
 * CircuitBreaker b = new CircuitBreaker(5, Duration.ofSeconds(5).toNanos(), System::nanoTime);
 * if (b.tryAcquire()) { call(); if (ok) b.onSuccess(); else b.onFailure(); }
 * }</pre>
 */
final class CircuitBreaker {

    enum State {
        CLOSED,
        OPEN,
        HALF_OPEN
    }

    private final int threshold;
    private final long openNanos;
    private final LongSupplier nanoTime;
    private State state = State.CLOSED;
    private int failures;
    private long openedAt;

    CircuitBreaker(int threshold, long openNanos, LongSupplier nanoTime) {
        this.threshold = threshold;
        this.openNanos = openNanos;
        this.nanoTime = nanoTime;
    }

    /** True when a call may go out now; in half-open, true for the one probe only. */
    synchronized boolean tryAcquire() {
        switch (state) {
            case CLOSED:
                return true;
            case OPEN:
                if (nanoTime.getAsLong() - openedAt >= openNanos) {
                    state = State.HALF_OPEN;
                    return true;
                }
                return false;
            default:
                return false;
        }
    }

    synchronized void onSuccess() {
        failures = 0;
        state = State.CLOSED;
    }

    synchronized void onFailure() {
        failures++;
        if (state == State.HALF_OPEN || (state == State.CLOSED && failures >= threshold)) {
            state = State.OPEN;
            openedAt = nanoTime.getAsLong();
        }
    }

    synchronized State state() {
        return state;
    }
}
