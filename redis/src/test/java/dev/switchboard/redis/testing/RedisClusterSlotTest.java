package dev.switchboard.redis.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * {@link RedisClusterExtension#slotOf} against slots Redis 7 gave for the same keys ({@code CLUSTER
 * KEYSLOT}); {@code RedisClusterExtensionIT} compares it with a live cluster for random keys.
 */
class RedisClusterSlotTest {

    @Test
    void plainKeysHashWhole() {
        assertThat(RedisClusterExtension.slotOf("foo")).isEqualTo(12182);
        assertThat(RedisClusterExtension.slotOf("bar")).isEqualTo(5061);
        assertThat(RedisClusterExtension.slotOf("hello")).isEqualTo(866);
        assertThat(RedisClusterExtension.slotOf("somekey")).isEqualTo(11058);
        assertThat(RedisClusterExtension.slotOf("123456789")).isEqualTo(0x31C3 % 16384);
        assertThat(RedisClusterExtension.slotOf("")).isZero();
    }

    @Test
    void hashTagsFollowTheSpec() {
        assertThat(RedisClusterExtension.slotOf("{user1000}.following")).isEqualTo(3443);
        assertThat(RedisClusterExtension.slotOf("{user1000}.followers")).isEqualTo(3443);
        // The first { and the first } after it; an empty tag hashes the whole key.
        assertThat(RedisClusterExtension.slotOf("foo{}{bar}")).isEqualTo(8363);
        assertThat(RedisClusterExtension.slotOf("foo{{bar}}zap")).isEqualTo(4015);
        assertThat(RedisClusterExtension.slotOf("foo{bar}{zap}")).isEqualTo(5061);
        assertThat(RedisClusterExtension.slotOf("sb:stream:{news}")).isEqualTo(RedisClusterExtension.slotOf("news"));
    }

    @Test
    void channelInSlotFindsANameInThatSlot() {
        for (int slot : new int[] {0, 1, 5460, 5461, 10922, 10923, 16383}) {
            String channel = RedisClusterExtension.channelInSlot("chan", slot);
            assertThat(channel).startsWith("chan");
            assertThat(RedisClusterExtension.slotOf(channel)).isEqualTo(slot);
            assertThat(RedisClusterExtension.slotOf("sb:stream:{" + channel + "}"))
                    .isEqualTo(slot);
        }
        assertThatThrownBy(() -> RedisClusterExtension.channelInSlot("a{b", 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RedisClusterExtension.channelInSlot("a", 16384))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
