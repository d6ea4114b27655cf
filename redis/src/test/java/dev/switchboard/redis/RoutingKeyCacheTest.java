package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.engine.ConnectionEntry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RoutingKeyCacheTest {

    private static final List<ConnectionEntry> AGENT = List.of(new ConnectionEntry("c1", "u", "k", "n1", 1));
    /** Nanoseconds, moved by hand; starts near the wrap-around, as System.nanoTime() may. */
    private final AtomicLong nanos = new AtomicLong(Long.MAX_VALUE - TimeUnit.MILLISECONDS.toNanos(500));

    private final RoutingKeyCache cache = new RoutingKeyCache(nanos::get);

    @BeforeEach
    void feedIsUp() {
        cache.feedUp();
    }

    @Test
    void lookupIsRememberedUntilItsKeyChanges() {
        cache.put("k", AGENT, cache.generation());
        cache.put("other", AGENT, cache.generation());
        assertThat(cache.get("k")).isEqualTo(AGENT);

        cache.changed("k");
        assertThat(cache.get("k")).isNull();
        assertThat(cache.get("other")).as("other keys stay").isEqualTo(AGENT);
    }

    @Test
    void lookupThatWasUnderwayWhenAChangeArrivedIsNotRemembered() {
        long before = cache.generation();
        cache.changed("anything");
        cache.put("k", AGENT, before);
        assertThat(cache.get("k")).isNull();
    }

    @Test
    void emptyLookupIsNotRememberedSoANewAgentIsFoundAtOnce() {
        cache.put("k", List.of(), cache.generation());
        assertThat(cache.get("k")).isNull();
        assertThat(cache.size()).isZero();
    }

    @Test
    void changeOfAllKeysForgetsEverything() {
        cache.put("a", AGENT, cache.generation());
        cache.put("b", AGENT, cache.generation());
        cache.changed(RoutingKeyCache.ALL);
        assertThat(cache.get("a")).isNull();
        assertThat(cache.get("b")).isNull();
    }

    @Test
    void nothingIsRememberedWhileTheChangeFeedIsDown() {
        cache.put("k", AGENT, cache.generation());
        cache.feedDown();
        assertThat(cache.get("k")).isNull();
        cache.put("k", AGENT, cache.generation());
        assertThat(cache.size()).isZero();

        cache.feedUp();
        cache.put("k", AGENT, cache.generation());
        assertThat(cache.get("k")).isEqualTo(AGENT);
    }

    @Test
    void lookupIsReusedUntilItsTimeToLiveAndNotAfter() {
        cache.put("k", AGENT, cache.generation());
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(RoutingKeyCache.TTL_MILLIS));
        assertThat(cache.get("k")).as("at the limit").isEqualTo(AGENT);
        nanos.incrementAndGet();
        assertThat(cache.get("k")).as("one nanosecond past it").isNull();
    }

    @Test
    void cacheStartsOverRatherThanGrowPastItsBound() {
        for (int i = 0; i < RoutingKeyCache.MAX_KEYS; i++) {
            cache.put("k" + i, AGENT, cache.generation());
        }
        assertThat(cache.size()).isEqualTo(RoutingKeyCache.MAX_KEYS);
        cache.put("one-more", AGENT, cache.generation());
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.get("one-more")).isEqualTo(AGENT);
    }
}
