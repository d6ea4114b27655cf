package dev.switchboard.bench;

import java.time.Instant;

/**
 * Wall-clock time in microseconds. Publication timestamps cross process boundaries (the
 * broadcast publisher is the bench, the receivers are load generators), and {@code System.nanoTime}
 * is only comparable inside one process, so every timestamp in a payload is wall-clock micros.
 */
public final class Micros {

    private Micros() {}

    public static long now() {
        Instant i = Instant.now();
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1_000;
    }

    /** Sleeps until the wall clock reaches {@code atMicros} (returns at once if it has). */
    public static void sleepUntil(long atMicros) throws InterruptedException {
        while (true) {
            long left = atMicros - now();
            if (left <= 0) {
                return;
            }
            if (left > 2_000) {
                Thread.sleep((left - 1_000) / 1_000);
            } else {
                java.util.concurrent.locks.LockSupport.parkNanos(left * 1_000);
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }
}
