package dev.switchboard.transport.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.transport.proxy.TestBackend.Answer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The proxy client against a real HTTP backend on 127.0.0.1; the breaker's clock is moved by hand. */
class ProxyClientTest {

    private final TestBackend backend;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(executor)
            .build();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicLong nanos = new AtomicLong();

    ProxyClientTest() throws Exception {
        backend = new TestBackend();
    }

    @AfterEach
    void stop() {
        backend.close();
        executor.shutdownNow();
    }

    private ProxyClient client(ProxyConfig.Builder b) {
        return new ProxyClient("connect", b.enabled(true).build(), http, executor, registry, nanos::get);
    }

    private ProxyConfig.Builder to(String url) {
        // Generous: a first call on a loaded 2-core machine took over 500 ms; the timeout tests set their own.
        return ProxyConfig.builder().endpoint(url).timeout(Duration.ofSeconds(5));
    }

    private static JsonNode call(ProxyClient c) {
        return c.call("{}".getBytes(), Map.of(), n -> n).join();
    }

    private static ProxyOutcome outcomeOf(ProxyClient c, Map<String, List<String>> headers) {
        Throwable t =
                catchThrowable(() -> c.call("{}".getBytes(), headers, n -> n).join());
        assertThat(t).isInstanceOf(CompletionException.class);
        return ((ProxyException) t.getCause()).outcome();
    }

    private double count(String outcome) {
        return registry.get("switchboard_proxy_calls")
                .tag("proxy", "connect")
                .tag("outcome", outcome)
                .counter()
                .count();
    }

    @Test
    void sendsJsonWithAllowListedAndStaticHeadersOnly() {
        ProxyClient c = client(to(backend.url("/rt/connect"))
                .httpHeaders(List.of("Cookie", "X-Forwarded-For"))
                .staticHeaders(Map.of("X-Secret", "s3", "Cookie", "static-loses")));
        JsonNode answer = c.call(
                        "{\"client\":\"c1\"}".getBytes(),
                        Map.of(
                                "cookie", List.of("session=abc"),
                                "authorization", List.of("Bearer not-allowed"),
                                "x-forwarded-for", List.of("10.0.0.1")),
                        n -> n)
                .join();
        assertThat(answer.has("result")).isTrue();
        TestBackend.Seen seen = backend.seen.get(0);
        assertThat(seen.path()).isEqualTo("/rt/connect");
        assertThat(seen.body()).isEqualTo("{\"client\":\"c1\"}");
        assertThat(seen.headers().getFirst("Content-Type")).isEqualTo("application/json");
        assertThat(seen.headers().get("Cookie")).containsExactly("session=abc");
        assertThat(seen.headers().getFirst("X-Forwarded-For")).isEqualTo("10.0.0.1");
        assertThat(seen.headers().getFirst("X-Secret")).isEqualTo("s3");
        assertThat(seen.headers().containsKey("Authorization")).isFalse();
        assertThat(count("ok")).isEqualTo(1);
        assertThat(registry.get("switchboard_proxy_duration").timer().count()).isEqualTo(1);
    }

    @Test
    void statusOtherThan200IsErrorAndMalformedBodiesAreMalformed() {
        ProxyClient c = client(to(backend.url("/")));
        backend.responder = (p, b) -> new Answer(500, "oops", Duration.ZERO);
        assertThat(outcomeOf(c, Map.of())).isEqualTo(ProxyOutcome.ERROR);
        backend.responder = (p, b) -> Answer.ok("{not json");
        assertThat(outcomeOf(c, Map.of())).isEqualTo(ProxyOutcome.MALFORMED);
        backend.responder = (p, b) -> Answer.ok("[1,2]");
        assertThat(outcomeOf(c, Map.of())).isEqualTo(ProxyOutcome.MALFORMED);
        backend.responder = (p, b) -> Answer.ok("{\"x\":\"" + "a".repeat(2000) + "\"}");
        ProxyClient small = client(to(backend.url("/")).maxResponseSize(1024));
        assertThat(outcomeOf(small, Map.of())).isEqualTo(ProxyOutcome.MALFORMED);
        assertThat(count("error")).isEqualTo(1);
        assertThat(count("malformed")).isEqualTo(3);
    }

