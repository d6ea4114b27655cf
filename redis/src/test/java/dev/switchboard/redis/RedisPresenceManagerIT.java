package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.engine.ClientInfo;
import dev.switchboard.core.engine.PresenceStats;
import dev.switchboard.core.protocol.ProtocolError;
import dev.switchboard.redis.testing.RedisServerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RedisPresenceManager} against a real redis-server, killed and paused to test faults. */
class RedisPresenceManagerIT {

    @RegisterExtension
    static RedisServerExtension redis = RedisServerExtension.create();

    /** Short, so the fault tests prove "fails within the command timeout" quickly. */
    private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(500);
    /** Scheduling and loopback round trips on a busy CI machine. */
    private static final Duration SLACK = Duration.ofMillis(400);

    private static final Duration LONG_TTL = Duration.ofSeconds(60);
    private static final Duration SHORT_TTL = Duration.ofMillis(400);
    private static final Duration POLL = Duration.ofMillis(10);
    private static final String CHANNEL = "chat:lobby";
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private final List<RedisConnections> opened = new ArrayList<>();
    private String prefix;

    @BeforeEach
    void ownKeyPrefix() {
        prefix = "presence" + PREFIXES.incrementAndGet();
    }

    @AfterEach
    void closeConnections() {
        opened.forEach(RedisConnections::close);
    }

    /** One "node": its own connections, as a separate process would have. */
    private RedisPresenceManager node() {
        RedisConnections c = new RedisConnections(RedisEngineOptions.builder(redis.url())
                .prefix(prefix)
                .commandTimeout(COMMAND_TIMEOUT)
                .reconnectMinDelay(Duration.ofMillis(10))
                .reconnectMaxDelay(Duration.ofMillis(200))
                .build());
        opened.add(c);
        return new RedisPresenceManager(c);
    }

