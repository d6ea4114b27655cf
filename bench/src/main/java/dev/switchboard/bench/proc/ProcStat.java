package dev.switchboard.bench.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and resident memory of a process, from {@code /proc}. */
public final class ProcStat {

    /** Clock ticks per second of {@code utime}/{@code stime} ({@code getconf CLK_TCK}; 100 on Linux). */
    public static final long CLK_TCK = clkTck();

    private ProcStat() {}

    /** User + system CPU time in clock ticks, or -1 when the process is gone. */
    public static long cpuTicks(long pid) {
        try {
            return statTicks(Path.of("/proc/" + pid + "/stat"));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** utime + stime of a process's or thread's {@code stat} file. */
    private static long statTicks(Path stat) throws IOException {
        String s = Files.readString(stat);
        // The command name may hold spaces: fields start after the last ')'.
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /**
     * User + system CPU time of a JVM's JIT compiler threads ({@code C1/C2 CompilerThread*}) in
     * clock ticks, or -1 when the process is gone: CPU a node spent compiling rather than serving,
     * which is large until the JIT settles and is what a too-short warm-up leaves in a window.
     */
    public static long jitTicks(long pid) {
        Path tasks = Path.of("/proc/" + pid + "/task");
        long sum = 0;
        try (var list = Files.list(tasks)) {
            for (Path t : (Iterable<Path>) list::iterator) {
                try {
                    if (Files.readString(t.resolve("comm")).contains("CompilerThre")) {
                        sum += statTicks(t.resolve("stat"));
                    }
                } catch (IOException | RuntimeException e) {
                    // The thread ended between listing and reading: its time is gone with it.
                }
            }
            return sum;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Resident set size in bytes, or -1 when the process is gone. */
    public static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static long clkTck() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return Long.parseLong(out);
        } catch (Exception e) {
            return 100;
        }
    }
}