    @Test
    void aSlowBackendIsATimeoutWithinTheProxyTimeout() {
        backend.responder = (p, b) -> new Answer(200, "{}", Duration.ofSeconds(3));
        ProxyClient c = client(to(backend.url("/")).timeout(Duration.ofMillis(200)));
        long t0 = System.nanoTime();
        assertThat(outcomeOf(c, Map.of())).isEqualTo(ProxyOutcome.TIMEOUT);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).isBetween(150L, 1500L);
        assertThat(count("timeout")).isEqualTo(1);
    }

    @Test
    void callsBeyondTheInFlightBoundFailAtOnce() {
        backend.responder = (p, b) -> new Answer(200, "{}", Duration.ofMillis(400));
        // A timeout far above the delay: this test is about the bound, not the clock, on a busy box.
        ProxyClient c =
                client(to(backend.url("/")).timeout(Duration.ofSeconds(10)).maxInFlight(2));
        List<CompletableFuture<JsonNode>> out = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            out.add(c.call("{}".getBytes(), Map.of(), n -> n));
        }
        assertThat(outcomeOf(c, Map.of())).isEqualTo(ProxyOutcome.OVERLOADED);
        out.forEach(CompletableFuture::join);
        assertThat(call(c).isObject()).as("room again once they are answered").isTrue();
        assertThat(count("overloaded")).isEqualTo(1);
    }

    @Test
    void theBreakerOpensAfterFailuresInARowProbesAfterTheCoolDownAndClosesOnSuccess() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        ProxyClient down = client(ProxyConfig.builder()
                .endpoint("http://127.0.0.1:" + deadPort + "/")
                .breakerFailures(3)
                .breakerOpenTime(Duration.ofSeconds(5)));
        for (int i = 0; i < 3; i++) {
            assertThat(outcomeOf(down, Map.of())).isEqualTo(ProxyOutcome.UNAVAILABLE);
        }
        assertThat(down.breakerState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(outcomeOf(down, Map.of())).isEqualTo(ProxyOutcome.CIRCUIT_OPEN);
        nanos.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(outcomeOf(down, Map.of())).as("the probe goes out and fails").isEqualTo(ProxyOutcome.UNAVAILABLE);
        assertThat(down.breakerState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(outcomeOf(down, Map.of())).isEqualTo(ProxyOutcome.CIRCUIT_OPEN);
        assertThat(count("circuit_open")).isEqualTo(2);
        assertThat(count("unavailable")).isEqualTo(4);
    }

    @Test
    void halfOpenLetsOneProbeThroughAndItsSuccessClosesTheBreaker() {
        ProxyClient c = client(to(backend.url("/"))
                .timeout(Duration.ofSeconds(10))
                .breakerFailures(2)
                .breakerOpenTime(Duration.ofSeconds(1)));
        backend.responder = (p, b) -> new Answer(503, "", Duration.ZERO);
        outcomeOf(c, Map.of());
        outcomeOf(c, Map.of());
        assertThat(c.breakerState()).isEqualTo(CircuitBreaker.State.OPEN);
        backend.responder = (p, b) -> new Answer(200, "{}", Duration.ofMillis(300));
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        CompletableFuture<JsonNode> probe = c.call("{}".getBytes(), Map.of(), n -> n);
        assertThat(c.breakerState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        assertThat(outcomeOf(c, Map.of())).as("one probe at a time").isEqualTo(ProxyOutcome.CIRCUIT_OPEN);
        probe.join();
        assertThat(c.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(call(c).isObject()).isTrue();
    }

    @Test
    void aDecoderThatFindsTheWrongShapeMakesItMalformed() {
        ProxyClient c = client(to(backend.url("/")));
        Throwable t = catchThrowable(() -> c.call("{}".getBytes(), Map.of(), n -> {
                    throw new MalformedAnswerException("result.user must be a string");
                })
                .join());
        assertThat(((ProxyException) t.getCause()).outcome()).isEqualTo(ProxyOutcome.MALFORMED);
        assertThat(c.breakerState())
                .as("a malformed answer is not a breaker failure")
                .isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void aPostOnlyNeedsA2xxAndLeavesTheBodyUnreadWhileOtherStatusesAreErrors() {
        ProxyClient c = client(to(backend.url("/rt/events")));
        backend.responder = (p, b) -> new TestBackend.Answer(204, "", Duration.ZERO);
        c.post("{\"events\":[]}".getBytes()).join();
        backend.responder = (p, b) -> TestBackend.Answer.ok("not json at all");
        c.post("{\"events\":[]}".getBytes()).join();
        assertThat(count("ok")).isEqualTo(2);

        backend.responder = (p, b) -> new TestBackend.Answer(503, "", Duration.ZERO);
        Throwable t = catchThrowable(() -> c.post("{}".getBytes()).join());
        assertThat(((ProxyException) t.getCause()).outcome()).isEqualTo(ProxyOutcome.ERROR);
        assertThat(backend.seen.get(0).body()).isEqualTo("{\"events\":[]}");
    }
}
