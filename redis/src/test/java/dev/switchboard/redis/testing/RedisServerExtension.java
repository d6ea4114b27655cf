package dev.switchboard.redis.testing;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.ProtocolVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real {@code redis-server} process per test class, on a free loopback port, that tests kill,
 * pause and restart to exercise faults. Never a mock.
 *
 * <p>The binary is {@code $REDIS_SERVER}, else {@code redis-server} on the {@code PATH}. Without
 * one the class is skipped with the reason printed, except in CI ({@code CI=true}) where it fails.
 * The server runs with {@code --save ''} (no snapshots): a kill or stop loses everything, unless
 * created {@link #withAof()} ({@code --appendonly yes --appendfsync always}: nothing acknowledged
 * is lost). Its output goes to {@code redis.log} in its temp dir, printed if it fails to start.
 *
 * <pre>{@code
 * @RegisterExtension
 * static RedisServerExtension redis = RedisServerExtension.create();   // or withAof()
 *
 * @Test
 * void losesDataWithoutAof() {
 *     redis.command("SET", "k", "v");
 *     redis.kill();        // SIGKILL, as a crash
 *     redis.start();       // the same port again, data dir kept
 *     assertThat(redis.command("DBSIZE")).isEqualTo(0L);
 * }
 * }</pre>
 *
 * <p>A test that killed the server and failed before restarting it would fail every later test of
 * the class, so the server is restarted before each test if it is down. The process is destroyed
 * after the class, and by a JVM shutdown hook should the JVM exit first.
 */
