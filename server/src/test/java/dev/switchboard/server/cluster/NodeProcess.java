package dev.switchboard.server.cluster;

import dev.switchboard.server.testing.HttpStatus;
import dev.switchboard.server.testing.TestServers;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A node as its own JVM process, started from the runnable jar the build produced, so a test
 * can SIGKILL it (a crash) or SIGTERM it (a graceful drain) like an operator would.
 */
final class NodeProcess implements AutoCloseable {

    static final Path JAR = Path.of("target", "switchboard.jar");

    final int port;
    private final Path config;
    private final Path log;
    private Process process;

    NodeProcess(int port, String redisUrl, String prefix, Path dir) throws IOException {
        this(port, redisUrl, prefix, dir, "");
    }

    /** A node whose config has these YAML lines added at the end (whole top-level sections). */
    NodeProcess(int port, String redisUrl, String prefix, Path dir, String extraYaml) throws IOException {
        this.port = port;
        this.config = dir.resolve("node-" + port + ".yaml");
        this.log = dir.resolve("node-" + port + ".log");
        Files.writeString(
                config,
                TestServers.CONFIG_YAML.replace("port: 0", "port: " + port)
                        + String.join(
                                "\n",
                                "engine: redis",
                                "redis:",
                                "  url: " + redisUrl,
                                "  prefix: " + prefix,
                                "presence:",
                                "  ttl: 3s",
                                "  update_interval: 1s",
                                "")
                        + extraYaml);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void requireJar() {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run the package phase first");
        }
    }

    void start() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(
                        List.of(java, "-Xmx256m", "-jar", JAR.toString(), "serve", "--config", config.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("SWITCHBOARD_TOKEN_HMAC_SECRET", TestServers.SECRET);
        pb.environment().put("SWITCHBOARD_API_KEY", TestServers.API_KEY);
        process = pb.start();
        // Generous: a JVM starting on a loaded 2-core machine has taken 20 s to listen.
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException("node on port " + port + " exited; log:\n" + Files.readString(log));
            }
            if (healthy()) {
                return;
            }
            sleep(50);
        }
        throw new IllegalStateException(
                "node on port " + port + " did not become healthy; log:\n" + Files.readString(log));
    }

    /** {@code /health} answers 200: the process is alive and listening. */
    boolean healthy() {
        return answers200("/health");
    }

    /** {@code /ready} answers 200: engine up, heartbeat current, not draining. */
    boolean ready() {
        return answers200("/ready");
    }

    private boolean answers200(String path) {
        return HttpStatus.get(port, path, Duration.ofSeconds(1)) == 200;
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    String wsUrl() {
        return "ws://127.0.0.1:" + port + "/connection/websocket";
    }

    String apiUrl() {
        return "http://127.0.0.1:" + port + "/api";
    }

    /** A crash: SIGKILL, no chance to clean up. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /**
     * Freezes ({@code STOP}) or thaws ({@code CONT}) the process: a frozen node keeps its sockets
     * open but answers nothing, like a machine that vanished from the network.
     */
    void signal(String name) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                .redirectErrorStream(true)
                .start();
        if (p.waitFor() != 0) {
            throw new IOException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** Sends SIGTERM and returns at once, while the node drains. */
    void signalTerm() {
        process.destroy();
    }

    /** Waits for the process to exit; false when it is still running after {@code timeout}. */
    boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** An orderly stop: SIGTERM, which drains the node. */
    void terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static File logOf(Path dir, int port) {
        return dir.resolve("node-" + port + ".log").toFile();
    }
}
