package dev.switchboard.server.cli;

import dev.switchboard.server.admin.AdminPage;
import dev.switchboard.server.config.DevSecrets;
import dev.switchboard.server.logging.LogSetup;
import dev.switchboard.transport.EngineUnavailableException;
import dev.switchboard.transport.StandbyServer;
import dev.switchboard.transport.SwitchboardServer;
import dev.switchboard.transport.config.ConfigException;
import dev.switchboard.transport.config.ServerConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code serve [--config FILE]}: validates the configuration, starts a node, prints where to
 * connect and how to get a token, and runs until SIGTERM or SIGINT, then stops gracefully
 * (clients are told to reconnect) within {@code shutdown_timeout}.
 *
 * <p>With neither a token key nor an API key configured, it uses {@link DevSecrets} so a first
 * run works with no setup; the secrets' file path is printed, never the values.
 *
 * <pre>{@code
 * $ java -jar switchboard.jar serve
 * $ SWITCHBOARD_PORT=9000 java -jar switchboard.jar serve --config switchboard.yaml
 * }</pre>
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Start a node and run until SIGTERM/SIGINT (Ctrl+C), then stop gracefully.")
public final class ServeCommand implements Callable<Integer> {

    /** Path of the WebSocket endpoint that Centrifugo client SDKs connect to. */
    public static final String WEBSOCKET_PATH = "/connection/websocket";
    /** Path of the HTTP server API. */
    public static final String HTTP_API_PATH = "/api";

    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    /** A started server, as far as {@code serve} needs to know it. */
    public interface RunningServer {
        /** The port actually bound (differs from the configured one when that was 0). */
        int port();

        /** Where the HTTP API listens: the internal port when one is set, else {@link #port()}. */
        default int apiPort() {
            return port();
        }

        /** Stops gracefully: clients are disconnected with 3001 so they reconnect elsewhere. */
        void close();
    }

    /** Starts a server; tests replace it to run {@code serve} without binding sockets. */
    @FunctionalInterface
    public interface Launcher {
        /**
         * Builds and starts a server, which is bound when this returns.
         *
         * @throws Exception when it cannot start (port in use...); nothing is left running then
         */
        RunningServer start(ServerConfig config) throws Exception;

        /**
         * Builds a server without binding its port: the step that connects the engine, and so
         * the one that waits for Redis. By default nothing is built until {@link Prepared#start}.
         *
         * @throws EngineUnavailableException when the engine cannot be reached yet
         * @throws Exception for any other failure; nothing is left running then
         */
        default Prepared prepare(ServerConfig config) throws Exception {
            return () -> start(config);
        }
    }

    /** A built server whose port is not bound yet. */
    @FunctionalInterface
    public interface Prepared {
        /** Binds the port and serves. */
        RunningServer start() throws Exception;
    }

    /** First pause between attempts to reach the engine at start; doubled up to {@link #MAX_ENGINE_RETRY}. */
    static final Duration FIRST_ENGINE_RETRY = Duration.ofMillis(500);
    /** Longest pause between attempts to reach the engine at start. */
    static final Duration MAX_ENGINE_RETRY = Duration.ofSeconds(5);

