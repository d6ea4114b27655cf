package dev.switchboard.bench.scenario;

import dev.switchboard.bench.proc.RedisStats;

/** The per-unit arithmetic of {@code redis-costs}, kept apart from the processes so it can be tested. */
final class RedisCosts {

    private RedisCosts() {}

    /**
     * Redis CPU per unit of work, in microseconds: the CPU of a window less what the same server
     * spends at rest over as long (heartbeats, probes: {@code idle}), divided by the units
     * (publications, connects) the window held.
     */
    static double netCpuMicrosPerUnit(RedisStats window, RedisStats idle, long units) {
        if (units <= 0) {
            return Double.NaN;
        }
        double atRest = idle == null ? 0 : idle.cores() * window.seconds();
        return (window.cpuSeconds() - atRest) * 1e6 / units;
    }

    /** Command calls per unit of work, less the calls of the same command at rest over as long. */
    static double netCallsPerUnit(RedisStats window, RedisStats idle, String command, long units) {
        if (units <= 0) {
            return Double.NaN;
        }
        double atRest =
                idle == null || idle.seconds() <= 0 ? 0 : idle.calls(command) / idle.seconds() * window.seconds();
        return (window.calls(command) - atRest) / units;
    }

    /**
     * Splits the Redis CPU per publication measured with {@code n1} and {@code n2} subscribing nodes
     * ({@code n2 > n1}) into a fixed part and a part per subscribing node (a line through the two):
     * {@code [perPublication with no node, perNode]}.
     */
    static double[] split(double costAtN1, int n1, double costAtN2, int n2) {
        double perNode = (costAtN2 - costAtN1) / (n2 - n1);
        return new double[] {costAtN1 - perNode * n1, perNode};
    }

    static double round(double v, int digits) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return v;
        }
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
