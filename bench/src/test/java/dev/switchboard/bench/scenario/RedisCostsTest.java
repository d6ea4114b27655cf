package dev.switchboard.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.bench.proc.RedisStats;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisCostsTest {

    private static RedisStats window(double seconds, double cpuSeconds, Map<String, long[]> cmds) {
        return new RedisStats((long) (seconds * 1e9), cpuSeconds, 0, 0, 0, cmds);
    }

    @Test
    void cpuPerUnitIsNetOfWhatTheServerSpendsAtRest() {
        RedisStats idle = window(10, 0.05, Map.of()); // 0.005 cores at rest
        RedisStats step = window(20, 0.5, Map.of()); // 0.1 of it is rest
        assertThat(RedisCosts.netCpuMicrosPerUnit(step, idle, 20_000)).isCloseTo(20.0, within(1e-9));
        assertThat(RedisCosts.netCpuMicrosPerUnit(step, null, 20_000)).isCloseTo(25.0, within(1e-9));
        assertThat(RedisCosts.netCpuMicrosPerUnit(step, idle, 0)).isNaN();
    }

    @Test
    void callsPerUnitAreNetOfTheCallsAtRest() {
        RedisStats idle = window(10, 0, Map.of("evalsha", new long[] {60, 0})); // 6/s of heartbeats
        RedisStats step = window(5, 0, Map.of("evalsha", new long[] {4030, 0}));
        assertThat(RedisCosts.netCallsPerUnit(step, idle, "evalsha", 2000)).isCloseTo(2.0, within(1e-9));
        assertThat(RedisCosts.netCallsPerUnit(step, idle, "hset", 2000)).isZero();
    }

    @Test
    void splitsTheCostIntoAFixedPartAndOnePerSubscribingNode() {
        double[] s = RedisCosts.split(30, 1, 40, 3);
        assertThat(s[1]).isCloseTo(5.0, within(1e-9));
        assertThat(s[0]).isCloseTo(25.0, within(1e-9));
    }
}