    /** Waits until the node should stop, then stops it. */
    @FunctionalInterface
    public interface StopSignal {
        /** Blocks until SIGTERM/SIGINT; the server is closed from the JVM shutdown hook. */
        StopSignal JVM_SHUTDOWN = (server, timeout) -> {
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                try {
                                    closeWithin(server, timeout);
                                } finally {
                                    stopped.countDown();
                                }
                            },
                            "switchboard-shutdown"));
            stopped.await();
        };

        /** Blocks until it is time to stop, then closes {@code server} (use {@link #closeWithin}). */
        void awaitAndStop(RunningServer server, Duration timeout) throws InterruptedException;
    }

    private final CliContext ctx;

    @Mixin
    ConfigOption config;

    ServeCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = ctx.out();
        ServerConfig cfg;
        DevSecrets dev = null;
        try {
            cfg = config.load(ctx);
            if (DevSecrets.needed(cfg)) {
                dev = DevSecrets.loadOrCreate(ctx.workDir());
                cfg = dev.applyTo(cfg);
            }
        } catch (ConfigException e) {
            ctx.err().println("config error: " + e.getMessage());
            return Main.EXIT_FAILURE;
        }
        // The log section of the file, now that it is read: level, format, per-logger levels.
        LogSetup.apply(cfg.log());
        RunningServer server;
        try {
            Prepared prepared;
            try {
                prepared = ctx.launcher().prepare(cfg);
            } catch (EngineUnavailableException e) {
                prepared = standByUntilTheEngineIsUp(cfg, e);
            }
            server = prepared.start();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            ctx.err().println("failed to start: " + e.getMessage());
            return Main.EXIT_FAILURE;
        }
        printBanner(out, cfg, dev, server.port(), server.apiPort());
        ctx.stopSignal().awaitAndStop(server, cfg.shutdownTimeout());
        return Main.EXIT_OK;
    }

    /**
     * The engine (Redis) is not reachable yet: hold the port with a {@link StandbyServer}
     * ({@code /health} 200, {@code /ready} 503) and try again with backoff, so that a deployment
     * started in any order converges by itself. Returns once the server is built, the port freed.
     */
    private Prepared standByUntilTheEngineIsUp(ServerConfig cfg, EngineUnavailableException first) throws Exception {
        LOG.warn("{}; standing by (/health 200, /ready 503) and retrying", first.getMessage());
        try (StandbyServer standby = StandbyServer.start(cfg)) {
            ctx.out()
                    .println("Waiting for the engine (" + first.getMessage() + "); /ready answers 503 on port "
                            + standby.port() + " until it is up");
            Duration pause = FIRST_ENGINE_RETRY;
            long attempts = 1;
            while (true) {
                Thread.sleep(pause.toMillis());
                try {
                    Prepared prepared = ctx.launcher().prepare(cfg);
                    LOG.info("engine reachable after {} attempts; starting", attempts + 1);
                    return prepared;
                } catch (EngineUnavailableException e) {
                    attempts++;
                    if (Long.bitCount(attempts) == 1) { // 2, 4, 8, 16...: a few lines, not one per try
                        LOG.warn("still waiting for the engine after {} attempts: {}", attempts, e.getMessage());
                    }
                    pause = pause.multipliedBy(2).compareTo(MAX_ENGINE_RETRY) > 0
                            ? MAX_ENGINE_RETRY
                            : pause.multipliedBy(2);
                }
            }
        }
    }

    private void printBanner(PrintWriter out, ServerConfig cfg, DevSecrets dev, int port, int apiPort) {
        String host = displayHost(cfg.address());
        String apiHost = cfg.internalPort() != 0 ? displayHost(cfg.internalAddress()) : host;
        // The API shares the public port's TLS unless the internal port (always plain) serves it.
        String apiScheme = cfg.tls().enabled() && cfg.internalPort() == 0 ? "https://" : "http://";
        out.println("Switchboard is running: engine " + cfg.engine().configName() + ", port " + port
                + (cfg.internalPort() != 0 ? ", internal port " + apiPort : ""));
        out.println("  WebSocket: " + (cfg.tls().enabled() ? "wss://" : "ws://") + host + ":" + port + WEBSOCKET_PATH);
        if (!cfg.httpApiEnabled()) {
            out.println("  HTTP API:  disabled (http_api.enabled: false)");
        } else {
            out.println("  HTTP API:  " + apiScheme + apiHost + ":" + apiPort + HTTP_API_PATH
                    + (cfg.apiKey() == null
                            ? "  (no api_key configured: every call is refused)"
                            : "  (header \"Authorization: apikey <api_key>\")"));
        }
        if (cfg.admin().enabled()) {
            // The API's scheme: the admin page is wherever the API is (internal port, else the public one).
            out.println("  Admin:     " + apiScheme + apiHost + ":" + apiPort + AdminPage.PATH
                    + "  (log in with admin.password)");
        }
        if (dev != null) {
            out.println("  Dev secrets " + (dev.created() ? "created" : "reused") + ": " + dev.file()
                    + " (token secret and api_key; for development only)");
        }
        if (cfg.token().hmacSecret() != null) {
            out.println("  Dev token: " + genTokenCommand());
        } else if (!cfg.token().hasAnyKey() && cfg.proxies().connect().enabled()) {
            out.println("  No token key configured: connections are decided by the connect proxy ("
                    + "client.proxy.connect)");
        } else if (!cfg.token().hasAnyKey()) {
            out.println("  No token key configured: "
                    + (cfg.node().allowAnonymous()
                            ? "only anonymous connections are accepted"
                            : "every connection is refused"));
        } else {
            out.println("  Tokens: sign them with the private key matching token.*_public_key");
        }
        out.println("Stop with Ctrl+C (SIGINT) or SIGTERM.");
        out.flush();
    }

    /** The exact command that mints a token this node accepts. */
    private String genTokenCommand() {
        String given = config.asGiven();
        return selfCommand() + " gentoken --user alice" + (given == null ? "" : " --config " + given);
    }

    /** How the user invoked us: {@code java -jar <jar>} when run from a jar, else {@code switchboard}. */
    static String selfCommand() {
        String override = System.getProperty("switchboard.command");
        if (override != null && !override.isBlank()) {
            return override;
        }
        try {
            Path jar = Path.of(Main.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            if (jar.getFileName() != null && jar.getFileName().toString().endsWith(".jar")) {
                Path cwd = Path.of("").toAbsolutePath();
                Path shown = jar.startsWith(cwd) ? cwd.relativize(jar) : jar;
                return "java -jar " + shown;
            }
        } catch (Exception e) {
            // fall through: any launcher name is better than none
        }
        return "switchboard";
    }

    /** Wildcard bind addresses are not connectable; show {@code localhost} for them. */
    static String displayHost(String address) {
        if (address.equals("0.0.0.0") || address.equals("::") || address.equals("[::]")) {
            return "localhost";
        }
        return address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address;
    }

    /**
     * Closes the server, giving up after {@code timeout} so a stuck client cannot keep the
     * process alive past {@code shutdown_timeout}.
     */
    public static void closeWithin(RunningServer server, Duration timeout) {
        Thread closer = new Thread(
                () -> {
                    try {
                        server.close();
                    } catch (RuntimeException e) {
                        LOG.warn("error while stopping: {}", e.toString());
                    }
                },
                "switchboard-close");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closer.isAlive()) {
            LOG.warn(
                    "graceful stop did not finish within shutdown_timeout ({} ms); exiting anyway", timeout.toMillis());
        } else {
            LOG.info("stopped");
        }
    }

    // ---------------------------------------------------------------------------------------
    // The only code that touches dev.switchboard.transport.SwitchboardServer.
    // ---------------------------------------------------------------------------------------

    /** The real {@link Launcher}: builds and starts a {@code SwitchboardServer}. */
    static final Launcher SWITCHBOARD_SERVER = new Launcher() {
        @Override
        public RunningServer start(ServerConfig config) {
            return running(builder(config).build().start());
        }

        @Override
        public Prepared prepare(ServerConfig config) {
            // build() connects the engine (EngineUnavailableException while Redis is down);
            // start() releases what it took when binding fails, so nothing is left running.
            SwitchboardServer server = builder(config).build();
            return () -> running(server.start());
        }
    };

    /** The server of this app: the library's, plus the admin page when {@code admin.enabled}. */
    private static SwitchboardServer.Builder builder(ServerConfig config) {
        return AdminPage.install(SwitchboardServer.builder().config(config), config.admin());
    }

    private static RunningServer running(SwitchboardServer server) {
        return new RunningServer() {
            @Override
            public int port() {
                return server.port();
            }

            @Override
            public int apiPort() {
                return server.internalPort();
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }
}
