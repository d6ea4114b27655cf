package dev.switchboard.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.redis.testing.RedisServerExtension;
import dev.switchboard.server.testing.ApiClient;
import dev.switchboard.server.testing.ExternalTools;
import dev.switchboard.server.testing.TestServers;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load-balancer configs we ship ({@code deploy/nginx/switchboard.conf},
 * {@code deploy/haproxy/switchboard.cfg}), run by the real nginx and HAProxy in front of three
 * nodes (separate JVMs from {@code switchboard.jar}) over a real redis-server, with stock
 * centrifuge-js clients that connect only through the load balancer
 * ({@code conformance/test/load-balancer.test.mjs}). Per load balancer: a rolling restart of every
 * node (SIGTERM, start again, next) and a SIGKILLed node, under continuous idempotent publishing
 * through the nodes' own HTTP API; every client must end with every publication exactly once, in
 * order. The node test asks for the restarts through a small control endpoint served here.
 *
 * <p>The config under test is the shipped file with only the listen address and the three node
 * addresses substituted (each must occur as often as expected, so a reshaped file fails here
 * instead of silently testing something else). The load balancer runs in the foreground as a
 * child process with its pid, logs and temp files in a temp dir; nginx gets the minimal main
 * config a distribution's nginx.conf provides around {@code conf.d/}, HAProxy a minimal
 * {@code global} section before the shipped file, as documented in each file.
 *
 * <p>Prerequisites: nginx and haproxy ({@code apt-get install -y nginx haproxy}, or {@code NGINX} /
 * {@code HAPROXY} naming the binaries), node 18+ with {@code conformance/node_modules}, and
 * redis-server. Missing ones skip that test with the reason printed, except under
 * {@code CI=true}, where they fail it.
 */
class LoadBalancerIT {

    private static final Duration NODE_TESTS_TIMEOUT = Duration.ofSeconds(200);
    /** Longest wait for HAProxy's checks to mark a restarted node UP (rise 2 x downinter 1 s). */
    private static final Duration ROUTED_TIMEOUT = Duration.ofSeconds(10);

    private static final List<String> SHIPPED_NODES = List.of("10.0.0.11:8000", "10.0.0.12:8000", "10.0.0.13:8000");

    @RegisterExtension
    static RedisServerExtension redis = RedisServerExtension.create();

    @TempDir
    static Path dir;

    private static final List<NodeProcess> nodes = new ArrayList<>();
    private static final String prefix =
            "lb" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
    private static HttpServer control;
    /** The load balancer in front right now (the control endpoint's restarts wait on it). */
    private static volatile LbProcess current;

    @AfterAll
    static void stopAll() {
        if (control != null) {
            control.stop(0);
        }
        nodes.forEach(NodeProcess::close);
    }

    @Test
    void nginxWithTheShippedConfigCarriesEveryPublicationThroughARollingRestartAndACrash() throws Exception {
        runBehind(
                "nginx",
                "NGINX",
                "deploy/nginx/switchboard.conf",
                "listen 80;",
                port -> "listen 127.0.0.1:" + port + ";",
                1,
                LoadBalancerIT::nginxCommand);
    }

    @Test
    void haproxyWithTheShippedConfigCarriesEveryPublicationThroughARollingRestartAndACrash() throws Exception {
        // Each node is named twice there: the checked server and its fail-open backup.
        runBehind(
                "haproxy",
                "HAPROXY",
                "deploy/haproxy/switchboard.cfg",
                "bind :80\n",
                port -> "bind 127.0.0.1:" + port + "\n",
                2,
                LoadBalancerIT::haproxyCommand);
    }

    /** How to run one load balancer in the foreground with the substituted shipped config. */
    private interface Launcher {
        List<String> command(String binary, Path lbDir, Path config) throws IOException;
    }

