package dev.switchboard.redis;

import dev.switchboard.core.engine.ConnectionEntry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Routing-key lookups remembered between registry changes, so routing a call to an agent does
 * not cost a Redis round trip each time.
 *
 * <p>Every registry script that adds or removes a connection with a routing key publishes the key
 * on the change channel, atomically with the change; each node drops its copy when the message
 * arrives. A lookup that was already on its way when a change arrived is not remembered (the
 * generation moved). While the change feed is down nothing is cached, since changes could be
 * missed; the time limit bounds any other staleness.
 */
final class RoutingKeyCache {

    /** How long a lookup is reused even without a change message. */
    static final long TTL_MILLIS = 1000;
    /** Keys remembered at most; past it the cache starts over. */
    static final int MAX_KEYS = 10_000;
    /** A change message that drops every key (a node's connections were evicted). */
    static final String ALL = "*";

    private record Cached(List<ConnectionEntry> entries, long expiresAtNanos) {}

    private final Map<String, Cached> keys = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final LongSupplier nanoTime;
    private volatile boolean feedUp;

    RoutingKeyCache() {
        this(System::nanoTime);
    }

    /**
     * A cache whose time limit is read from {@code nanoTime}, a monotonic source like
     * {@link System#nanoTime()} (a wall clock set back would keep lookups for as long); tests
     * give one they move by hand.
     */
    RoutingKeyCache(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** The remembered lookup, or {@code null}. */
    List<ConnectionEntry> get(String routingKey) {
        if (!feedUp) {
            return null;
        }
        Cached c = keys.get(routingKey);
        if (c == null || nanoTime.getAsLong() - c.expiresAtNanos() > 0) {
            return null;
        }
        return c.entries();
    }

    /** Taken before a lookup is sent, handed back to {@link #put}. */
    long generation() {
        return generation.get();
    }

    /**
     * Remembers a lookup unless a change arrived since {@code generationBefore}. An empty one is
     * not remembered: a call to nobody fails anyway, and an agent that just connected must be
     * found at once.
     */
    void put(String routingKey, List<ConnectionEntry> entries, long generationBefore) {
        if (entries.isEmpty() || !feedUp || generation.get() != generationBefore) {
            return;
        }
        if (keys.size() >= MAX_KEYS) {
            keys.clear();
        }
        Cached c = new Cached(List.copyOf(entries), nanoTime.getAsLong() + TimeUnit.MILLISECONDS.toNanos(TTL_MILLIS));
        keys.put(routingKey, c);
        // A change that slipped in between the check and the put must not leave this behind.
        if (generation.get() != generationBefore) {
            keys.remove(routingKey, c);
        }
    }

    /** A change message from the registry: a routing key, or {@link #ALL}. */
    void changed(String routingKey) {
        generation.incrementAndGet();
        if (ALL.equals(routingKey)) {
            keys.clear();
        } else {
            keys.remove(routingKey);
        }
    }

    /** The change channel is subscribed: lookups may be remembered from now on. */
    void feedUp() {
        generation.incrementAndGet();
        keys.clear();
        feedUp = true;
    }

    /** The change channel was lost: changes may be missed, so forget everything and stop caching. */
    void feedDown() {
        feedUp = false;
        generation.incrementAndGet();
        keys.clear();
    }

    int size() {
        return keys.size();
    }
}
