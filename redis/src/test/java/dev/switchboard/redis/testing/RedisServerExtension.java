package dev.switchboard.redis.testing;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real {@code redis-server} process for a test class, on a free loopback port, that tests can
 * kill and restart to exercise faults.
 *
 * <p>The binary is {@code $REDIS_SERVER}, else {@code redis-server} on the {@code PATH}. Without
 * one the tests are skipped with the reason printed, except in CI ({@code CI=true}) where they
 * fail.
 *
 * <pre>{@code
 * @RegisterExtension
 * static RedisServerExtension redis = RedisServerExtension.create();
 * ...
 * redis.kill();   // SIGKILL
 * redis.start();  // same port again
 * }</pre>
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback {

    /** How long a starting server may take to accept connections. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final boolean aof;
    private Path dir;
    private int port;
    private Process process;

    private RedisServerExtension(boolean aof) {
        this.aof = aof;
    }

    /** A server without persistence: a restart loses everything. */
    public static RedisServerExtension create() {
        return new RedisServerExtension(false);
    }

    /** A server with an append-only file fsynced on every write: a restart loses nothing. */
    public static RedisServerExtension withAof() {
        return new RedisServerExtension(true);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("switchboard-redis");
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::destroy));
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        destroy();
    }

    private static String binary() {
        String env = System.getenv("REDIS_SERVER");
        if (env != null && !env.isBlank()) {
            return env;
        }
        for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(p, "redis-server");
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        String why = "no redis-server: set REDIS_SERVER or install it (apt-get install redis-server)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(why);
        }
        System.out.println("SKIPPED: " + why);
        Assumptions.abort(why);
        return null;
    }

    /** Starts (or restarts) the server on its port, keeping its data directory. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        List<String> cmd = new ArrayList<>(List.of(binary(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
            "--dir", dir.toString(), "--save", "", "--daemonize", "no", "--protected-mode", "no",
            "--logfile", dir.resolve("redis.log").toString()));
        if (aof) {
            cmd.addAll(List.of("--appendonly", "yes", "--appendfsync", "always"));
        } else {
            cmd.addAll(List.of("--appendonly", "no"));
        }
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.out").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server", e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                break;
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.getOutputStream().write("PING\r\n".getBytes());
                byte[] buf = new byte[16];
                int n = s.getInputStream().read(buf);
                if (n > 0 && new String(buf, 0, n).startsWith("+PONG")) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            sleep(20);
        }
        throw new IllegalStateException("redis-server did not start on port " + port + "; log:\n" + log());
    }

    private String log() {
        try {
            return Files.exists(dir.resolve("redis.log")) ? Files.readString(dir.resolve("redis.log")) : "(no log)";
        } catch (IOException e) {
            return "(unreadable log)";
        }
    }

    /** Kills the server with SIGKILL, as a crash would. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether the server process runs. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    private void destroy() {
        kill();
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Runs a command on a short-lived connection and returns its reply. */
    public Object command(String... args) {
        RedisClient client = RedisClient.create(url());
        try (StatefulRedisConnection<String, String> c = client.connect(StringCodec.UTF8)) {
            CommandArgs<String, String> a = new CommandArgs<>(StringCodec.UTF8);
            for (int i = 1; i < args.length; i++) {
                a.add(args[i]);
            }
            return c.sync().dispatch(CommandType.valueOf(args[0].toUpperCase()), new StatusOutput<>(StringCodec.UTF8), a);
        } finally {
            client.shutdown(0, 1, TimeUnit.SECONDS);
        }
    }

    /** Sync commands on a short-lived connection, for assertions. */
    public <T> T withSync(java.util.function.Function<RedisCommands<String, String>, T> f) {
        RedisClient client = RedisClient.create(url());
        try (StatefulRedisConnection<String, String> c = client.connect(StringCodec.UTF8)) {
            return f.apply(c.sync());
        } finally {
            client.shutdown(0, 1, TimeUnit.SECONDS);
        }
    }

    /** Drops every pub/sub connection ({@code CLIENT KILL TYPE pubsub}). */
    public void clientKillPubSub() {
        withSync(r -> r.clientKill(io.lettuce.core.KillArgs.Builder.typePubsub()));
    }

    public void flushAll() {
        withSync(RedisCommands::flushall);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