    /**
     * nginx with what Debian's /etc/nginx/nginx.conf provides around {@code conf.d/*.conf}, every
     * path in the temp dir so nginx runs as a plain child process.
     */
    private static List<String> nginxCommand(String nginx, Path lbDir, Path config) throws IOException {
        Path main = Files.writeString(
                lbDir.resolve("nginx.conf"),
                String.join(
                        "\n",
                        "worker_processes 2;",
                        "pid " + lbDir.resolve("nginx.pid") + ";",
                        "events { worker_connections 1024; }",
                        "http {",
                        "    access_log " + lbDir.resolve("access.log") + ";",
                        "    client_body_temp_path " + lbDir.resolve("client_body") + ";",
                        "    proxy_temp_path " + lbDir.resolve("proxy") + ";",
                        "    fastcgi_temp_path " + lbDir.resolve("fastcgi") + ";",
                        "    uwsgi_temp_path " + lbDir.resolve("uwsgi") + ";",
                        "    scgi_temp_path " + lbDir.resolve("scgi") + ";",
                        "    include " + config + ";",
                        "}",
                        ""));
        return List.of(
                nginx,
                "-p",
                lbDir.toString(),
                "-e",
                lbDir.resolve("error.log").toString(),
                "-c",
                main.toString(),
                "-g",
                "daemon off;");
    }

    /**
     * HAProxy with the distribution's {@code global} section reduced to what a child process can
     * do (logs to stdout, which is the test's log file, instead of syslog; no chroot or user
     * switch), then the shipped file, as its header tells operators to load it.
     */
    private static List<String> haproxyCommand(String haproxy, Path lbDir, Path config) throws IOException {
        Path global = Files.writeString(
                lbDir.resolve("global.cfg"),
                String.join("\n", "global", "    log stdout format raw local0 info", "    maxconn 4096", ""));
        return List.of(haproxy, "-db", "-f", global.toString(), "-f", config.toString());
    }

    private static void runBehind(
            String lb,
            String envVar,
            String shippedPath,
            String listen,
            IntFunction<String> listenHere,
            int perNode,
            Launcher launcher)
            throws Exception {
        String tag = "lb-" + lb;
        String binary = executable(lb, envVar);
        ExternalTools.requirePrerequisite(
                tag,
                binary != null,
                lb + " not found: apt-get install -y " + lb + " (or set " + envVar + " to its path)");
        String node = requireNodeTests(tag);
        Path root = ExternalTools.repoRoot();
        long began = System.nanoTime();
        startNodes();

        int lbPort = ExternalTools.freePort();
        Path lbDir = Files.createDirectories(dir.resolve(lb));
        Path shipped = root.resolve(shippedPath);
        String config = substitute(Files.readString(shipped), listen, listenHere.apply(lbPort), perNode);
        Path configFile = Files.writeString(lbDir.resolve(shipped.getFileName()), config);
        List<String> command = launcher.command(binary, lbDir, configFile);
        try (LbProcess process = LbProcess.start(tag, command, lbDir.resolve(lb + ".out"), lbPort)) {
            runNodeTests(tag, lb, node, root, lbPort, process);
        }
        System.out.printf("[%s] whole test: %d ms%n", tag, (System.nanoTime() - began) / 1_000_000);
    }

    // ------------------------------------------------------------------------------------------

    private static void runNodeTests(String tag, String lb, String node, Path root, int lbPort, LbProcess process)
            throws Exception {
        current = process;
        String apis = nodes.stream().map(NodeProcess::apiUrl).collect(Collectors.joining(","));
        int exit = ExternalTools.runNodeTests(
                tag,
                node,
                root.resolve("conformance"),
                List.of("test/load-balancer.test.mjs"),
                Map.of(
                        "SWITCHBOARD_LB_NAME",
                        lb,
                        "SWITCHBOARD_LB_WS_URL",
                        "ws://127.0.0.1:" + lbPort + "/connection/websocket",
                        "SWITCHBOARD_LB_NODE_APIS",
                        apis,
                        "SWITCHBOARD_LB_CONTROL_URL",
                        "http://127.0.0.1:" + control.getAddress().getPort(),
                        "SWITCHBOARD_API_KEY",
                        TestServers.API_KEY,
                        "SWITCHBOARD_HMAC_SECRET",
                        TestServers.SECRET),
                NODE_TESTS_TIMEOUT);
        process.printNotableLines();
        List<String> refused = process.refusedHandshakes();
        refused.stream().limit(5).forEach(line -> System.out.println("[" + tag + "] refused: " + line));
        assertEquals(
                List.of(),
                refused.stream().limit(5).toList(),
                lb + " answered " + refused.size()
                        + " WebSocket handshakes with 502/503/504 instead of reaching a node");
        assertTrue(process.alive(), lb + " exited during the test; its output:\n" + process.output());
        assertEquals(
                0,
                exit,
                "load-balancer tests through " + lb + " failed (node exit " + exit
                        + "); the failing checks are printed above. " + lb + " output:\n" + process.output());
    }

