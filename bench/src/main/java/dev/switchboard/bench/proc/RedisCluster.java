package dev.switchboard.bench.proc;

import dev.switchboard.bench.BenchContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A private Redis Cluster on loopback: {@code shards} primaries with one replica each, no
 * persistence, created by {@code redis-cli --cluster create ... --cluster-replicas 1}. For
 * measuring, not for fault tests (those use the redis module's test fixture).
 */
public final class RedisCluster implements AutoCloseable {

    /** One redis-server of the cluster. */
    public record Member(String name, int port, Managed process) {}

    /** A primary and its replica (null if it has none), as the cluster placed them. */
    public record Shard(Member primary, Member replica) {}

    private final List<Member> members;

    private RedisCluster(List<Member> members) {
        this.members = members;
    }

    public static RedisCluster start(BenchContext ctx, String scenario, int shards, long maxSeconds)
            throws IOException, InterruptedException {
        String bin = System.getenv().getOrDefault("REDIS_SERVER", "redis-server");
        String cli = System.getenv().getOrDefault("REDIS_CLI", "redis-cli");
        Path root = ctx.runDir().resolve("redis-cluster-" + scenario);
        deleteTree(root);
        List<Member> members = new ArrayList<>();
        try {
            for (int i = 1; i <= shards * 2; i++) {
                int port = BenchContext.freePort();
                Path dir = root.resolve("node" + i);
                Files.createDirectories(dir);
                String name = "redis-cluster-" + i;
                Managed m = Managed.start(
                        name,
                        List.of(
                                bin,
                                "--port",
                                Integer.toString(port),
                                "--bind",
                                "127.0.0.1",
                                "--dir",
                                dir.toString(),
                                "--cluster-enabled",
                                "yes",
                                "--cluster-config-file",
                                "nodes.conf",
                                "--cluster-node-timeout",
                                "1000",
                                "--save",
                                "",
                                "--appendonly",
                                "no",
                                "--protected-mode",
                                "no",
                                "--maxclients",
                                "10000",
                                "--repl-diskless-sync-delay",
                                "0",
                                "--client-output-buffer-limit",
                                "pubsub",
                                "256mb",
                                "128mb",
                                "60"),
                        Map.of(),
                        dir,
                        ctx.logs(scenario).resolve(name + ".log"),
                        maxSeconds,
                        false,
                        ctx.pinning().load());
                members.add(new Member(name, port, m));
            }
            for (Member m : members) {
                awaitPing(m);
            }
            List<String> cmd = new ArrayList<>(List.of(cli, "--cluster", "create"));
            members.forEach(m -> cmd.add("127.0.0.1:" + m.port()));
            cmd.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
            Path out = ctx.logs(scenario).resolve("redis-cluster-create.log");
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("redis-cli --cluster create did not finish in 60 s (see " + out + ")");
            }
            if (p.exitValue() != 0) {
                throw new IOException("redis-cli --cluster create exited with " + p.exitValue() + " (see " + out + ")");
            }
            RedisCluster c = new RedisCluster(members);
            c.awaitHealthy(30_000);
            return c;
        } catch (IOException | InterruptedException | RuntimeException e) {
            members.forEach(m -> m.process().stop(2000));
            throw e;
        }
    }

    private static void awaitPing(Member m) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!RedisServer.ping(m.port())) {
            if (!m.process().isAlive() || System.currentTimeMillis() > deadline) {
                throw new IOException(
                        m.name() + " did not start (see " + m.process().log() + ")");
            }
            Thread.sleep(50);
        }
    }

    /** Every node says cluster_state:ok with all slots ok and every node known; every replica's link is up. */
    private void awaitHealthy(long millis) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            last = problem();
            if (last == null) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IOException("redis cluster not healthy in " + millis + " ms: " + last);
    }

    private String problem() throws IOException {
        for (Member m : members) {
            Map<String, String> ci = RedisCli.fields((String) RedisCli.command(m.port(), "CLUSTER", "INFO"));
            if (!"ok".equals(ci.get("cluster_state"))
                    || !"16384".equals(ci.get("cluster_slots_ok"))
                    || !Integer.toString(members.size()).equals(ci.get("cluster_known_nodes"))) {
                return m.name() + ": " + ci;
            }
            Map<String, String> r = RedisCli.info(m.port(), "replication");
            if ("slave".equals(r.get("role")) && !"up".equals(r.get("master_link_status"))) {
                return m.name() + ": replica link " + r.get("master_link_status");
            }
        }
        return null;
    }

    /** The shards, each primary with its replica, ordered by the primary's first slot. */
    public List<Shard> shards() throws IOException {
        List<Shard> out = new ArrayList<>();
        for (Member m : members) {
            Map<String, String> r = RedisCli.info(m.port(), "replication");
            if (!"master".equals(r.get("role"))) {
                continue;
            }
            Member replica = null;
            for (Member x : members) {
                Map<String, String> rx = RedisCli.info(x.port(), "replication");
                if ("slave".equals(rx.get("role")) && Integer.toString(m.port()).equals(rx.get("master_port"))) {
                    replica = x;
                }
            }
            out.add(new Shard(m, replica));
        }
        out.sort(Comparator.comparingLong(s -> firstSlot(s.primary())));
        return out;
    }

    private static long firstSlot(Member m) {
        try {
            for (String line : ((String) RedisCli.command(m.port(), "CLUSTER", "NODES")).split("\n")) {
                String[] f = line.split(" ");
                if (f.length > 8 && f[2].contains("myself")) {
                    return Long.parseLong(f[8].split("-")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown: last
        }
        return Long.MAX_VALUE;
    }

    public List<Member> members() {
        return members;
    }

    /** {@code redis+cluster://127.0.0.1:<p1>,...}: every node a seed. */
    public String url() {
        return "redis+cluster://"
                + members.stream().map(m -> "127.0.0.1:" + m.port()).collect(Collectors.joining(","));
    }

    @Override
    public void close() {
        members.parallelStream().forEach(m -> m.process().stop(3000));
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