    private static ClientInfo info(String client, String user) {
        return new ClientInfo(client, user, bytes("{\"name\":\"" + user + "\"}"), bytes("{\"role\":\"viewer\"}"));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private String key(byte[] k) {
        return new String(k, StandardCharsets.UTF_8);
    }

    private String hashKey() {
        return key(new RedisKeys(prefix).presence(CHANNEL));
    }

    private String expiryKey() {
        return key(new RedisKeys(prefix).presenceExpiry(CHANNEL));
    }

    // Listing, counting, removing and refreshing are in PresenceManagerContract (RedisPresenceManagerContractIT).

    @Test
    void emptiedChannelLeavesNoKeys() {
        RedisPresenceManager presence = node();
        presence.addPresence(CHANNEL, info("c1", "42"), LONG_TTL).join();
        presence.addPresence(CHANNEL, info("c2", "43"), LONG_TTL).join();
        assertThat(redis.command("EXISTS", hashKey(), expiryKey())).isEqualTo(2L);

        presence.removePresence(CHANNEL, "c1", "42").join();
        presence.removePresence(CHANNEL, "c2", "43").join();
        assertThat(redis.command("EXISTS", hashKey(), expiryKey())).isEqualTo(0L);
    }

    @Test
    void entryExpiresAfterItsTtlUnlessRefreshed() throws InterruptedException {
        RedisPresenceManager presence = node();
        presence.addPresence(CHANNEL, info("stays", "1"), LONG_TTL).join();
        presence.addPresence(CHANNEL, info("refreshed", "2"), SHORT_TTL).join();
        presence.addPresence(CHANNEL, info("expires", "3"), SHORT_TTL).join();

        // Refresh one entry twice within its ttl, let the other lapse.
        for (int i = 0; i < 2; i++) {
            Thread.sleep(SHORT_TTL.toMillis() * 2 / 3);
            presence.addPresence(CHANNEL, info("refreshed", "2"), SHORT_TTL).join();
        }
        assertThat(presence.presence(CHANNEL).join()).containsOnlyKeys("stays", "refreshed");
        assertThat(presence.presenceStats(CHANNEL).join()).isEqualTo(new PresenceStats(2, 2));
        assertThat(redis.command("ZSCORE", expiryKey(), "expires"))
                .as("read dropped the expired entry")
                .isNull();
        assertThat(redis.command("HEXISTS", hashKey(), "expires")).isEqualTo(0L);
    }

    @Test
    void idleChannelKeysVanishWhenTheLatestEntryExpires() {
        RedisPresenceManager presence = node();
        presence.addPresence(CHANNEL, info("long", "1"), Duration.ofSeconds(2)).join();
        // A shorter ttl added later must not cut the longer-lived entry short.
        presence.addPresence(CHANNEL, info("short", "2"), SHORT_TTL).join();
        long hashTtl = (Long) redis.command("PTTL", hashKey());
        long expiryTtl = (Long) redis.command("PTTL", expiryKey());
        assertThat(hashTtl).isBetween(1_000L, 2_000L);
        assertThat(expiryTtl).isBetween(1_000L, 2_000L);

        // Nobody reads: Redis expires the keys itself.
        await().atMost(Duration.ofSeconds(2).plus(SLACK))
                .pollInterval(POLL)
                .until(() -> redis.command("EXISTS", hashKey(), expiryKey()).equals(0L));
        assertThat(presence.presence(CHANNEL).join()).isEmpty();
    }

    @Test
    void twoNodesSeeTheSamePresence() {
        RedisPresenceManager nodeA = node();
        RedisPresenceManager nodeB = node();
        nodeA.addPresence(CHANNEL, info("on-a", "1"), LONG_TTL).join();
        nodeB.addPresence(CHANNEL, info("on-b", "2"), LONG_TTL).join();

        assertThat(nodeA.presence(CHANNEL).join()).containsOnlyKeys("on-a", "on-b");
        assertThat(nodeB.presence(CHANNEL).join()).containsOnlyKeys("on-a", "on-b");

        nodeB.removePresence(CHANNEL, "on-a", "1").join();
        assertThat(nodeA.presence(CHANNEL).join()).containsOnlyKeys("on-b");
        assertThat(nodeA.presenceStats(CHANNEL).join()).isEqualTo(new PresenceStats(1, 1));
    }

    @Test
    void deadNodesEntriesVanishWithinThePresenceTtl() throws InterruptedException {
        Duration ttl = Duration.ofSeconds(1);
        RedisPresenceManager dying = node();
        RedisPresenceManager survivor = node();
        survivor.addPresence(CHANNEL, info("survivor", "1"), LONG_TTL).join();
        dying.addPresence(CHANNEL, info("dead-client", "2"), ttl).join();
        long lastRefresh = System.nanoTime();
        opened.remove(0).close(); // the node dies: no removal, no more refreshes

        long presentUntil = 0;
        while (survivor.presence(CHANNEL).join().containsKey("dead-client")) {
            presentUntil = System.nanoTime() - lastRefresh;
            assertThat(Duration.ofNanos(presentUntil)).isLessThan(ttl.plus(SLACK));
            Thread.sleep(POLL.toMillis());
        }
        Duration vanishedAfter = Duration.ofNanos(System.nanoTime() - lastRefresh);
        System.out.printf(
                "dead node's presence vanished %d ms after its last refresh (ttl %d ms)%n",
                vanishedAfter.toMillis(), ttl.toMillis());
        assertThat(vanishedAfter).isLessThanOrEqualTo(ttl.plus(SLACK));
        assertThat(Duration.ofNanos(presentUntil))
                .as("not dropped before its ttl")
                .isGreaterThan(ttl.minus(SLACK));
        assertThat(survivor.presence(CHANNEL).join()).containsOnlyKeys("survivor");
    }

    @Test
    void redisKilledMakesEveryCallFailFastWithATemporaryErrorAndARestartHeals() {
        RedisPresenceManager presence = node();
        presence.addPresence(CHANNEL, info("c1", "1"), LONG_TTL).join();

        redis.kill();
        assertFailsFastWithTemporaryError(() -> presence.presence(CHANNEL));
        assertFailsFastWithTemporaryError(() -> presence.presenceStats(CHANNEL));
        assertFailsFastWithTemporaryError(() -> presence.addPresence(CHANNEL, info("c2", "2"), LONG_TTL));
        assertFailsFastWithTemporaryError(() -> presence.removePresence(CHANNEL, "c1", "1"));

        redis.start(); // no persistence: the entries and the script cache are gone
        long restarted = System.nanoTime();
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(20))
                .ignoreExceptions()
                .until(() -> presence.presence(CHANNEL).join().isEmpty());
        System.out.printf(
                "presence answered again %d ms after redis-server restarted%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted));
        presence.addPresence(CHANNEL, info("c2", "2"), LONG_TTL).join();
        assertThat(presence.presence(CHANNEL).join()).containsOnlyKeys("c2");
    }

    @Test
    void unresponsiveRedisMakesCallsTimeOutWithATemporaryError() {
        RedisPresenceManager presence = node();
        presence.addPresence(CHANNEL, info("c1", "1"), LONG_TTL).join();

        // The connection stays open but nothing is answered: only the command timeout saves us.
        redis.pause(COMMAND_TIMEOUT.multipliedBy(4));
        assertFailsFastWithTemporaryError(() -> presence.presence(CHANNEL));
        assertFailsFastWithTemporaryError(() -> presence.addPresence(CHANNEL, info("c2", "2"), LONG_TTL));

        await().atMost(COMMAND_TIMEOUT.multipliedBy(4).plus(Duration.ofSeconds(2)))
                .pollInterval(Duration.ofMillis(20))
                .ignoreExceptions()
                .until(() -> presence.presence(CHANNEL).join().containsKey("c1"));
    }

    @Test
    void nonPositiveTtlIsRefused() {
        RedisPresenceManager presence = node();
        assertThatThrownBy(() -> presence.addPresence(CHANNEL, info("c1", "1"), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** The call completes, within the command timeout plus slack, with a temporary ProtocolError. */
    private static void assertFailsFastWithTemporaryError(Supplier<CompletableFuture<?>> call) {
        long start = System.nanoTime();
        CompletableFuture<?> f = call.get();
        Throwable failure = null;
        try {
            f.get(COMMAND_TIMEOUT.plus(SLACK).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            failure = e.getCause();
        } catch (Exception e) {
            throw new AssertionError("call did not fail within the command timeout", e);
        }
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.printf("failed in %d ms with %s%n", tookMs, failure);
        assertThat(failure).isInstanceOf(ProtocolError.class);
        ProtocolError error = (ProtocolError) failure;
        assertThat(error.code()).isEqualTo(ProtocolError.INTERNAL.code());
        assertThat(error.temporary()).isTrue();
    }
}
