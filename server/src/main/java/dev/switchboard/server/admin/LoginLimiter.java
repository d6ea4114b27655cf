package dev.switchboard.server.admin;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bounds password guessing on the admin login: each remote address gets {@link #PER_ADDRESS}
 * failed attempts, refilled one every {@link #REFILL_MILLIS} ms, and all addresses together
 * {@link #GLOBAL} (same refill, ten times faster), so that neither one guesser nor many can try
 * more than a few passwords a minute. Only failures spend; a success does not refill. The table
 * of addresses holds at most {@link #MAX_ADDRESSES} entries, dropping the least recently seen.
 *
 * <pre>{@code
 * LoginLimiter limiter = new LoginLimiter(Clock.systemUTC());
 * if (!limiter.mayTry(addr)) return tooManyAttempts(limiter.retryAfterSeconds(addr));
 * if (!passwordMatches) limiter.failed(addr);
 * }</pre>
 */
final class LoginLimiter {

    /** Failed attempts one address may make at once. */
    static final int PER_ADDRESS = 5;
    /** Failed attempts all addresses together may make at once. */
    static final int GLOBAL = 50;
    /** One attempt comes back to an address every 12 s (5 a minute). */
    static final long REFILL_MILLIS = 12_000;
    /** Addresses remembered; beyond, the least recently seen is forgotten. */
    static final int MAX_ADDRESSES = 10_000;

    private final Clock clock;
    private final Bucket global;
    private final Map<String, Bucket> byAddress = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    LoginLimiter(Clock clock) {
        this.clock = clock;
        this.global = new Bucket(GLOBAL, REFILL_MILLIS / 10, clock.millis());
    }

    /** Whether {@code address} may try a password now. */
    synchronized boolean mayTry(String address) {
        long now = clock.millis();
        return global.available(now) >= 1 && bucket(address, now).available(now) >= 1;
    }

    /** Spends one attempt of {@code address} (and of everyone). */
    synchronized void failed(String address) {
        long now = clock.millis();
        global.take(now);
        bucket(address, now).take(now);
    }

    /** Seconds until {@code address} may try again (at least 1). */
    synchronized long retryAfterSeconds(String address) {
        long now = clock.millis();
        long wait = Math.max(global.millisUntilOne(now), bucket(address, now).millisUntilOne(now));
        return Math.max(1, (wait + 999) / 1000);
    }

    /** Addresses remembered now (at most {@link #MAX_ADDRESSES}). */
    synchronized int addresses() {
        return byAddress.size();
    }

    private Bucket bucket(String address, long now) {
        return byAddress.computeIfAbsent(address, a -> new Bucket(PER_ADDRESS, REFILL_MILLIS, now));
    }

    /** A token bucket, refilled continuously. */
    private static final class Bucket {
        private final int capacity;
        private final long refillMillis;
        private double tokens;
        private long updated;

        Bucket(int capacity, long refillMillis, long now) {
            this.capacity = capacity;
            this.refillMillis = refillMillis;
            this.tokens = capacity;
            this.updated = now;
        }

        double available(long now) {
            tokens = Math.min(capacity, tokens + (double) Math.max(0, now - updated) / refillMillis);
            updated = now;
            return tokens;
        }

        void take(long now) {
            tokens = Math.max(0, available(now) - 1);
        }

        long millisUntilOne(long now) {
            double missing = 1 - available(now);
            // Less a hair: 11/12 of a token must read as 1000 ms, not 1000.0000001 rounded up.
            return missing <= 0 ? 0 : (long) Math.ceil(missing * refillMillis - 1e-6);
        }
    }
}
