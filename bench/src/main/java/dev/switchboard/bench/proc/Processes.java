package dev.switchboard.bench.proc;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Every child the bench started, killed (with its own children) when the bench JVM exits. */
public final class Processes {

    private static final List<Process> ALL = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            for (Process p : ALL) {
                                if (p.isAlive()) {
                                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                                    p.destroyForcibly();
                                }
                            }
                        },
                        "bench-children-reaper"));
    }

    private Processes() {}

    static void register(Process p) {
        ALL.add(p);
        ALL.removeIf(x -> !x.isAlive() && x != p);
    }
}
