package dev.switchboard.bench.proc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedisBenchmarkTest {

    @Test
    void theRateIsTheLastTestsAndMinusOneWhenNoneWasPrinted() {
        String quiet = "PUBLISH: rps=0.0 (overall: nan) avg_msec=nan (overall: nan)\r"
                + "PUBLISH: 38580.25 requests per second, p50=1.103 msec\n"
                + "SPUBLISH: 41234.57 requests per second, p50=0.991 msec\n";
        assertThat(RedisBenchmark.parse(quiet)).isEqualTo(41234.57);
        assertThat(RedisBenchmark.parse("Could not connect to Redis at 127.0.0.1:1: Connection refused\n"))
                .isEqualTo(-1);
        assertThat(RedisBenchmark.parse("")).isEqualTo(-1);
    }
}
