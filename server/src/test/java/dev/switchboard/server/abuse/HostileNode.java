package dev.switchboard.server.abuse;

import dev.switchboard.server.testing.HttpStatus;
import dev.switchboard.server.testing.TestServers;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node under attack, in a JVM of its own with a small heap, so that an {@code OutOfMemoryError}
 * or a wedged event loop takes down that process and never the test JVM. Started from the shaded
 * jar ({@code target/switchboard.jar}, or the system property {@code switchboard.jar}).
 *
 * <p>The {@code http:} section (timeouts, per-IP limit) is written only while the jar accepts it:
 * a jar that exits with {@code unknown key} is restarted without it, so one suite runs against
 * the node before and after the hardening.
 */
final class HostileNode implements AutoCloseable {

    static final List<String> JVM_OPTIONS = List.of("-Xmx128m", "-XX:MaxDirectMemorySize=64m");
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1))
            .build();
    private static final Pattern HEAP = Pattern.compile("(?m)^jvm_memory_used_bytes\\{area=\"heap\"[^}]*} (\\S+)$");
    private static final Pattern DIRECT = Pattern.compile("(?m)^jvm_buffer_memory_used_bytes\\{id=\"direct\"} (\\S+)$");
    private static final Pattern RSS = Pattern.compile("(?m)^VmRSS:\\s+(\\d+) kB");

    private final String name;
    private final String extraYaml;
    private final String httpYaml;
    private final Path dir;
    private boolean httpSectionRefused;
    private int port;
    private Path log;
    private Process process;
    private int starts;

    /**
     * @param name names the config and log files (the test class)
     * @param extraYaml YAML appended to {@link TestServers#CONFIG_YAML} (keys every jar knows)
     * @param httpYaml the {@code http:} section, dropped when the jar refuses it ("" for none)
     */
    HostileNode(String name, String extraYaml, String httpYaml) {
        this.name = name;
        this.extraYaml = extraYaml;
        this.httpYaml = httpYaml;
        this.dir = Path.of("target", "abuse");
    }

    static Path jar() {
        String override = System.getProperty("switchboard.jar");
        Path jar = override == null || override.isBlank() ? Path.of("target", "switchboard.jar") : Path.of(override);
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: run the package phase first");
        }
        return jar;
    }

    /** Whether the running node was started with the {@code http:} section (the jar knows those keys). */
    boolean hasHttpLimits() {
        return !httpYaml.isEmpty() && !httpSectionRefused;
    }

    synchronized void start() throws IOException {
        Files.createDirectories(dir);
        while (true) {
            port = freePort();
            starts++;
            Path config = dir.resolve(name + ".yaml");
            log = dir.resolve(name + "-" + starts + ".log");
            String yaml = TestServers.CONFIG_YAML.replace("port: 0", "port: " + port)
                    + extraYaml
                    + (hasHttpLimits() ? httpYaml : "");
            Files.writeString(config, yaml);
            String java =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> cmd = new java.util.ArrayList<>(List.of(java));
            cmd.addAll(JVM_OPTIONS);
            cmd.addAll(List.of("-jar", jar().toString(), "serve", "--config", config.toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
            pb.environment().put("SWITCHBOARD_TOKEN_HMAC_SECRET", TestServers.SECRET);
            pb.environment().put("SWITCHBOARD_API_KEY", TestServers.API_KEY);
            process = pb.start();
            if (awaitHealthy(Duration.ofSeconds(30))) {
                System.out.println("HOSTILE node " + name + " pid=" + pid() + " port=" + port + " http_limits="
                        + hasHttpLimits() + " jar=" + jar() + " log=" + log.toAbsolutePath());
                return;
            }
            String out = Files.readString(log);
            process.destroyForcibly();
            if (hasHttpLimits() && out.contains("unknown key")) {
                httpSectionRefused = true;
                System.out.println("HOSTILE node " + name + ": the jar refuses the http: section ("
                        + out.strip().lines().reduce((a, b) -> b).orElse("") + "); running without it");
                continue;
            }
            throw new IllegalStateException("hostile node " + name + " did not start; log:\n" + out);
        }
    }

    private boolean awaitHealthy(Duration wait) {
        long end = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                return false;
            }
            if (healthStatus(Duration.ofSeconds(1)) == 200) {
                return true;
            }
            sleep(100);
        }
        return false;
    }

    /** Restarts the node when a test killed or wedged it. */
    synchronized void ensureHealthy() throws IOException {
        if (alive() && healthStatus(Duration.ofSeconds(2)) == 200) {
            return;
        }
        System.out.println("HOSTILE node " + name + " is " + (alive() ? "unhealthy" : "dead") + ": restarting");
        close();
        start();
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** Whether the process still runs (it may be alive and wedged: see {@link #healthStatus}). */
    boolean alive() {
        return process != null && process.isAlive();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    String apiUrl() {
        return baseUrl() + "/api";
    }

    String wsUrl() {
        return baseUrl().replace("http:", "ws:") + "/connection/websocket";
    }

    /** GET /health status, or -1 when it did not answer within {@code timeout}. */
    int healthStatus(Duration timeout) {
        return HttpStatus.get(baseUrl() + "/health", timeout);
    }

    /** Prometheus text from /metrics, or {@code null} when the node did not answer within a second. */
    String metrics() {
        try {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create(baseUrl() + "/metrics"))
                            .timeout(Duration.ofSeconds(1))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Used heap (sum of the heap pools) from /metrics; -1 when not reachable. */
    static long heapBytes(String metrics) {
        return sum(HEAP, metrics);
    }

    /** Direct buffer bytes from /metrics; -1 when not reachable. */
    static long directBytes(String metrics) {
        return sum(DIRECT, metrics);
    }

    private static long sum(Pattern p, String metrics) {
        if (metrics == null) {
            return -1;
        }
        Matcher m = p.matcher(metrics);
        double total = 0;
        boolean any = false;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
            any = true;
        }
        return any ? (long) total : -1;
    }

    /** A counter's value from /metrics (0 when absent, -1 when not reachable). */
    long counter(String series) {
        String m = metrics();
        if (m == null) {
            return -1;
        }
        for (String line : m.split("\n")) {
            if (line.startsWith(series + " ")) {
                return (long)
                        Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }

    /** Resident set size of the node process in bytes (/proc), -1 when gone. */
    long rssBytes() {
        try {
            Matcher m = RSS.matcher(Files.readString(Path.of("/proc", String.valueOf(pid()), "status")));
            return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The node's log so far. */
    String log() {
        try {
            return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    Path logPath() {
        return log;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
