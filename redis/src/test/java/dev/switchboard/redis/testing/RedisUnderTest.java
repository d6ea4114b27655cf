package dev.switchboard.redis.testing;

/**
 * What every real-Redis fixture offers, so one multi-node suite runs against a single server
 * ({@link RedisServerExtension}) and a cluster ({@link RedisClusterExtension}) alike.
 *
 * <pre>{@code
 * abstract class FanOutSuite {
 *     abstract RedisUnderTest redis();
 *
 *     @BeforeEach
 *     void clean() {
 *         redis().flushAll();
 *     }
 *
 *     @Test
 *     void resubscribesAfterTheConnectionDrops() {
 *         Node node = Node.start(redis().url());
 *         redis().clientKillPubSub();
 *         ...
 *     }
 * }
 * }</pre>
 */
public interface RedisUnderTest {

    /**
     * Where the engine connects: {@code redis://127.0.0.1:<port>} for one server, {@code
     * redis+cluster://127.0.0.1:<port>,127.0.0.1:<port>,...} (seed nodes) for a cluster.
     */
    String url();

    /** Deletes every key, on every primary. */
    void flushAll();

    /** Drops every pub/sub connection ({@code CLIENT KILL TYPE pubsub}) on every node; returns how many. */
    long clientKillPubSub();
}
