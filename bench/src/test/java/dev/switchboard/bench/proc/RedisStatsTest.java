package dev.switchboard.bench.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RedisStatsTest {

    private static final String BEFORE = "# CPU\r\nused_cpu_sys:1.500000\r\nused_cpu_user:2.250000\r\n\r\n"
            + "# Stats\r\ntotal_commands_processed:100\r\ntotal_net_input_bytes:1000\r\ntotal_net_output_bytes:2000\r\n\r\n"
            + "# Commandstats\r\ncmdstat_evalsha:calls=10,usec=300,usec_per_call=30.00,rejected_calls=0,failed_calls=0\r\n"
            + "cmdstat_ping:calls=5,usec=5,usec_per_call=1.00,rejected_calls=0,failed_calls=0\r\n";

    private static final String AFTER = "# CPU\r\nused_cpu_sys:2.000000\r\nused_cpu_user:3.250000\r\n\r\n"
            + "# Stats\r\ntotal_commands_processed:160\r\ntotal_net_input_bytes:1500\r\ntotal_net_output_bytes:4000\r\n\r\n"
            + "# Commandstats\r\ncmdstat_evalsha:calls=30,usec=900,usec_per_call=30.00,rejected_calls=0,failed_calls=0\r\n"
            + "cmdstat_ping:calls=5,usec=5,usec_per_call=1.00,rejected_calls=0,failed_calls=0\r\n"
            + "cmdstat_xadd:calls=20,usec=100,usec_per_call=5.00,rejected_calls=0,failed_calls=0\r\n";

    @Test
    void differenceOfTwoReadings() {
        RedisStats a = RedisStats.parse(BEFORE, 1_000_000_000L);
        RedisStats b = RedisStats.parse(AFTER, 3_000_000_000L);
        assertThat(a.cpuSeconds()).isCloseTo(3.75, within(1e-9));
        RedisStats d = b.minus(a);
        assertThat(d.seconds()).isCloseTo(2.0, within(1e-9));
        assertThat(d.cpuSeconds()).isCloseTo(1.5, within(1e-9));
        assertThat(d.cores()).isCloseTo(0.75, within(1e-9));
        assertThat(d.commands()).isEqualTo(60);
        assertThat(d.netOutBytes()).isEqualTo(2000);
        assertThat(d.calls("evalsha")).isEqualTo(20);
        assertThat(d.commandStats().get("evalsha")[1]).isEqualTo(600);
        assertThat(d.calls("xadd")).isEqualTo(20); // absent before: counted from zero
        assertThat(d.commandStats()).doesNotContainKey("ping"); // did not run in between
        assertThat(d.calls("hset")).isZero();
    }
}
