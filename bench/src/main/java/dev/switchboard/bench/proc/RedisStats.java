package dev.switchboard.bench.proc;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one redis-server has done since it started, read at one instant from {@code INFO cpu
 * stats commandstats}: CPU seconds ({@code used_cpu_sys + used_cpu_user}, every thread of the
 * process), commands processed, network bytes, and calls and microseconds per command. Commands a
 * Lua script runs are counted under their own names too ({@code xadd} inside {@code evalsha}).
 * {@link #minus} gives what it did between two readings.
 */
public record RedisStats(
        long nanos,
        double cpuSeconds,
        long commands,
        long netInBytes,
        long netOutBytes,
        Map<String, long[]> commandStats) {

    public static RedisStats read(int port) throws IOException {
        String text = (String) RedisCli.command(port, "INFO", "cpu", "stats", "commandstats");
        return parse(text, System.nanoTime());
    }

    /** From the text of {@code INFO cpu stats commandstats}. */
    static RedisStats parse(String info, long nanos) {
        Map<String, String> f = RedisCli.fields(info);
        Map<String, long[]> cmds = new TreeMap<>();
        for (Map.Entry<String, String> e : f.entrySet()) {
            if (!e.getKey().startsWith("cmdstat_")) {
                continue;
            }
            long calls = 0;
            long usec = 0;
            for (String kv : e.getValue().split(",")) {
                int eq = kv.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String k = kv.substring(0, eq);
                if (k.equals("calls")) {
                    calls = Long.parseLong(kv.substring(eq + 1));
                } else if (k.equals("usec")) {
                    usec = Long.parseLong(kv.substring(eq + 1));
                }
            }
            cmds.put(e.getKey().substring("cmdstat_".length()), new long[] {calls, usec});
        }
        return new RedisStats(
                nanos,
                Double.parseDouble(f.getOrDefault("used_cpu_sys", "0"))
                        + Double.parseDouble(f.getOrDefault("used_cpu_user", "0")),
                Long.parseLong(f.getOrDefault("total_commands_processed", "0")),
                Long.parseLong(f.getOrDefault("total_net_input_bytes", "0")),
                Long.parseLong(f.getOrDefault("total_net_output_bytes", "0")),
                cmds);
    }

    /** This reading less an earlier one: what happened in between (commands that did not run left out). */
    public RedisStats minus(RedisStats earlier) {
        Map<String, long[]> d = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : commandStats.entrySet()) {
            long[] a = earlier.commandStats.getOrDefault(e.getKey(), new long[2]);
            long calls = e.getValue()[0] - a[0];
            if (calls > 0) {
                d.put(e.getKey(), new long[] {calls, e.getValue()[1] - a[1]});
            }
        }
        return new RedisStats(
                nanos - earlier.nanos,
                cpuSeconds - earlier.cpuSeconds,
                commands - earlier.commands,
                netInBytes - earlier.netInBytes,
                netOutBytes - earlier.netOutBytes,
                d);
    }

    /** Wall-clock seconds of a difference. */
    public double seconds() {
        return nanos / 1e9;
    }

    /** CPU cores busy over a difference (CPU seconds per second). */
    public double cores() {
        return nanos <= 0 ? 0 : cpuSeconds / seconds();
    }

    /** Calls of {@code command} in a difference (0 if it did not run). */
    public long calls(String command) {
        long[] c = commandStats.get(command);
        return c == null ? 0 : c[0];
    }
}
