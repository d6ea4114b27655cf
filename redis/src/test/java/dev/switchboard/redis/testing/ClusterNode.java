package dev.switchboard.redis.testing;

import java.nio.file.Path;

/**
 * One {@code redis-server} of a {@link RedisClusterExtension}: its ports, node id and current
 * process. The port, bus port, data dir and id stay the same across kills and restarts (the node
 * keeps its {@code nodes-<port>.conf}); the role does not: ask {@link
 * RedisClusterExtension#primaries()} or {@link RedisClusterExtension#primaryOfSlot(int)}.
 */
public final class ClusterNode {

    private final int port;
    private final int busPort;
    private final Path dir;
    /** Volatile, not guarded: the shutdown hook must reach it without waiting for a lock. */
    private volatile Process process;
    /** From {@code CLUSTER MYID} once the cluster is created. */
    private volatile String id;
    /** {@link System#nanoTime()} of the last {@link RedisClusterExtension#kill}, for failover timings. */
    private volatile long killedAtNanos;

    ClusterNode(int port, int busPort, Path dir, Process process) {
        this.port = port;
        this.busPort = busPort;
        this.dir = dir;
        this.process = process;
    }

    /** The client port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** The cluster bus port ({@code --cluster-port}), chosen free like {@link #port()}. */
    public int busPort() {
        return busPort;
    }

    /** The 40-character node id ({@code CLUSTER MYID}). */
    public String id() {
        return id;
    }

    /** {@code 127.0.0.1:<port>}. */
    public String hostAndPort() {
        return RedisServerExtension.HOST + ":" + port;
    }

    /** The pid of the current process, or -1 if it never started. */
    public long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    /** Whether the process is alive. */
    public boolean isRunning() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** The node's working dir: its {@code nodes-<port>.conf} and {@code redis.log}. */
    public Path dir() {
        return dir;
    }

    Process process() {
        return process;
    }

    void process(Process p) {
        process = p;
    }

    void id(String myId) {
        id = myId;
    }

    long killedAtNanos() {
        return killedAtNanos;
    }

    void killedAtNanos(long nanos) {
        killedAtNanos = nanos;
    }

    @Override
    public String toString() {
        String shortId = id == null ? "?" : id.substring(0, Math.min(8, id.length()));
        return hostAndPort() + " (" + shortId + (isRunning() ? ", pid " + pid() : ", down") + ")";
    }
}