    /**
     * The shipped file with its listen address and node addresses replaced; each must occur
     * exactly as often as expected ({@code perNode} for every node address).
     */
    private static String substitute(String shipped, String listen, String listenHere, int perNode) {
        String out = replaceExactly(shipped, listen, listenHere, 1);
        for (int i = 0; i < SHIPPED_NODES.size(); i++) {
            out = replaceExactly(out, SHIPPED_NODES.get(i), "127.0.0.1:" + nodes.get(i).port, perNode);
        }
        return out;
    }

    private static String replaceExactly(String text, String from, String to, int times) {
        int count = 0;
        for (int at = text.indexOf(from); at >= 0; at = text.indexOf(from, at + from.length())) {
            count++;
        }
        assertEquals(
                times,
                count,
                "the shipped config should name `" + from.strip() + "` " + times
                        + " time(s); if it was reshaped, update LoadBalancerIT's substitution");
        return text.replace(from, to);
    }

    /** Three nodes over Redis (started once for the class, in parallel), the dead ones restarted. */
    private static synchronized void startNodes() throws Exception {
        NodeProcess.requireJar();
        if (nodes.isEmpty()) {
            for (int i = 0; i < 3; i++) {
                int port = NodeProcess.freePort();
                nodes.add(new NodeProcess(port, redis.url(), prefix, dir, "node_name: lb-" + port + "\n"));
            }
        }
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (NodeProcess n : nodes) {
            if (!n.alive()) {
                starts.add(CompletableFuture.runAsync(() -> {
                    try {
                        n.start();
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
        }
        CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        if (control == null) {
            control = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            control.createContext("/rolling-restart", ex -> answer(ex, LoadBalancerIT::rollingRestart));
            control.createContext("/kill-busiest", ex -> answer(ex, LoadBalancerIT::killBusiest));
            control.createContext("/redis-down", ex -> answer(ex, LoadBalancerIT::redisDown));
            control.createContext("/redis-up", ex -> answer(ex, LoadBalancerIT::redisUp));
            control.start();
        }
    }

    /**
     * SIGTERM each node in turn, start it again, and go on once the load balancer routes to it
     * again, as an operator (or an orchestrator's readiness gate) would: at once for nginx, whose
     * checks are passive; once its active check marked it UP for HAProxy.
     */
    private static String rollingRestart() throws Exception {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            NodeProcess n = nodes.get(i);
            int upsBefore = current.upMarks(i);
            long t0 = System.nanoTime();
            n.terminate();
            long stopped = System.nanoTime();
            n.start();
            long healthy = System.nanoTime();
            current.awaitRouted(i, upsBefore);
            long routed = System.nanoTime();
            String row = String.format(
                    "{\"name\":\"lb-%d\",\"stopMs\":%d,\"startMs\":%d,\"routedMs\":%d}",
                    n.port,
                    (stopped - t0) / 1_000_000,
                    (healthy - stopped) / 1_000_000,
                    (routed - healthy) / 1_000_000);
            System.out.printf("[%s] restarted %s%n", current.tag(), row);
            rows.add(row);
        }
        return "{\"nodes\":[" + String.join(",", rows) + "]}";
    }

    /** SIGKILL the node the registry says holds the most clients. */
    private static String killBusiest() throws Exception {
        NodeProcess observer =
                nodes.stream().filter(NodeProcess::alive).findFirst().orElseThrow();
        JsonNode info = new ApiClient(observer.apiUrl(), TestServers.API_KEY)
                .call("info", "{}")
                .body()
                .at("/result/nodes");
        JsonNode busiest = null;
        for (JsonNode n : info) {
            if (busiest == null
                    || n.path("num_clients").asInt()
                            > busiest.path("num_clients").asInt()) {
                busiest = n;
            }
        }
        if (busiest == null) {
            throw new IllegalStateException("info listed no nodes: " + info);
        }
        String name = busiest.path("name").asText();
        NodeProcess victim = nodes.stream()
                .filter(n -> name.equals("lb-" + n.port))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no node named " + name));
        victim.kill();
        int clients = busiest.path("num_clients").asInt();
        System.out.printf("[%s] SIGKILLed %s, which held %d clients%n", current.tag(), name, clients);
        return String.format("{\"name\":\"%s\",\"clients\":%d}", name, clients);
    }

    /**
     * Kills Redis, so every node's /ready turns 503, and returns once HAProxy has marked all of
     * them DOWN and runs on its fail-open backups.
     */
    private static String redisDown() throws Exception {
        int before = current.count("Running on backup");
        long t0 = System.nanoTime();
        redis.kill();
        awaitUntil(
                "every node's /ready at 503",
                () -> nodes.stream().filter(NodeProcess::alive).noneMatch(NodeProcess::ready));
        long unhealthy = System.nanoTime();
        awaitUntil(current.tag() + " running on its backups", () -> current.count("Running on backup") > before);
        long failOpen = System.nanoTime();
        System.out.printf(
                "[%s] Redis killed: nodes unhealthy after %d ms, all marked DOWN (fail open) %d ms later%n",
                current.tag(), (unhealthy - t0) / 1_000_000, (failOpen - unhealthy) / 1_000_000);
        return String.format(
                "{\"unhealthyMs\":%d,\"failOpenMs\":%d}",
                (unhealthy - t0) / 1_000_000, (failOpen - unhealthy) / 1_000_000);
    }

    /** Starts Redis again; returns once every live node is healthy and HAProxy marked it UP. */
    private static String redisUp() throws Exception {
        List<Integer> live = new ArrayList<>();
        List<Integer> upsBefore = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).alive()) {
                live.add(i);
                upsBefore.add(current.upMarks(i));
            }
        }
        long t0 = System.nanoTime();
        redis.start();
        awaitUntil(
                "every live node healthy again",
                () -> live.stream().allMatch(i -> nodes.get(i).ready()));
        long healthy = System.nanoTime();
        for (int k = 0; k < live.size(); k++) {
            current.awaitRouted(live.get(k), upsBefore.get(k));
        }
        long routed = System.nanoTime();
        return String.format(
                "{\"healthyMs\":%d,\"routedMs\":%d}", (healthy - t0) / 1_000_000, (routed - healthy) / 1_000_000);
    }

    private static void awaitUntil(String what, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("not within 20 s: " + what);
            }
            Thread.sleep(50);
        }
    }

    private static void answer(HttpExchange exchange, Callable<String> action) throws IOException {
        int status;
        String body;
        if (!"POST".equals(exchange.getRequestMethod())) {
            status = 405;
            body = "POST only";
        } else {
            try {
                body = action.call();
                status = 200;
            } catch (Exception e) {
                e.printStackTrace(System.out);
                status = 500;
                body = String.valueOf(e);
            }
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String requireNodeTests(String tag) {
        Path root = ExternalTools.repoRoot();
        ExternalTools.requirePrerequisite(tag, root != null, "repository root (with conformance/) not found");
        String node = ExternalTools.findExecutable("node", "NODE");
        ExternalTools.requirePrerequisite(
                tag, ExternalTools.nodeMajorVersion(node) >= 18, "node 18+ not found (or set NODE to its path)");
        ExternalTools.requirePrerequisite(
                tag,
                Stream.of("centrifuge", "ws")
                        .allMatch(m -> Files.isDirectory(root.resolve("conformance")
                                .resolve("node_modules")
                                .resolve(m))),
                "conformance/node_modules missing: run `npm ci --prefix conformance`");
        return node;
    }

    /** On the PATH, else in /usr/sbin (Debian installs both there; not on every user's PATH). */
    private static String executable(String name, String envVar) {
        String found = ExternalTools.findExecutable(name, envVar);
        if (found == null && Files.isExecutable(Path.of("/usr/sbin", name))) {
            found = "/usr/sbin/" + name;
        }
        return found;
    }

    /** The load balancer as a foreground child process, its output in a file. */
    private record LbProcess(String tag, Process process, Path out) implements AutoCloseable {

        static LbProcess start(String tag, List<String> command, Path out, int port)
                throws IOException, InterruptedException {
            System.out.println("[" + tag + "] " + String.join(" ", command));
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            LbProcess lb = new LbProcess(tag, p, out);
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < end) {
                if (!p.isAlive()) {
                    fail(tag + " exited at start (" + p.exitValue() + "):\n" + lb.output());
                }
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                    System.out.println("[" + tag + "] listening on 127.0.0.1:" + port);
                    return lb;
                } catch (IOException notYet) {
                    Thread.sleep(50);
                }
            }
            lb.close();
            fail(tag + " did not listen on " + port + " within 10 s:\n" + lb.output());
            return lb;
        }

        /**
         * What the load balancer said about its nodes: HAProxy's server state changes and
         * refusals, nginx's upstream errors (counted by kind, with the first of each).
         */
        void printNotableLines() {
            Map<String, List<String>> kinds = new java.util.LinkedHashMap<>();
            for (String line : raw().split("\n")) {
                String kind = null;
                if (line.startsWith("[WARNING]")) {
                    continue; // HAProxy says each state change twice: once to stderr, once as a log line
                }
                if (line.contains("is DOWN") || line.contains("is UP")) {
                    System.out.println("[" + tag + "] " + line);
                } else if (line.contains("no live upstreams")) {
                    kind = "no live upstreams (502 to the client)";
                } else if (line.contains("connect() failed")) {
                    kind = "connect() to a node failed (retried on the next)";
                } else if (line.contains("upstream prematurely closed")) {
                    kind = "upstream prematurely closed";
                } else if (line.contains("[error]") || line.contains("[crit]") || line.contains("[alert]")) {
                    kind = "other errors";
                }
                if (kind != null) {
                    kinds.computeIfAbsent(kind, k -> new ArrayList<>()).add(line);
                }
            }
            kinds.forEach((kind, lines) ->
                    System.out.printf("[%s] %d x %s, first: %s%n", tag, lines.size(), kind, lines.get(0)));
        }

        /**
         * Handshakes the load balancer answered itself with 502/503/504 (no node reached): from
         * nginx's access log (combined format) or HAProxy's httplog lines on its output.
         */
        List<String> refusedHandshakes() {
            Pattern nginx = Pattern.compile("\"GET /connection/\\S* HTTP/1\\.1\" 50[234] ");
            Pattern haproxy = Pattern.compile(" -?\\d+/-?\\d+/-?\\d+/-?\\d+/\\+?\\d+ 50[234] .*\"GET /connection/");
            Path access = out.resolveSibling("access.log");
            try {
                String text = Files.exists(access) ? Files.readString(access) : Files.readString(out);
                return text.lines()
                        .filter(l ->
                                nginx.matcher(l).find() || haproxy.matcher(l).find())
                        .toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** How often HAProxy has logged node {@code index + 1} (its name in the shipped file) UP; 0 for nginx. */
        int upMarks(int index) {
            return count("switchboard_nodes/node" + (index + 1) + " is UP");
        }

        /** Log lines containing {@code text} (HAProxy's doubled stderr copies not counted). */
        int count(String text) {
            return (int) raw().lines()
                    .filter(l -> !l.startsWith("[WARNING]") && !l.startsWith("[ALERT]") && l.contains(text))
                    .count();
        }

        /** Returns once HAProxy has marked that node UP again (nginx: at once, no active checks). */
        void awaitRouted(int index, int upsBefore) throws InterruptedException {
            if (!tag.endsWith("haproxy")) {
                return;
            }
            long end = System.nanoTime() + ROUTED_TIMEOUT.toNanos();
            while (upMarks(index) <= upsBefore) {
                if (System.nanoTime() > end) {
                    throw new IllegalStateException(tag + " did not mark node" + (index + 1) + " UP within "
                            + ROUTED_TIMEOUT + ":\n" + output());
                }
                Thread.sleep(50);
            }
        }

        boolean alive() {
            return process.isAlive();
        }

        /** Its output and, for nginx, its error log, whole. */
        String raw() {
            try {
                String text = Files.readString(out);
                Path errorLog = out.resolveSibling("error.log");
                if (Files.exists(errorLog)) {
                    text += "\n--- error.log ---\n" + Files.readString(errorLog);
                }
                return text;
            } catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        }

        /** The tail of {@link #raw()}, for failure messages. */
        String output() {
            String text = raw();
            return text.length() > 20_000 ? text.substring(text.length() - 20_000) : text;
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    ExternalTools.destroyTree(process);
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ExternalTools.destroyTree(process);
            }
        }
    }
}
