package dev.switchboard.server.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Programs the ITs run next to the JVM (Node.js test files, Python apps): finding them, skipping
 * when they are missing (failing under {@code CI=true}), and running them with their output
 * streamed into the test log.
 */
public final class ExternalTools {

    private static final int TAIL_LINES = 60;

    private ExternalTools() {}

    /** Skips (JUnit assumption) with the reason printed, or fails under CI=true, where CI must run it. */
    public static void requirePrerequisite(String tag, boolean met, String reason) {
        if (met) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(tag + " prerequisite missing under CI=true: " + reason);
        }
        System.out.println("[" + tag + "] SKIPPED: " + reason);
        Assumptions.assumeTrue(false, reason);
    }

    /** Where Chromium is looked for after the {@code CHROMIUM} variable: Debian's, then others'. */
    private static final List<String> CHROMIUM =
            List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");

    /**
     * Node 18+ and {@code conformance/node_modules} with the packages the browser suites import
     * (centrifuge, ws, playwright-core), else skips (fails under CI=true).
     *
     * @return the {@code node} executable
     */
    public static String requireNodeSuite(String tag, Path conformance) {
        String node = findExecutable("node", "NODE");
        requirePrerequisite(tag, nodeMajorVersion(node) >= 18, "node 18+ not found (or set NODE to its path)");
        requirePrerequisite(
                tag,
                java.util.stream.Stream.of("centrifuge", "ws", "playwright-core")
                        .allMatch(m -> Files.isDirectory(
                                conformance.resolve("node_modules").resolve(m))),
                "conformance/node_modules missing: run `npm ci --prefix conformance`");
        return node;
    }

    /** Chromium ({@code CHROMIUM}, else Debian's), else skips (fails under CI=true); its path. */
    public static String requireChromium(String tag) {
        String chromium = java.util.stream.Stream.concat(
                        java.util.stream.Stream.ofNullable(System.getenv("CHROMIUM")), CHROMIUM.stream())
                .filter(p -> Files.isExecutable(Path.of(p)))
                .findFirst()
                .orElse(null);
        requirePrerequisite(tag, chromium != null, "no Chromium: apt-get install chromium (or set CHROMIUM)");
        return chromium;
    }

    /** The repository's root (the folder holding {@code conformance/package.json}), from the cwd upwards. */
    public static Path repoRoot() {
        String configured = System.getProperty("switchboard.conformance.dir");
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured).toAbsolutePath().normalize().getParent();
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("conformance").resolve("package.json"))) {
                return dir;
            }
        }
        return null;
    }

    /** The executable named by {@code envVar} when set, else {@code name} on the PATH, else null. */
    public static String findExecutable(String name, String envVar) {
        String explicit = envVar == null ? null : System.getenv(envVar);
        if (explicit != null && !explicit.isBlank() && Files.isExecutable(Paths.get(explicit))) {
            return explicit;
        }
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        boolean windows = System.getProperty("os.name", "").toLowerCase().contains("win");
        for (String entry : path.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path candidate = Paths.get(entry, windows ? name + ".exe" : name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    /** Node's major version ({@code v20.11.1} → 20), 0 when it cannot be read. */
    public static int nodeMajorVersion(String node) {
        if (node == null) {
            return 0;
        }
        String out = outputOf(List.of(node, "--version"));
        try {
            String digits = out.startsWith("v") ? out.substring(1) : out;
            int dot = digits.indexOf('.');
            return Integer.parseInt(dot < 0 ? digits : digits.substring(0, dot));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Whether {@code command} exits 0 within 20 s (e.g. {@code python3 -c "import fastapi"}). */
    public static boolean succeeds(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String outputOf(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "";
            }
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /**
     * Runs {@code node --test} with {@code args} in {@code dir}, its output printed with
     * {@code [tag]}; returns the exit code, or fails the test past {@code timeout}.
     */
    public static int runNodeTests(
            String tag, String node, Path dir, List<String> args, Map<String, String> env, Duration timeout)
            throws InterruptedException, IOException {
        List<String> command =
                new java.util.ArrayList<>(List.of(node, "--test", "--test-reporter=spec", "--test-concurrency=1"));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("NO_COLOR", "1");
        pb.environment().remove("NODE_OPTIONS");
        Process process = pb.start();
        Deque<String> tail = new ArrayDeque<>();
        Thread pump = new Thread(() -> pumpOutput(tag, process, tail), tag + "-output");
        pump.setDaemon(true);
        pump.start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                destroyTree(process);
                pump.join(2000);
                fail(tag + " node tests did not finish within " + timeout + "; last output:\n"
                        + String.join("\n", snapshot(tail)));
            }
            pump.join(5000);
            return process.exitValue();
        } finally {
            if (process.isAlive()) {
                destroyTree(process);
            }
        }
    }

    private static void pumpOutput(String tag, Process process, Deque<String> tail) {
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                System.out.println("[" + tag + "] " + line);
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > TAIL_LINES) {
                        tail.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            System.out.println("[" + tag + "] (output stream closed: " + e.getMessage() + ")");
        }
    }

    private static List<String> snapshot(Deque<String> tail) {
        synchronized (tail) {
            return List.copyOf(tail);
        }
    }

    /** Kills a process and every process it started. */
    public static void destroyTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /**
     * A loopback port free right now. It is closed again before the other program binds it, so
     * another process could take it meanwhile (rare: the kernel hands out ephemeral ports in turn).
     */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
