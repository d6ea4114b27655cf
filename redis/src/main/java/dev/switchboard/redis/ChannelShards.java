package dev.switchboard.redis;

import java.nio.charset.StandardCharsets;

/**
 * Which of several independent Redis servers holds a channel: jump consistent hashing (Lamping
 * and Veach) of the FNV-1a hash of its name, so adding a shard moves only about 1/n of the
 * channels, and every node computes the same answer with no coordination.
 */
final class ChannelShards {

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private ChannelShards() {}

    /** The shard of {@code channel} among {@code shards} (0 when there is one). */
    static int of(String channel, int shards) {
        if (shards == 1) {
            return 0;
        }
        long h = FNV_OFFSET;
        for (byte b : channel.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= FNV_PRIME;
        }
        return jump(h, shards);
    }

    static int jump(long key, int buckets) {
        long b = -1;
        long j = 0;
        while (j < buckets) {
            b = j;
            key = key * 2862933555777941757L + 1;
            j = (long) ((b + 1) * ((double) (1L << 31) / (double) ((key >>> 33) + 1)));
        }
        return (int) b;
    }
}
