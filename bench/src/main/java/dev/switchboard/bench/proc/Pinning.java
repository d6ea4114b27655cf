package dev.switchboard.bench.proc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.bench.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which CPUs the bench's children run on: nodes (Switchboard and peer alike) on one set, load
 * generators and Redis on another, so the nodes under test have cores of their own and their CPU
 * per delivery does not depend on what the load generator happens to need at that moment.
 * Applied by {@link Managed#start} as a {@code taskset -c <set>} prefix.
 */
public final class Pinning {

    /** A CPU set a process is started on ({@code set} null: any CPU). */
    public record Cpus(String set) {
        public static final Cpus ANY = new Cpus(null);

        /** {@code command} prefixed with {@code taskset -c <set>}, or unchanged for any CPU. */
        List<String> wrap(List<String> command) {
            if (set == null) {
                return command;
            }
            List<String> cmd = new ArrayList<>(List.of("taskset", "-c", set));
            cmd.addAll(command);
            return cmd;
        }
    }

    private final String nodeCpus;
    private final String loadCpus;
    private final String note;

    private Pinning(String nodeCpus, String loadCpus, String note) {
        this.nodeCpus = nodeCpus;
        this.loadCpus = loadCpus;
        this.note = note;
    }

    /** No pinning: every process on every CPU. */
    public static final Pinning NONE = new Pinning(null, null, "not pinned");

    /**
     * Pinning as asked: {@code pin} null means on when the machine has at least two CPUs. The
     * default sets split the CPUs in halves, nodes on the lower (with two CPUs: nodes on 0, load
     * generators and Redis on 1). Falls back to {@link #NONE}, saying why, when {@code taskset}
     * is missing or there is one CPU.
     */
    public static Pinning resolve(Boolean pin, String nodeCpus, String loadCpus) {
        int cpus = Runtime.getRuntime().availableProcessors();
        if (Boolean.FALSE.equals(pin)) {
            return NONE;
        }
        if (cpus < 2 && nodeCpus == null) {
            return new Pinning(null, null, "not pinned: one CPU");
        }
        if (!tasksetWorks()) {
            return new Pinning(null, null, "not pinned: taskset is missing");
        }
        String nodes = nodeCpus != null ? nodeCpus : range(0, cpus / 2);
        String load = loadCpus != null ? loadCpus : range(cpus / 2, cpus);
        return new Pinning(nodes, load, "nodes on CPUs " + nodes + ", load generators and Redis on CPUs " + load);
    }

    private static String range(int from, int to) {
        return to - from == 1 ? Integer.toString(from) : from + "-" + (to - 1);
    }

    private static boolean tasksetWorks() {
        try {
            Process p = new ProcessBuilder("taskset", "-c", "0", "true")
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public boolean enabled() {
        return nodeCpus != null;
    }

    /** Where nodes under test run (Switchboard and peer nodes). */
    public Cpus nodes() {
        return new Cpus(nodeCpus);
    }

    /** Where load generators, Redis and other helpers run. */
    public Cpus load() {
        return new Cpus(loadCpus);
    }

    /** For the log and the report's parameters. */
    public String describe() {
        return note;
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object().put("enabled", enabled()).put("note", note);
        if (enabled()) {
            o.put("nodeCpus", nodeCpus).put("loadgenCpus", loadCpus).put("redisCpus", loadCpus);
        }
        return o;
    }
}
