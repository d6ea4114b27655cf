package dev.switchboard.transport.metrics;

import java.time.Duration;

/**
 * The histogram buckets of our latency timers that carry a label beyond a handful of values
 * (API method, Redis command): 14 fixed buckets from 250 µs to 10 s, rather than Micrometer's
 * ~70 percentile buckets, which times the label values would make hundreds of series.
 */
public final class LatencyBuckets {

    private LatencyBuckets() {}

    /** A fresh array (callers may not share a mutable one). */
    public static Duration[] latency() {
        return new Duration[] {
            Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2),
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(10)
        };
    }
}
