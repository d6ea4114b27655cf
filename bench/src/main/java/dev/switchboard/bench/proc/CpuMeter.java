package dev.switchboard.bench.proc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.bench.Json;
import dev.switchboard.bench.Micros;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * CPU of each process over a window (user + system time from {@code /proc/<pid>/stat}, sampled at
 * the window's start and end), in cores: 1.0 is one core busy for the whole window.
 */
public final class CpuMeter {

    private CpuMeter() {}

    /** Samples at {@code fromUs} and {@code toUs} (wall clock) on a thread of its own. */
    public static CompletableFuture<ObjectNode> measure(Map<String, List<Managed>> roles, long fromUs, long toUs) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                Micros.sleepUntil(fromUs);
                Map<Managed, Long> start = new LinkedHashMap<>();
                Map<Managed, Long> jitStart = new LinkedHashMap<>();
                long[] machine0 = machineTicks();
                long t0 = System.nanoTime();
                roles.values().forEach(l -> l.forEach(m -> start.put(m, m.cpuTicks())));
                roles.values().forEach(l -> l.forEach(m -> jitStart.put(m, m.jitTicks())));
                Micros.sleepUntil(toUs);
                long t1 = System.nanoTime();
                long[] machine1 = machineTicks();
                double secs = (t1 - t0) / 1e9;
                ObjectNode out = Json.object();
                double total = 0;
                for (Map.Entry<String, List<Managed>> e : roles.entrySet()) {
                    double cores = 0;
                    double jit = 0;
                    long rss = 0;
                    for (Managed m : e.getValue()) {
                        long end = m.cpuTicks();
                        long s = start.get(m);
                        if (end >= 0 && s >= 0) {
                            cores += (end - s) / (double) ProcStat.CLK_TCK / secs;
                        }
                        long jitEnd = m.jitTicks();
                        long jitS = jitStart.get(m);
                        if (jitEnd >= 0 && jitS >= 0) {
                            jit += (jitEnd - jitS) / (double) ProcStat.CLK_TCK / secs;
                        }
                        rss += Math.max(0, m.rssBytes());
                    }
                    total += cores;
                    out.putObject(e.getKey())
                            .put("cores", round(cores))
                            .put("jitCores", round(jit))
                            .put("processes", e.getValue().size())
                            .put("rssMiB", round(rss / 1048576.0));
                }
                out.put("totalCores", round(total));
                if (machine0 != null && machine1 != null && machine1[1] > machine0[1]) {
                    // Everything busy on the machine, and what of it was not the bench's own processes
                    // (other work on a shared machine distorts the figures: this says by how much).
                    double machineCores = (machine1[0] - machine0[0]) / (double) ProcStat.CLK_TCK / secs;
                    out.put("machineBusyCores", round(machineCores));
                    out.put("otherCores", round(Math.max(0, machineCores - total)));
                }
                out.put("windowSeconds", round(secs));
                return out;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Json.object();
            }
        });
    }

    /** [busy ticks, total ticks] of the whole machine, from the first line of /proc/stat. */
    static long[] machineTicks() {
        try {
            String line = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat"))
                    .get(0);
            String[] f = line.trim().split("\\s+");
            long busy = 0;
            long all = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                long v = Long.parseLong(f[i]);
                all += v;
                if (i != 4 && i != 5) { // idle, iowait
                    busy += v;
                }
            }
            return new long[] {busy, all};
        } catch (Exception e) {
            return null;
        }
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
