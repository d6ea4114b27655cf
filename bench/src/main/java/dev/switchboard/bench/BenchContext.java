package dev.switchboard.bench;

import dev.switchboard.bench.proc.Cluster;
import dev.switchboard.bench.proc.Pinning;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where things are and how children are started: the repository root, the results folder, the
 * server jar (copied once per run so a concurrent rebuild cannot change it mid-run), the peer's
 * folder, JVM options, secrets, and the source addresses handed to each load generator.
 */
public final class BenchContext {

    private static final Set<Integer> ISSUED_PORTS = ConcurrentHashMap.newKeySet();

    private final Path root;
    private final Path out;
    private final Path runDir;
    private final Path serverJar;
    private final Path peerDir;
    private final List<String> nodeJvmOpts;
    private final List<String> loadgenJvmOpts;
    private final boolean jfr;
    private final String secret;
    private final String apiKey;
    private final AtomicInteger loadgens = new AtomicInteger();
    private final boolean verbose;
    private final int nodeIoThreads;
    private final String nodeIoTransport;
    private Pinning pinning = Pinning.NONE;
    private java.util.Map<String, String> nodeEnv = java.util.Map.of();

    public BenchContext(
            Path root,
            Path out,
            Path serverJar,
            Path peerDir,
            String nodeJvmOpts,
            String loadgenJvmOpts,
            int nodeIoThreads,
            String nodeIoTransport,
            boolean jfr,
            boolean verbose) {
        this.root = root.toAbsolutePath().normalize();
        this.out = out.toAbsolutePath().normalize();
        this.runDir = this.out.resolve("run");
        this.peerDir = peerDir.toAbsolutePath().normalize();
        this.nodeJvmOpts = split(nodeJvmOpts);
        this.loadgenJvmOpts = split(loadgenJvmOpts);
        this.jfr = jfr;
        this.verbose = verbose;
        this.nodeIoThreads = nodeIoThreads;
        this.nodeIoTransport = nodeIoTransport;
        SecureRandom r = new SecureRandom();
        byte[] s = new byte[32];
        r.nextBytes(s);
        secret = HexFormat.of().formatHex(s);
        r.nextBytes(s);
        apiKey = HexFormat.of().formatHex(s, 0, 24);
        try {
            Files.createDirectories(runDir);
            if (!Files.isRegularFile(serverJar)) {
                throw new IllegalStateException("server jar not found: " + serverJar
                        + " (build it: mvn -q -B package -DskipTests -pl core,redis,server)");
            }
            this.serverJar = runDir.resolve("switchboard.jar");
            Files.copy(serverJar, this.serverJar, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> split(String opts) {
        if (opts == null || opts.isBlank()) {
            return List.of();
        }
        return Arrays.asList(opts.trim().split("\\s+"));
    }

    /** The repository root: the nearest folder upwards from {@code start} holding {@code server/} and {@code bench/}. */
    public static Path findRoot(Path start) {
        Path p = start.toAbsolutePath().normalize();
        while (p != null) {
            if (Files.isDirectory(p.resolve("server")) && Files.isDirectory(p.resolve("bench"))) {
                return p;
            }
            p = p.getParent();
        }
        return start.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public Path out() {
        return out;
    }

    public Path runDir() {
        return runDir;
    }

    public Path logs(String scenario) {
        Path p = runDir.resolve("logs").resolve(scenario);
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    public Path serverJar() {
        return serverJar;
    }

    public Path peerDir() {
        return peerDir;
    }

    public List<String> nodeJvmOpts() {
        return nodeJvmOpts;
    }

    /** {@code io_threads} of each Switchboard node (0: the node's default, one per processor). */
    public int nodeIoThreads() {
        return nodeIoThreads;
    }

    /** {@code io_transport} of each Switchboard node: auto, nio, epoll or io_uring. */
    /** Extra environment of every Switchboard node ({@code --node-env}), in the order given. */
    public java.util.Map<String, String> nodeEnv() {
        return nodeEnv;
    }

    public void nodeEnv(java.util.Map<String, String> env) {
        this.nodeEnv = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
    }

    public String nodeIoTransport() {
        return nodeIoTransport;
    }

    /** Which CPUs nodes and load generators run on. */
    public Pinning pinning() {
        return pinning;
    }

    public void pinning(Pinning p) {
        this.pinning = p;
    }

    public boolean jfr() {
        return jfr;
    }

    public String secret() {
        return secret;
    }

    public String apiKey() {
        return apiKey;
    }

    public boolean verbose() {
        return verbose;
    }

    /** Why the Socket.IO peer {@code system} cannot run here, or null when it can. */
    public String peerSkipReason(String system) {
        if (!Files.isDirectory(peerDir.resolve("node_modules"))) {
            return "bench/peer/node_modules is absent (run: cd bench/peer && npm ci)";
        }
        if (system.equals(Cluster.SOCKETIO_STREAMS)
                && !Files.isDirectory(peerDir.resolve("node_modules/@socket.io/redis-streams-adapter"))) {
            return "bench/peer/node_modules has no @socket.io/redis-streams-adapter (run: cd bench/peer && npm ci)";
        }
        try {
            Process p = new ProcessBuilder("node", "--version")
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) {
                return "node --version failed";
            }
        } catch (IOException e) {
            return "node is not on PATH";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        return null;
    }

    /** Four loopback source addresses no other load generator of this run uses. */
    public List<String> nextSources() {
        int n = loadgens.getAndIncrement();
        List<String> l = new ArrayList<>();
        for (int j = 0; j < 4; j++) {
            l.add("127." + (1 + n / 250) + "." + (n % 250) + "." + (2 + j));
        }
        return l;
    }

    /** The command that starts a load generator with {@code spec}. */
    public List<String> loadGenCommand(Path spec) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBin());
        cmd.addAll(loadgenJvmOpts);
        cmd.add("-cp");
        cmd.add(benchClasspath());
        cmd.add("dev.switchboard.bench.load.LoadGen");
        cmd.add(spec.toString());
        return cmd;
    }

    public static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String benchClasspath() {
        String jar = System.getProperty("bench.jar");
        if (jar != null && Files.isRegularFile(Path.of(jar))) {
            return jar;
        }
        try {
            Path self = Path.of(BenchContext.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            if (Files.isRegularFile(self) && self.toString().endsWith(".jar")) {
                return self.toString();
            }
        } catch (Exception ignored) {
            // fall back to the class path
        }
        return System.getProperty("java.class.path");
    }

    /**
     * A free port never handed out before in this run: a process started a moment ago may not
     * have bound its port yet, and the kernel would offer the same one again.
     */
    public static int freePort() {
        while (true) {
            try (ServerSocket s = new ServerSocket(0)) {
                s.setReuseAddress(true);
                int port = s.getLocalPort();
                if (ISSUED_PORTS.add(port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public void log(String fmt, Object... args) {
        System.out.printf("[bench] " + fmt + "%n", args);
        System.out.flush();
    }
}
