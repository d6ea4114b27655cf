package dev.switchboard.server.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.redis.testing.RedisServerExtension;
import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.testing.ExternalTools;
import dev.switchboard.transport.SwitchboardServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The FastAPI example ({@code examples/fastapi/}) as a user runs it: a real redis-server, two
 * nodes configured from the example's own {@code switchboard.yaml} (only the ports, the Redis
 * URL and the app's port changed, with the environment variables its README uses), the Python
 * app under uvicorn and its worker as processes, then {@code conformance/test/fastapi-example.test.mjs}
 * (stock centrifuge-js over {@code ws}, and Chromium on the example's page) against all of it.
 *
 * <p>Prerequisites: Debian's {@code python3-fastapi python3-uvicorn python3-itsdangerous}
 * ({@code /usr/bin/python3}, or the interpreter in {@code PYTHON}), {@code node} 18+ with
 * {@code conformance/node_modules}, Chromium and {@code redis-server}. Missing ones skip the test
 * with the reason printed, except under {@code CI=true}, where they fail it.
 */
class FastApiExampleIT {

    private static final String TAG = "fastapi-example";
    private static final String API_KEY = "fastapi-example-it-api-key";
    private static final int JOB_STEPS = 8;
    private static final Duration SUITE_TIMEOUT = Duration.ofSeconds(120);

    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.create();

    private final List<SwitchboardServer> nodes = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() {
        processes.forEach(ExternalTools::destroyTree);
        nodes.forEach(SwitchboardServer::close);
    }

    @Test
    void theExampleWorksEndToEnd() throws Exception {
        Path root = ExternalTools.repoRoot();
        ExternalTools.requirePrerequisite(TAG, root != null, "repository root (with conformance/) not found");
        Path example = root.resolve("examples").resolve("fastapi");
        Path conformance = root.resolve("conformance");
        String python = findPython();
        ExternalTools.requirePrerequisite(
                TAG,
                python != null,
                "no python3 with fastapi, uvicorn and itsdangerous: apt-get install -y python3-fastapi"
                        + " python3-uvicorn python3-itsdangerous (or set PYTHON to such an interpreter)");
        String node = ExternalTools.requireNodeSuite(TAG, conformance);
        String chromium = ExternalTools.requireChromium(TAG);

        long started = System.nanoTime();
        Path logs = Files.createTempDirectory("fastapi-example-");
        int appPort = ExternalTools.freePort();
        String yaml = Files.readString(example.resolve("switchboard.yaml"));
        SwitchboardServer nodeA = startNode(yaml, appPort);
        SwitchboardServer nodeB = startNode(yaml, appPort);
        String apiA = "http://127.0.0.1:" + nodeA.port() + "/api";
        String apiB = "http://127.0.0.1:" + nodeB.port() + "/api";

        Map<String, String> appEnv = new HashMap<>();
        appEnv.put("SWITCHBOARD_API_KEY", API_KEY);
        appEnv.put("SWITCHBOARD_API_URLS", apiB + "," + apiA);
        appEnv.put(
                "SWITCHBOARD_WS_URLS",
                "ws://{host}:" + nodeA.port() + "/connection/websocket,ws://{host}:" + nodeB.port()
                        + "/connection/websocket");
        appEnv.put("APP_JOB_STEPS", Integer.toString(JOB_STEPS));
        start(
                example,
                logs.resolve("app.log"),
                appEnv,
                python,
                "-m",
                "uvicorn",
                "app:app",
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(appPort));
        String appUrl = "http://127.0.0.1:" + appPort;
        awaitUp(appUrl + "/", logs.resolve("app.log"));

        // The worker publishes through node A only, so progress reaches node B's subscribers through
        // Redis; --chaos makes every step's first publish answer get lost and retried.
        Map<String, String> workerEnv = new HashMap<>(appEnv);
        workerEnv.put("SWITCHBOARD_API_URLS", apiA);
        Path workerLog = logs.resolve("worker.log");
        start(
                example,
                workerLog,
                workerEnv,
                python,
                "worker.py",
                "--app",
                appUrl,
                "--step-seconds",
                "0.15",
                "--poll-seconds",
                "0.1",
                "--chaos");

        int exit = ExternalTools.runNodeTests(
                TAG,
                node,
                conformance,
                List.of("test/fastapi-example.test.mjs"),
                Map.of(
                        "FASTAPI_APP_URL",
                        appUrl,
                        "FASTAPI_NODE_A_WS",
                        "ws://127.0.0.1:" + nodeA.port() + "/connection/websocket",
                        "FASTAPI_NODE_B_WS",
                        "ws://127.0.0.1:" + nodeB.port() + "/connection/websocket",
                        "FASTAPI_NODE_A_API",
                        apiA,
                        "FASTAPI_API_KEY",
                        API_KEY,
                        "FASTAPI_JOB_STEPS",
                        Integer.toString(JOB_STEPS),
                        "CHROMIUM",
                        chromium,
                        "FASTAPI_WEBHOOKS",
                        webhooksEnabled(yaml) ? "1" : "0"),
                SUITE_TIMEOUT);
        String worker = Files.readString(workerLog);
        if (exit != 0) {
            System.out.println("[" + TAG + "] app log:\n" + Files.readString(logs.resolve("app.log")));
            System.out.println("[" + TAG + "] worker log:\n" + worker);
        }
        assertEquals(0, exit, "fastapi-example.test.mjs failed; the failing tests are listed above");
        // The Node side saw every step once; this shows those steps went through lost answers and retries.
        assertTrue(worker.contains("chaos: answer"), "the worker lost first answers (--chaos)");
        assertTrue(worker.contains("landed on attempt 2"), "and its retries landed with the same idempotency key");
        System.out.printf(
                "[%s] done in %d ms%n",
                TAG, Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    /** Whether the example's YAML has its {@code webhook:} section uncommented (then F9 runs). */
    private static boolean webhooksEnabled(String yaml) {
        return yaml.lines().anyMatch(line -> line.startsWith("webhook:"));
    }

    /** A node from the example's YAML, as its README starts the second one: ports from the environment. */
    private SwitchboardServer startNode(String exampleYaml, int appPort) {
        String yaml = exampleYaml
                .replace("127.0.0.1:9000", "127.0.0.1:" + appPort)
                .replace("localhost:9000", "localhost:" + appPort);
        SwitchboardServer server = SwitchboardServer.builder()
                .config(ConfigLoader.loadYaml(
                        yaml,
                        "examples/fastapi/switchboard.yaml",
                        Map.of(
                                "SWITCHBOARD_PORT",
                                "0",
                                "SWITCHBOARD_REDIS_URL",
                                redis.url(),
                                "SWITCHBOARD_API_KEY",
                                API_KEY)))
                .build();
        nodes.add(server);
        server.start();
        return server;
    }

    private void start(Path dir, Path log, Map<String, String> env, String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        pb.environment().put("PYTHONUNBUFFERED", "1");
        pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        processes.add(pb.start());
    }

    private static void awaitUp(String url, Path log) throws Exception {
        // HTTP/1.1: uvicorn refuses the h2c upgrade the JDK client would otherwise ask for.
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1))
                .build();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(
                "the app did not answer " + url + " within 20 s; its log:\n" + Files.readString(log));
    }

    /** Debian's interpreter first: on PATH there may be another (pyenv) without Debian's packages. */
    private static String findPython() {
        List<String> candidates = new ArrayList<>();
        if (System.getenv("PYTHON") != null) {
            candidates.add(System.getenv("PYTHON"));
        }
        candidates.add("/usr/bin/python3");
        String onPath = ExternalTools.findExecutable("python3", null);
        if (onPath != null) {
            candidates.add(onPath);
        }
        return candidates.stream()
                .filter(p -> ExternalTools.succeeds(List.of(p, "-c", "import fastapi, uvicorn, itsdangerous")))
                .findFirst()
                .orElse(null);
    }
}
