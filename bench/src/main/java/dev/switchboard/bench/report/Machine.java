package dev.switchboard.bench.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.bench.Json;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the figures were measured on. */
final class Machine {

    private Machine() {}

    static ObjectNode describe() {
        ObjectNode m = Json.object();
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("cpuModel", cpuModel());
        m.put("memoryGiB", memGiB());
        m.put("kernel", System.getProperty("os.version"));
        m.put("java", System.getProperty("java.runtime.version", System.getProperty("java.version")));
        m.put("node", version("node", "--version"));
        m.put("redis", version("redis-server", "--version").replaceAll(".*v=([0-9.]+).*", "$1"));
        return m;
    }

    private static String cpuModel() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    return l.substring(l.indexOf(':') + 1).trim();
                }
            }
        } catch (Exception ignored) {
            // unknown
        }
        return "unknown";
    }

    private static long memGiB() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) {
                    return Math.round(Long.parseLong(l.replaceAll("[^0-9]", "")) / 1048576.0);
                }
            }
        } catch (Exception ignored) {
            // unknown
        }
        return -1;
    }

    private static String version(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return s;
        } catch (Exception e) {
            return "absent";
        }
    }
}