public final class RedisServerExtension
        implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback, RedisUnderTest {

    /** How long a starting server may take to answer PING (loading an AOF included). */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    /** How long a killed or stopped process may take to exit. */
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    /** Timeout of each command sent through {@link #command} and {@link #withSync}. */
    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);
    /** Delay between two readiness probes while starting. */
    static final Duration PROBE_DELAY = Duration.ofMillis(20);
    /** Socket timeout of one readiness probe, so a wedged server cannot stall the bounded wait. */
    static final int PROBE_SOCKET_TIMEOUT_MS = 250;
    /** Free ports tried at the first start: another process may grab a free port before we bind it. */
    static final int PORT_ATTEMPTS = 3;
    /** File in the temp dir receiving the server's output, across restarts. */
    static final String LOG_FILE = "redis.log";
    /** Loopback only: tests must not expose a password-less Redis. */
    static final String HOST = "127.0.0.1";

    private final boolean aof;
    private final Thread shutdownHook = new Thread(this::destroyProcess, "redis-server-test-cleanup");
    private Path dir;
    private int port;
    /** Volatile, not guarded: the shutdown hook must reach it without waiting for a lock. */
    private volatile Process process;

    private RedisClient helper;

    private RedisServerExtension(boolean aof) {
        this.aof = aof;
    }

    /** A server without persistence: a kill, stop or restart loses every key. */
    public static RedisServerExtension create() {
        return new RedisServerExtension(false);
    }

    /** A server with an append-only file fsynced on every write: a kill or restart loses nothing. */
    public static RedisServerExtension withAof() {
        return new RedisServerExtension(true);
    }

    /** Whether the class being set up is {@code @Nested}: it shares its enclosing class's fixture. */
    static boolean nested(ExtensionContext context) {
        return context.getTestClass()
                .map(c -> c.isAnnotationPresent(org.junit.jupiter.api.Nested.class))
                .orElse(false);
    }

    @Override
    public synchronized void beforeAll(ExtensionContext context) throws IOException {
        if (nested(context)) {
            return; // @Nested classes share their enclosing class's server
        }
        String binary = binaryOrSkip();
        dir = Files.createTempDirectory("switchboard-redis-");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        for (int attempt = 1; ; attempt++) {
            port = freePort();
            try {
                launch(binary);
                return;
            } catch (IllegalStateException e) {
                if (attempt >= PORT_ATTEMPTS || !log().contains("Address already in use")) {
                    throw e;
                }
            }
        }
    }

    @Override
    public synchronized void beforeEach(ExtensionContext context) {
        if (dir != null && !isRunning()) {
            System.out.println("redis-server on port " + port + " was down before " + context.getDisplayName()
                    + "; restarting it");
            start();
        }
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        if (nested(context)) {
            return;
        }
        destroyQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down; the hook runs anyway.
        }
        deleteDir();
    }

    /**
     * Starts the server on its port again, keeping the data dir: with AOF the data comes back.
     * Does nothing if it runs. Returns once it answers PING.
     */
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        launch(binaryOrSkip());
    }

    /** Starts the server on its port again with its persistence files deleted: an empty Redis. */
    public synchronized void startEmpty() {
        if (isRunning()) {
            throw new IllegalStateException("redis-server runs; kill() or stop() it first");
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (!p.getFileName().toString().equals(LOG_FILE)) {
                    deleteTree(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        launch(binaryOrSkip());
    }

    /** Kills the server with SIGKILL, as a crash: nothing is flushed. Returns once it exited. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            awaitExit();
        }
    }

    /** Stops the server with SIGTERM, a clean shutdown (the AOF is flushed). Returns once it exited. */
    public synchronized void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
            }
        }
    }

    /** Kills and starts the server again on the same port. */
    public synchronized void restart() {
        kill();
        start();
    }

    /**
     * Makes the server ignore every client for a while ({@code CLIENT PAUSE ms ALL}): connections
     * stay open but nothing is answered, as with a wedged server or a network black hole.
     */
    public void pause(Duration duration) {
        command("CLIENT", "PAUSE", Long.toString(duration.toMillis()), "ALL");
    }

    /** Whether the server process is alive. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:<port>}. */
    @Override
    public String url() {
        return "redis://" + HOST + ":" + port;
    }

    /** The server's working dir (AOF, log). */
    public Path dataDir() {
        return dir;
    }

    /**
     * Runs one command on a fresh connection and returns its reply: status and bulk strings as
     * {@link String}, integers as {@link Long}, arrays as {@link List}, nil as {@code null}.
     * Errors throw {@code RedisCommandExecutionException}.
     *
     * <pre>{@code
     * redis.command("SET", "k", "v");
     * assertThat(redis.command("GET", "k")).isEqualTo("v");
     * }</pre>
     */
    public Object command(String... args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("no command");
        }
        CommandArgs<String, String> rest = new CommandArgs<>(StringCodec.UTF8);
        for (int i = 1; i < args.length; i++) {
            rest.add(args[i]);
        }
        ProtocolKeyword name = keyword(args[0]);
        return withSync(r -> r.dispatch(name, new RedisReplyOutput(), rest));
    }

    /** Typed sync commands on a fresh connection, for assertions. */
    public <T> T withSync(Function<RedisCommands<String, String>, T> body) {
        // A fresh connection per call: the server may have been killed and restarted in between.
        try (StatefulRedisConnection<String, String> c = helper().connect(StringCodec.UTF8)) {
            return body.apply(c.sync());
        }
    }

    /** Drops every pub/sub connection ({@code CLIENT KILL TYPE pubsub}); returns how many. */
    @Override
    public long clientKillPubSub() {
        return withSync(r -> r.clientKill(KillArgs.Builder.typePubsub()));
    }

    /** Deletes every key. */
    @Override
    public void flushAll() {
        withSync(RedisCommands::flushall);
    }

    /** The server's output so far. */
    public synchronized String log() {
        Path log = dir == null ? null : dir.resolve(LOG_FILE);
        try {
            return log != null && Files.exists(log) ? Files.readString(log) : "(no log)";
        } catch (IOException e) {
            return "(unreadable log: " + e + ")";
        }
    }

    private void launch(String binary) {
        List<String> cmd = new ArrayList<>(List.of(
                binary,
                "--port",
                Integer.toString(port),
                "--bind",
                HOST,
                "--dir",
                dir.toString(),
                "--save",
                "",
                "--daemonize",
                "no"));
        if (aof) {
            cmd.addAll(List.of("--appendonly", "yes", "--appendfsync", "always"));
        } else {
            cmd.addAll(List.of("--appendonly", "no"));
        }
        try {
            process = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            dir.resolve(LOG_FILE).toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + binary + ": " + e.getMessage(), e);
        }
        awaitPong();
    }

    private void awaitPong() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (pings(port)) {
                return;
            }
            sleep(PROBE_DELAY);
        }
        process.destroyForcibly();
        awaitExit();
        String log = log();
        System.err.println("redis-server did not start on port " + port + "; its log:\n" + log);
        throw new IllegalStateException("redis-server did not answer PING on port " + port + " within "
                + START_TIMEOUT.toSeconds() + " s; its log:\n" + log);
    }

    /** True once the server answers PING with PONG, or NOAUTH (not LOADING while it reads its AOF). */
    static boolean pings(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, port), PROBE_SOCKET_TIMEOUT_MS);
            s.setSoTimeout(PROBE_SOCKET_TIMEOUT_MS);
            s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            byte[] buf = new byte[64];
            int n = in.read(buf);
            String reply = n > 0 ? new String(buf, 0, n, StandardCharsets.US_ASCII) : "";
            // A server that requires a password answers NOAUTH: it is up.
            return reply.startsWith("+PONG") || reply.startsWith("-NOAUTH");
        } catch (IOException e) {
            return false;
        }
    }

    private void awaitExit() {
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("redis-server pid " + process.pid() + " did not exit");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void destroyProcess() {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
        }
    }

    private synchronized void destroyQuietly() {
        destroyProcess();
        if (helper != null) {
            helper.shutdown(0, 1, TimeUnit.SECONDS);
            helper = null;
        }
    }

    private synchronized RedisClient helper() {
        if (helper == null) {
            RedisURI uri = RedisURI.builder()
                    .withHost(HOST)
                    .withPort(port)
                    .withTimeout(COMMAND_TIMEOUT)
                    .build();
            helper = RedisClient.create(uri);
            helper.setOptions(helperOptions());
        }
        return helper;
    }

    /** Options of the connections behind {@link #command}: fail fast, never reconnect. */
    static ClientOptions helperOptions() {
        return ClientOptions.builder()
                // RESP2 keeps replies to strings, integers and arrays for RedisReplyOutput.
                .protocolVersion(ProtocolVersion.RESP2)
                .autoReconnect(false)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .build();
    }

    static String binaryOrSkip() {
        return RedisServerBinary.orSkip(RedisServerBinary.find(), RedisServerBinary.ENV, RedisServerBinary.NAME);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        }
    }

    static ProtocolKeyword keyword(String name) {
        byte[] bytes = name.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return new ProtocolKeyword() {
            @Override
            public byte[] getBytes() {
                return bytes;
            }

            @Override
            public String toString() {
                return new String(bytes, StandardCharsets.US_ASCII);
            }
        };
    }

    private void deleteDir() {
        if (dir != null) {
            try {
                deleteTree(dir);
            } catch (IOException e) {
                System.err.println("could not delete " + dir + ": " + e);
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
