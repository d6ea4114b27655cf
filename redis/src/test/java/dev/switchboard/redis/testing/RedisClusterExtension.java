package dev.switchboard.redis.testing;

import static dev.switchboard.redis.testing.RedisServerExtension.HOST;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.CommandArgs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Redis Cluster per test class: six {@code redis-server} processes on free loopback ports,
 * three primaries with one replica each, created by {@code redis-cli --cluster create}. Tests kill
 * and restart nodes, wait for failovers and move slots while traffic flows. Never a mock.
 *
 * <p>The binaries are {@code $REDIS_SERVER} and {@code $REDIS_CLI}, else {@code redis-server} and
 * {@code redis-cli} on the {@code PATH}. Without them the class is skipped with the reason printed,
 * except in CI ({@code CI=true}) where it fails. Each node runs in its own temp dir, its output in
 * {@code redis.log} there; the logs are printed whenever the cluster does not become what a method
 * waits for. Nodes run with:
 *
 * <ul>
 *   <li>{@code --cluster-node-timeout 1000}: a killed primary is failed over in about 2-3 s (the
 *       timeout, then the failure report gossip, then the replica's election delay).
 *   <li>{@code --cluster-replica-validity-factor 0}: a replica always stands for election, however
 *       long it was cut off from its primary, so a failover never stalls on stale replicas.
 *   <li>{@code --cluster-require-full-coverage no}: while one shard has no primary, the other shards
 *       keep serving, as a production cluster configured for partial availability does; a test can
 *       check that only the channels of the failed shard are affected. Since {@code cluster_state}
 *       then stays {@code ok} during the outage, {@link #awaitFailover} and {@link #awaitHealthy}
 *       check the slot owners themselves.
 *   <li>{@code --cluster-allow-reads-when-down no} (the default): a node that considers the cluster
 *       down answers nothing, not stale reads.
 *   <li>{@code --repl-diskless-sync-delay 0}: a (re)joining replica syncs at once, not after the
 *       default 5 s wait for more replicas.
 *   <li>{@code --save '' --appendonly no}: no persistence; a killed node comes back empty and
 *       resyncs from its primary. It keeps its {@code nodes-<port>.conf}, hence its id.
 * </ul>
 *
 * <pre>{@code
 * @RegisterExtension
 * static RedisClusterExtension cluster = RedisClusterExtension.create();
 *
 * @Test
 * void survivesAFailover() {
 *     int slot = RedisClusterExtension.slotOf("news");   // the slot of sb:stream:{news}
 *     ClusterNode old = cluster.primaryOfSlot(slot);
 *     cluster.kill(old);                                  // SIGKILL, as a crash
 *     ClusterNode promoted = cluster.awaitFailover(slot, old, Duration.ofSeconds(10));
 *     ...
 * }
 *
 * @Test
 * void survivesAReshard() {
 *     String channel = RedisClusterExtension.channelInSlot("busy", 42);
 *     ClusterNode to = cluster.primaries().stream().filter(p -> !p.equals(cluster.primaryOfSlot(42))).findFirst().get();
 *     CompletableFuture<Duration> move = CompletableFuture.supplyAsync(() -> cluster.reshardSlot(42, to));
 *     ... publish to channel while it moves ...
 *     move.join();
 * }
 * }</pre>
 *
 * <p>{@code @Nested} test classes share their enclosing class's cluster (the suites of
 * {@code RedisClusterContractIT}), so one cluster serves them all.
 *
 * <p>Before each test every dead node (a previous test killed it) is restarted on its port and dir,
 * and the cluster is awaited healthy: all slots served by live primaries that every node agrees on,
 * {@code cluster_state:ok} everywhere, every replica linked. The cluster is not rebuilt, so roles
 * may have changed since the start: a restarted former primary rejoins as a replica. The processes
 * are destroyed after the class, and by a JVM shutdown hook should the JVM exit first.
 */
public final class RedisClusterExtension
        implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback, RedisUnderTest {

    /** Number of {@code redis-server} processes: three primaries, one replica each. */
    public static final int NODES = 6;
    /** Replicas per primary, as passed to {@code redis-cli --cluster create}. */
    public static final int REPLICAS_PER_PRIMARY = 1;
    /** Hash slots of a Redis Cluster. */
    public static final int SLOTS = 16384;
    /** {@code cluster-node-timeout}: how long a node may be unreachable before it is failed over. */
    public static final Duration NODE_TIMEOUT = Duration.ofMillis(1000);
    /** How long {@code redis-cli --cluster create} may take. */
    public static final Duration CREATE_TIMEOUT = Duration.ofSeconds(30);
    /** How long the cluster may take to become healthy after it is created or a node restarted. */
    public static final Duration HEALTHY_TIMEOUT = Duration.ofSeconds(30);
    /** How long {@link #reshardSlot} may take, the keys' migration and its propagation included. */
    public static final Duration RESHARD_TIMEOUT = Duration.ofSeconds(30);
    /** Keys moved by one {@code MIGRATE} of {@link #reshardSlot} (redis-cli's default pipeline is 10). */
    static final int MIGRATE_BATCH = 100;
    /** Timeout of one {@code MIGRATE}, in the command itself. */
    static final Duration MIGRATE_TIMEOUT = Duration.ofSeconds(5);
    /** Delay between two probes of the cluster's state. */
    static final Duration PROBE_DELAY = Duration.ofMillis(50);
    /** Lines of each node's log printed on a failure. */
    static final int LOG_TAIL_LINES = 60;
    /** File in the root temp dir receiving {@code redis-cli --cluster create}'s output. */
    static final String CREATE_LOG = "cluster-create.log";
    /** Names tried by {@link #channelInSlot} before giving up; ~16384 are needed on average. */
    static final int CHANNEL_ATTEMPTS = 2_000_000;

    private final Thread shutdownHook = new Thread(this::destroyProcesses, "redis-cluster-test-cleanup");
    /** Filled by beforeAll, read by the shutdown hook too. */
    private final List<ClusterNode> nodes = new CopyOnWriteArrayList<>();

    private Path root;
    private String binary;
    private RedisClient helper;
    private volatile Duration lastFailover;

    private final String password;

    private RedisClusterExtension(String password) {
        this.password = password;
    }

    /** A cluster of {@value #NODES} nodes without persistence. */
    public static RedisClusterExtension create() {
        return new RedisClusterExtension(null);
    }

    /**
     * A cluster whose nodes require {@code password} ({@code requirepass}, and {@code masterauth}
     * for their replicas); {@link #url()} carries it. {@link #reshardSlot} passes it to
     * {@code MIGRATE}.
     */
    public static RedisClusterExtension withPassword(String password) {
        return new RedisClusterExtension(java.util.Objects.requireNonNull(password, "password"));
    }

    @Override
    public synchronized void beforeAll(ExtensionContext context) throws IOException {
        if (RedisServerExtension.nested(context)) {
            return; // @Nested classes share their enclosing class's cluster
        }
        binary = RedisServerExtension.binaryOrSkip();
        String cli = RedisServerBinary.orSkip(
                RedisServerBinary.findCli(), RedisServerBinary.CLI_ENV, RedisServerBinary.CLI_NAME);
        root = Files.createTempDirectory("switchboard-redis-cluster-");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            for (int i = 1; i <= NODES; i++) {
                nodes.add(launchNew(root.resolve("node" + i)));
            }
            createCluster(cli);
            awaitHealthy(HEALTHY_TIMEOUT);
            for (ClusterNode n : nodes) {
                n.id((String) command(n, "CLUSTER", "MYID"));
            }
        } catch (RuntimeException | Error e) {
            destroyProcesses();
            throw e;
        }
    }

    @Override
    public synchronized void beforeEach(ExtensionContext context) {
        if (root == null) {
            return;
        }
        boolean restarted = false;
        for (ClusterNode n : nodes) {
            if (!n.isRunning()) {
                System.out.println(
                        "cluster node " + n + " was down before " + context.getDisplayName() + "; restarting it");
                start(n);
                restarted = true;
            }
        }
        long t0 = System.nanoTime();
        awaitHealthy(HEALTHY_TIMEOUT);
        if (restarted) {
            System.out.println(
                    "cluster healthy again " + (System.nanoTime() - t0) / 1_000_000 + " ms after the restart");
        }
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        if (RedisServerExtension.nested(context)) {
            return;
        }
        // Killed and gone before the dirs are deleted: a live node may still write its nodes.conf.
        nodes.forEach(this::kill);
        if (helper != null) {
            helper.shutdown(0, 1, TimeUnit.SECONDS);
            helper = null;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down; the hook runs anyway.
        }
        if (root != null) {
            try {
                RedisServerExtension.deleteTree(root);
            } catch (IOException e) {
                System.err.println("could not delete " + root + ": " + e);
            }
        }
    }

    /**
     * {@code redis+cluster://127.0.0.1:<p1>,127.0.0.1:<p2>,...}: every node as a seed, so a client
     * connects even while some are down.
     */
    @Override
    public String url() {
        String auth = password == null ? "" : ":" + password + "@";
        return "redis+cluster://" + auth
                + nodes.stream().map(ClusterNode::hostAndPort).collect(Collectors.joining(","));
    }

    /** The six nodes, in the order they were started (the first three were the first primaries). */
    public List<ClusterNode> nodes() {
        return List.copyOf(nodes);
    }

    /**
     * The nodes that currently serve slots, per the cluster's view ({@code CLUSTER NODES} on a live
     * node), the one owning the lowest slot first. A killed primary stays listed until its replica
     * is promoted.
     */
    public List<ClusterNode> primaries() {
        return view().primaries().stream().map(e -> node(e.id())).toList();
    }

    /** The node currently serving the slot, per the cluster's view. */
    public ClusterNode primaryOfSlot(int slot) {
        String owner = view().ownerOf(checkSlot(slot));
        if (owner == null) {
            throw new IllegalStateException("slot " + slot + " is not assigned");
        }
        return node(owner);
    }

    /**
     * The lowest slot the primary serves, or -1 if it serves none: the slot {@code redis-cli
     * --cluster reshard --cluster-from <id> --cluster-slots 1} would move.
     */
    public int lowestSlotOf(ClusterNode primary) {
        return view().byId(primary.id()).map(e -> e.slots().nextSetBit(0)).orElse(-1);
    }

    /**
     * The hash slot of a key, per the Redis Cluster spec: CRC16 (XMODEM) of its UTF-8 bytes modulo
     * {@value #SLOTS}, of only the bytes between the first <code>{</code> and the first <code>}</code>
     * after it when that hash tag is not empty. The engine's keys are {@code sb:stream:{CHANNEL}}
     * and alike, so a channel without <code>}</code> lives in {@code slotOf(CHANNEL)}.
     */
    public static int slotOf(String key) {
        byte[] b = key.getBytes(StandardCharsets.UTF_8);
        int from = 0;
        int to = b.length;
        for (int open = 0; open < b.length; open++) {
            if (b[open] == '{') {
                for (int close = open + 1; close < b.length; close++) {
                    if (b[close] == '}') {
                        if (close > open + 1) {
                            from = open + 1;
                            to = close;
                        }
                        break;
                    }
                }
                break;
            }
        }
        return crc16(b, from, to) & (SLOTS - 1);
    }

    /**
     * {@code prefix + n} for the smallest {@code n >= 0} whose {@link #slotOf} is the slot: a
     * channel whose keys ({@code sb:stream:{prefix+n}} ...) live in that slot, or a plain key in it.
     * The prefix must not contain <code>{</code> or <code>}</code>.
     */
    public static String channelInSlot(String prefix, int slot) {
        checkSlot(slot);
        if (prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
            throw new IllegalArgumentException("prefix with a hash tag brace: " + prefix);
        }
        for (int n = 0; n < CHANNEL_ATTEMPTS; n++) {
            String name = prefix + n;
            if (slotOf(name) == slot) {
                return name;
            }
        }
        throw new IllegalStateException("no " + prefix + "<n> in slot " + slot + " among " + CHANNEL_ATTEMPTS);
    }

    /** Kills the node with SIGKILL, as a crash. Returns once the process exited. */
    public synchronized void kill(ClusterNode node) {
        Process p = node.process();
        if (p != null && p.isAlive()) {
            p.destroyForcibly();
            node.killedAtNanos(System.nanoTime());
            try {
                if (!p.waitFor(RedisServerExtension.STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("redis-server pid " + p.pid() + " did not exit");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Starts a killed node again on its port and dir, with its {@code nodes-<port>.conf}: it rejoins
     * the cluster as the cluster decides (a failed-over primary comes back as a replica of its
     * successor). Does nothing if it runs. Returns once it answers PING, not once the cluster is
     * healthy: see {@link #awaitHealthy}.
     */
    public synchronized void start(ClusterNode node) {
        if (!node.isRunning()) {
            node.process(launch(node.port(), node.busPort(), node.dir()));
        }
    }

    /**
     * Waits until a replica was promoted in place of {@code oldPrimary} for the slot: every live node
     * says the slot is served by the same live node other than {@code oldPrimary}, and says {@code
     * cluster_state:ok}. Prints how long it took since the kill; {@link #lastFailoverTime()} tells too.
     *
     * @return the new primary of the slot
     */
    public ClusterNode awaitFailover(int slot, ClusterNode oldPrimary, Duration timeout) {
        checkSlot(slot);
        long t0 = System.nanoTime();
        long deadline = t0 + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            Map<ClusterNode, NodeState> states = probe();
            Set<String> owners = states.values().stream()
                    .map(s -> String.valueOf(s.view.ownerOf(slot)))
                    .collect(Collectors.toSet());
            String owner = owners.size() == 1 ? owners.iterator().next() : null;
            boolean agreed = owner != null
                    && !owner.equals("null")
                    && !owner.equals(oldPrimary.id())
                    && states.values().stream().allMatch(NodeState::stateOk);
            last = describe(states);
            if (agreed && node(owner).isRunning()) {
                long since = oldPrimary.killedAtNanos() != 0 ? oldPrimary.killedAtNanos() : t0;
                lastFailover = Duration.ofNanos(System.nanoTime() - since);
                ClusterNode promoted = node(owner);
                System.out.println("slot " + slot + ": " + promoted + " promoted in place of " + oldPrimary + " "
                        + lastFailover.toMillis() + " ms after the kill (waited "
                        + (System.nanoTime() - t0) / 1_000_000 + " ms)");
                return promoted;
            }
            RedisServerExtension.sleep(PROBE_DELAY);
        }
        throw failure("no replica promoted for slot " + slot + " in place of " + oldPrimary + " within "
                + timeout.toMillis() + " ms; last state:\n" + last);
    }

    /** How long the last {@link #awaitFailover} took, from the kill of the old primary; null before. */
    public Duration lastFailoverTime() {
        return lastFailover;
    }

    /**
     * Moves exactly this slot, with its keys, to the primary {@code to}, the way {@code redis-cli
     * --cluster reshard} moves each slot (which cannot name a slot itself): {@code CLUSTER SETSLOT
     * IMPORTING} on the target, {@code MIGRATING} on the source, {@code MIGRATE ... KEYS} in batches
     * of {@value #MIGRATE_BATCH} until the source holds none, then {@code SETSLOT NODE} on the target,
     * the source and every other primary. Clients keep writing meanwhile: keys not yet moved are
     * served by the source, the others by the target after an {@code ASK} redirection. Returns once
     * every live node says {@code to} serves the slot. Safe to call from a background thread.
     *
     * @return how long the move took
     */
    public Duration reshardSlot(int slot, ClusterNode to) {
        checkSlot(slot);
        long t0 = System.nanoTime();
        long deadline = t0 + RESHARD_TIMEOUT.toNanos();
        ClusterView view = view();
        String fromId = view.ownerOf(slot);
        if (fromId == null) {
            throw new IllegalStateException("slot " + slot + " is not assigned");
        }
        if (fromId.equals(to.id())) {
            return Duration.ZERO;
        }
        if (view.byId(to.id()).filter(ClusterView.Entry::master).isEmpty()) {
            throw new IllegalArgumentException(to + " is not a primary");
        }
        ClusterNode from = node(fromId);
        String s = Integer.toString(slot);
        long moved = 0;
        try (StatefulRedisConnection<String, String> source = connect(from);
                StatefulRedisConnection<String, String> target = connect(to)) {
            dispatch(target.sync(), "CLUSTER", "SETSLOT", s, "IMPORTING", from.id());
            dispatch(source.sync(), "CLUSTER", "SETSLOT", s, "MIGRATING", to.id());
            while (true) {
                @SuppressWarnings("unchecked")
                List<String> keys = (List<String>)
                        dispatch(source.sync(), "CLUSTER", "GETKEYSINSLOT", s, Integer.toString(MIGRATE_BATCH));
                if (keys.isEmpty()) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw failure("slot " + slot + " still holds keys on " + from + " after "
                            + RESHARD_TIMEOUT.toMillis() + " ms");
                }
                List<String> migrate = new ArrayList<>(List.of(
                        "MIGRATE",
                        HOST,
                        Integer.toString(to.port()),
                        "",
                        "0",
                        Long.toString(MIGRATE_TIMEOUT.toMillis())));
                if (password != null) {
                    migrate.addAll(List.of("AUTH", password));
                }
                migrate.add("KEYS");
                migrate.addAll(keys);
                dispatch(source.sync(), migrate.toArray(String[]::new));
                moved += keys.size();
            }
            dispatch(target.sync(), "CLUSTER", "SETSLOT", s, "NODE", to.id());
            dispatch(source.sync(), "CLUSTER", "SETSLOT", s, "NODE", to.id());
        }
        for (ClusterView.Entry p : view.primaries()) {
            ClusterNode other = node(p.id());
            if (other != from && other != to && other.isRunning()) {
                command(other, "CLUSTER", "SETSLOT", s, "NODE", to.id());
            }
        }
        String last = "";
        while (System.nanoTime() < deadline) {
            Map<ClusterNode, NodeState> states = probe();
            boolean everywhere = true;
            for (NodeState st : states.values()) {
                everywhere &= to.id().equals(st.view.ownerOf(slot))
                        && st.view.myself().map(e -> !e.openSlots()).orElse(false);
            }
            if (everywhere) {
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                System.out.println("slot " + slot + " moved from " + from + " to " + to + " with " + moved + " keys in "
                        + took.toMillis() + " ms");
                return took;
            }
            last = describe(states);
            RedisServerExtension.sleep(PROBE_DELAY);
        }
        throw failure("slot " + slot + " not served by " + to + " everywhere within " + RESHARD_TIMEOUT.toMillis()
                + " ms; last state:\n" + last);
    }

    /**
     * Deletes every key: {@code FLUSHALL} on every live primary, then waits (1 s at most) for its
     * replica to apply it.
     */
    @Override
    public void flushAll() {
        for (ClusterNode p : primaries()) {
            if (!p.isRunning()) {
                continue;
            }
            withNode(p, r -> {
                r.flushall();
                return r.waitForReplication(REPLICAS_PER_PRIMARY, 1000);
            });
        }
    }

    /** Drops every pub/sub connection ({@code CLIENT KILL TYPE pubsub}) on every live node; returns how many. */
    @Override
    public long clientKillPubSub() {
        long killed = 0;
        for (ClusterNode n : nodes) {
            if (n.isRunning()) {
                killed += (Long) command(n, "CLIENT", "KILL", "TYPE", "pubsub");
            }
        }
        return killed;
    }

    /**
     * Runs one command on one node, on a fresh connection, and returns its reply as {@link
     * RedisServerExtension#command} does. No redirection is followed: a key of another node's slot
     * gets a {@code MOVED} error.
     */
    public Object command(ClusterNode node, String... args) {
        return withNode(node, r -> dispatch(r, args));
    }

    /**
     * Typed sync commands on a fresh connection to one node. A connection that drops between its
     * handshake and the first command (seen once in CI, as Lettuce's "Currently not connected") is
     * opened again, up to {@value #FRESH_CONNECTION_ATTEMPTS} times; any other error is the test's.
     */
    public <T> T withNode(ClusterNode node, Function<RedisCommands<String, String>, T> body) {
        for (int attempt = 1; ; attempt++) {
            try (StatefulRedisConnection<String, String> c = connect(node)) {
                return body.apply(c.sync());
            } catch (io.lettuce.core.RedisException e) {
                boolean dropped = String.valueOf(e.getMessage()).startsWith("Currently not connected");
                if (!dropped || attempt >= FRESH_CONNECTION_ATTEMPTS) {
                    throw e;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** How many fresh connections {@link #withNode} opens for one command at most. */
    static final int FRESH_CONNECTION_ATTEMPTS = 3;

    /**
     * CPU the node used since it started, in seconds: {@code used_cpu_sys + used_cpu_user} of {@code
     * INFO CPU}. The difference over a run is the Redis CPU a shard spent on it.
     */
    public double cpuSeconds(ClusterNode node) {
        Map<String, String> cpu = fields((String) command(node, "INFO", "CPU"));
        return Double.parseDouble(cpu.get("used_cpu_sys")) + Double.parseDouble(cpu.get("used_cpu_user"));
    }

    /**
     * Waits until the cluster is healthy: every node runs and says {@code cluster_state:ok}, all
     * {@value #SLOTS} slots assigned and ok, {@value #NODES} nodes known, none flagged failing, no
     * slot migrating; all agree on which primary serves which slot; every replica's link to its
     * primary is up.
     *
     * @throws IllegalStateException with the last state seen and the nodes' logs, on timeout
     */
    public void awaitHealthy(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (true) {
            Map<ClusterNode, NodeState> states = probe();
            String problem = healthProblem(states);
            if (problem == null) {
                return;
            }
            last = problem + "\n" + describe(states);
            if (System.nanoTime() >= deadline) {
                throw failure("cluster not healthy within " + timeout.toMillis() + " ms: " + last);
            }
            RedisServerExtension.sleep(PROBE_DELAY);
        }
    }

    /** The tail of every node's log, and redis-cli's output. */
    public String logs() {
        StringBuilder b = new StringBuilder();
        for (ClusterNode n : nodes) {
            b.append("---- ")
                    .append(n)
                    .append(", ")
                    .append(n.dir().resolve(RedisServerExtension.LOG_FILE))
                    .append(":\n");
            b.append(tail(n.dir().resolve(RedisServerExtension.LOG_FILE)));
        }
        if (root != null && Files.exists(root.resolve(CREATE_LOG))) {
            b.append("---- redis-cli --cluster create:\n").append(tail(root.resolve(CREATE_LOG)));
        }
        return b.toString();
    }

    /** What one node says about the cluster. */
    private record NodeState(Map<String, String> info, ClusterView view, Map<String, String> replication) {

        boolean stateOk() {
            return "ok".equals(info.get("cluster_state"));
        }
    }

    /** A reason the cluster is not healthy yet, or null if it is. */
    private String healthProblem(Map<ClusterNode, NodeState> states) {
        for (ClusterNode n : nodes) {
            if (!n.isRunning()) {
                return n + " is down";
            }
            if (!states.containsKey(n)) {
                return n + " does not answer";
            }
        }
        String slotMap = null;
        for (Map.Entry<ClusterNode, NodeState> e : states.entrySet()) {
            ClusterNode n = e.getKey();
            NodeState s = e.getValue();
            if (!s.stateOk()) {
                return n + " says cluster_state:" + s.info.get("cluster_state");
            }
            if (!Integer.toString(SLOTS).equals(s.info.get("cluster_slots_assigned"))
                    || !Integer.toString(SLOTS).equals(s.info.get("cluster_slots_ok"))) {
                return n + " has " + s.info.get("cluster_slots_assigned") + " slots assigned, "
                        + s.info.get("cluster_slots_ok") + " ok";
            }
            if (!Integer.toString(NODES).equals(s.info.get("cluster_known_nodes"))) {
                return n + " knows " + s.info.get("cluster_known_nodes") + " nodes";
            }
            for (ClusterView.Entry entry : s.view.entries()) {
                if (entry.failing()) {
                    return n + " flags " + entry.id() + " (port " + entry.port() + ") " + entry.flags();
                }
                if (entry.openSlots()) {
                    return n + " has a slot migrating or importing";
                }
            }
            if (slotMap == null) {
                slotMap = s.view.slotMap();
            } else if (!slotMap.equals(s.view.slotMap())) {
                return "nodes disagree on the slot map: " + slotMap + " vs " + n + ": " + s.view.slotMap();
            }
            boolean replica = s.view.myself().map(me -> !me.master()).orElse(false);
            if (replica && !"up".equals(s.replication.get("master_link_status"))) {
                return "replica " + n + " has master_link_status:" + s.replication.get("master_link_status");
            }
        }
        return null;
    }

    /** Asks every live node for its state; nodes that do not answer are left out. */
    private Map<ClusterNode, NodeState> probe() {
        Map<ClusterNode, NodeState> states = new HashMap<>();
        for (ClusterNode n : nodes) {
            if (!n.isRunning()) {
                continue;
            }
            try {
                states.put(
                        n,
                        withNode(
                                n,
                                r -> new NodeState(
                                        fields(r.clusterInfo()),
                                        ClusterView.parse(r.clusterNodes()),
                                        fields(r.info("replication")))));
            } catch (RuntimeException e) {
                // Just started or just killed: the next probe tells.
            }
        }
        return states;
    }

    private static String describe(Map<ClusterNode, NodeState> states) {
        StringBuilder b = new StringBuilder();
        states.forEach((n, s) -> b.append("  ")
                .append(n)
                .append(": cluster_state:")
                .append(s.info.get("cluster_state"))
                .append(", role:")
                .append(s.replication.get("role"))
                .append(", link:")
                .append(s.replication.getOrDefault("master_link_status", "-"))
                .append(", slots: ")
                .append(s.view.slotMap())
                .append('\n'));
        return b.toString();
    }

    /**
     * The cluster as the live node with the highest {@code cluster_current_epoch} sees it: a node
     * just restarted with a stale {@code nodes.conf} may still claim slots it lost to a failover.
     */
    private ClusterView view() {
        ClusterView best = null;
        long bestEpoch = -1;
        for (NodeState s : probe().values()) {
            long epoch = Long.parseLong(s.info.getOrDefault("cluster_current_epoch", "0"));
            if (epoch > bestEpoch) {
                best = s.view;
                bestEpoch = epoch;
            }
        }
        if (best == null) {
            throw new IllegalStateException("no cluster node answers");
        }
        return best;
    }

    private ClusterNode node(String id) {
        return nodes.stream()
                .filter(n -> id.equals(n.id()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("unknown node id " + id));
    }

    /** Starts a node on fresh free ports, retrying when another process grabbed one first. */
    private ClusterNode launchNew(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (int attempt = 1; ; attempt++) {
            int port = RedisServerExtension.freePort();
            int busPort = RedisServerExtension.freePort();
            try {
                return new ClusterNode(port, busPort, dir, launch(port, busPort, dir));
            } catch (IllegalStateException e) {
                if (attempt >= RedisServerExtension.PORT_ATTEMPTS
                        || !e.getMessage().contains("Address already in use")) {
                    throw e;
                }
            }
        }
    }

    private Process launch(int port, int busPort, Path dir) {
        List<String> cmd = new ArrayList<>(List.of(
                binary,
                "--port",
                Integer.toString(port),
                "--bind",
                HOST,
                "--dir",
                dir.toString(),
                "--daemonize",
                "no",
                "--save",
                "",
                "--appendonly",
                "no",
                "--cluster-enabled",
                "yes",
                "--cluster-port",
                Integer.toString(busPort),
                "--cluster-config-file",
                "nodes-" + port + ".conf",
                "--cluster-node-timeout",
                Long.toString(NODE_TIMEOUT.toMillis()),
                "--cluster-replica-validity-factor",
                "0",
                "--cluster-require-full-coverage",
                "no",
                "--cluster-allow-reads-when-down",
                "no",
                "--repl-diskless-sync-delay",
                "0"));
        if (password != null) {
            cmd.addAll(List.of("--requirepass", password, "--masterauth", password));
        }
        Path log = dir.resolve(RedisServerExtension.LOG_FILE);
        Process p;
        try {
            p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + binary + ": " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + RedisServerExtension.START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && p.isAlive()) {
            if (RedisServerExtension.pings(port)) {
                return p;
            }
            RedisServerExtension.sleep(RedisServerExtension.PROBE_DELAY);
        }
        p.destroyForcibly();
        String text = tail(log);
        System.err.println("redis-server did not start on port " + port + "; its log:\n" + text);
        throw new IllegalStateException("redis-server did not answer PING on port " + port + " within "
                + RedisServerExtension.START_TIMEOUT.toSeconds() + " s; its log:\n" + text);
    }

    private void createCluster(String cli) {
        List<String> cmd = new ArrayList<>(List.of(cli, "--cluster", "create"));
        nodes.forEach(n -> cmd.add(n.hostAndPort()));
        cmd.addAll(List.of("--cluster-replicas", Integer.toString(REPLICAS_PER_PRIMARY), "--cluster-yes"));
        if (password != null) {
            cmd.addAll(List.of("-a", password, "--no-auth-warning"));
        }
        Path out = root.resolve(CREATE_LOG);
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            if (!p.waitFor(CREATE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw failure("redis-cli --cluster create did not finish within " + CREATE_TIMEOUT.toSeconds() + " s");
            }
            if (p.exitValue() != 0) {
                throw failure("redis-cli --cluster create exited with " + p.exitValue());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + cli + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the cluster", e);
        }
    }

    /** Prints the logs and returns the exception to throw. */
    private IllegalStateException failure(String message) {
        String logs = logs();
        System.err.println(message + "\n" + logs);
        return new IllegalStateException(message + "\n" + logs);
    }

    private StatefulRedisConnection<String, String> connect(ClusterNode node) {
        RedisURI.Builder uri = RedisURI.builder()
                .withHost(HOST)
                .withPort(node.port())
                .withTimeout(RedisServerExtension.COMMAND_TIMEOUT);
        if (password != null) {
            uri.withPassword(password.toCharArray());
        }
        return helper().connect(StringCodec.UTF8, uri.build());
    }

    private synchronized RedisClient helper() {
        if (helper == null) {
            helper = RedisClient.create();
            helper.setOptions(RedisServerExtension.helperOptions());
        }
        return helper;
    }

    private static Object dispatch(RedisCommands<String, String> r, String... args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("no command");
        }
        CommandArgs<String, String> rest = new CommandArgs<>(StringCodec.UTF8);
        for (int i = 1; i < args.length; i++) {
            rest.add(args[i]);
        }
        return r.dispatch(RedisServerExtension.keyword(args[0]), new RedisReplyOutput(), rest);
    }

    /** {@code name:value} lines (INFO, CLUSTER INFO) as a map. */
    private static Map<String, String> fields(String text) {
        Map<String, String> m = new HashMap<>();
        for (String line : text.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                m.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return m;
    }

    private static String tail(Path file) {
        try {
            if (!Files.exists(file)) {
                return "(no log)\n";
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            List<String> last = lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
            return String.join("\n", last) + "\n";
        } catch (IOException | UncheckedIOException e) {
            return "(unreadable log: " + e + ")\n";
        }
    }

    /** CRC16-CCITT (XMODEM: polynomial 0x1021, initial 0), as Redis's {@code crc16.c}. */
    private static int crc16(byte[] b, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) {
            crc ^= (b[i] & 0xff) << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
        }
        return crc & 0xffff;
    }

    private static int checkSlot(int slot) {
        if (slot < 0 || slot >= SLOTS) {
            throw new IllegalArgumentException("slot " + slot + " not in [0, " + SLOTS + ")");
        }
        return slot;
    }

    private void destroyProcesses() {
        for (ClusterNode n : nodes) {
            Process p = n.process();
            if (p != null) {
                p.destroyForcibly();
            }
        }
    }
}
