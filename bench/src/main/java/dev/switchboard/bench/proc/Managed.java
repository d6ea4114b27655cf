package dev.switchboard.bench.proc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A child process started by the bench (a node, Redis, a peer, a load generator). It runs under
 * {@code timeout}, so it stops by itself even if the bench dies; {@link #pid()} is the real
 * program's pid (the child of {@code timeout}), whose CPU and memory the bench reads.
 */
public final class Managed implements AutoCloseable {

    private final String name;
    private final Process process;
    private final long pid;
    private final Path log;

    private Managed(String name, Process process, long pid, Path log) {
        this.name = name;
        this.process = process;
        this.pid = pid;
        this.log = log;
    }

    /**
     * Starts {@code command} on {@code cpus}: {@code timeout ... taskset -c <set> command} (both
     * exec the next program, so the child of {@code timeout} is still the real program). Every
     * child of the bench starts here, so this is the one place pinning is applied.
     *
     * @param log where stdout and stderr go; with {@code pipeStdout} only stderr, stdout is piped
     * @param maxSeconds the process is sent SIGTERM after this, SIGKILL 5 s later
     * @param cpus where it runs ({@link Pinning.Cpus#ANY}: anywhere)
     */
    public static Managed start(
            String name,
            List<String> command,
            Map<String, String> env,
            Path workDir,
            Path log,
            long maxSeconds,
            boolean pipeStdout,
            Pinning.Cpus cpus)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of("timeout", "--kill-after=5", maxSeconds + "s"));
        cmd.addAll(cpus.wrap(command));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        pb.environment().putAll(env);
        log.getParent().toFile().mkdirs();
        if (pipeStdout) {
            pb.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        } else {
            pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.redirectInput(ProcessBuilder.Redirect.PIPE);
        }
        Process p = pb.start();
        Processes.register(p);
        long pid = p.pid();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            Optional<ProcessHandle> child = p.children().findFirst();
            if (child.isPresent()) {
                pid = child.get().pid();
                break;
            }
            if (!p.isAlive()) {
                break;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return new Managed(name, p, pid, log);
    }

    public String name() {
        return name;
    }

    public long pid() {
        return pid;
    }

    public Process process() {
        return process;
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long cpuTicks() {
        return ProcStat.cpuTicks(pid);
    }

    /** CPU ticks of this process's JIT compiler threads (0 for a process that is not a JVM). */
    public long jitTicks() {
        return ProcStat.jitTicks(pid);
    }

    public long rssBytes() {
        return ProcStat.rssBytes(pid);
    }

    /** SIGTERM (forwarded by {@code timeout}), then SIGKILL after {@code graceMillis}. */
    public void stop(long graceMillis) {
        if (!process.isAlive()) {
            return;
        }
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop(8000);
    }
}
