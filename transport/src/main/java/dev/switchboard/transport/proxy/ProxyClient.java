package dev.switchboard.transport.proxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.protocol.ProtocolCodec;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls one proxy endpoint of the application's backend: POSTs a JSON body with the configured
 * headers and decodes the JSON answer, never blocking the caller.
 *
 * <p><b>Why the JDK's {@link HttpClient}.</b> It is non-blocking ({@code sendAsync}), pools
 * HTTP/1.1 keep-alive connections per host, needs no dependency (the library stays on Netty,
 * Jackson, Micrometer and nimbus), and runs its completions on an executor of ours, so the
 * backend's answers are handled off Netty's event loops by construction. Netty's own client would
 * share the event loops (fast, but a decoder bug or a slow callback there stalls sockets) and
 * needs a hand-built pool and HTTP handling; Reactor Netty or Apache's async client would add a
 * dependency tree to every embedding application for no feature we use.
 *
 * <p>Around each call: at most {@link ProxyConfig#maxInFlight()} calls out at once (more fail at
 * once, {@code overloaded}); a {@link CircuitBreaker} (failures in a row open it, and calls then
 * fail at once, {@code circuit_open}, until one probe after the cool-down succeeds); a deadline
 * of {@link ProxyConfig#timeout()} for the whole exchange, body included; a bound on the body;
 * metrics by outcome; failures logged once per burst, never with header values or bodies.
 *
 * <pre>{@code
 * ProxyClient client = new ProxyClient("connect", config, http, executor, registry, System::nanoTime);
 * client.call(json, clientHeaders, answer -> answer.path("result").path("user").asText())
 *     .whenComplete((user, err) -> ...);   // err: a ProxyException with its outcome
 * }</pre>
 */
public final class ProxyClient {

    private static final Logger log = LoggerFactory.getLogger(ProxyClient.class);
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final String name;
    private final ProxyConfig config;
    private final HttpClient http;
    private final Executor executor;
    private final LongSupplier nanoTime;
    private final CircuitBreaker breaker;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ProxyMetrics metrics;
    private final BurstLog burstLog;

    /**
     * @param name the proxy's name in metrics and logs, e.g. {@code connect}
     * @param http the shared client; its executor is where answers are handled
     * @param executor where outcomes are mapped and callers' stages complete, never an event loop
     * @param nanoTime the clock of the breaker and the log (tests pass a hand-moved one)
     */
    public ProxyClient(
            String name,
            ProxyConfig config,
            HttpClient http,
            Executor executor,
            MeterRegistry registry,
            LongSupplier nanoTime) {
        this.name = name;
        this.config = config;
        this.http = http;
        this.executor = executor;
        this.nanoTime = nanoTime;
        this.breaker = new CircuitBreaker(
                config.breakerFailures(), config.breakerOpenTime().toNanos(), nanoTime);
        this.metrics = new ProxyMetrics(
                registry, name, inFlight::get, () -> breaker.state().ordinal());
        this.burstLog = new BurstLog(log, LOG_INTERVAL_NANOS, nanoTime);
    }

    /** The proxy's name, e.g. {@code connect}. */
    public String name() {
        return name;
    }

    /** This proxy's meters, to remove from an application's registry on close. */
    public List<Meter> meters() {
        return metrics.meters();
    }

    /** Whether this proxy's calls carry the connection's {@code meta}. */
    boolean includesMeta() {
        return config.includeConnectionMeta();
    }

    CircuitBreaker.State breakerState() {
        return breaker.state();
    }

    /**
     * POSTs {@code body} and decodes the answer.
     *
     * @param clientHeaders the client's upgrade-request headers (lower-case names); only those in
     *     {@link ProxyConfig#httpHeaders()} are sent
     * @param decoder turns the answer's JSON object into the caller's value; throws
     *     {@link MalformedAnswerException} when it is not the protocol's shape
     * @return completes on the proxy executor with the value, or fails with a {@link ProxyException}
     */
    public <T> CompletableFuture<T> call(
            byte[] body, Map<String, List<String>> clientHeaders, Function<JsonNode, T> decoder) {
        return call(body, clientHeaders, Map.of(), decoder);
    }

    /**
     * POSTs {@code body} where only the status matters (a webhook): any 2xx is {@code ok}, its
     * body unread beyond the size bound; anything else fails as {@link #call} does.
     */
    public CompletableFuture<Void> post(byte[] body) {
        return call(body, Map.of(), Map.of(), null);
    }

    /**
     * POSTs {@code body} with the client's emulated headers too, and decodes the answer.
     *
     * @param clientHeaders the client's upgrade-request headers (lower-case names); only those in
     *     {@link ProxyConfig#httpHeaders()} are sent
     * @param emulatedHeaders the headers the client sent in its {@code connect} (lower-case
     *     names, untrusted); only those in {@link ProxyConfig#emulatedHeaders()} are sent, and never
     *     in place of a real header of the same name
     * @param decoder as {@link #call(byte[], Map, Function)}; {@code null} accepts any 2xx answer
     *     without reading it (see {@link #post})
     */
    public <T> CompletableFuture<T> call(
            byte[] body,
            Map<String, List<String>> clientHeaders,
            Map<String, String> emulatedHeaders,
            Function<JsonNode, T> decoder) {
        if (inFlight.incrementAndGet() > config.maxInFlight()) {
            inFlight.decrementAndGet();
            return refused(ProxyOutcome.OVERLOADED, config.maxInFlight() + " calls already in flight");
        }
        if (!breaker.tryAcquire()) {
            inFlight.decrementAndGet();
            return refused(ProxyOutcome.CIRCUIT_OPEN, "circuit open after failures in a row");
        }
        long started = nanoTime.getAsLong();
        CompletableFuture<HttpResponse<byte[]>> sent;
        try {
            sent = http.sendAsync(
                    request(body, clientHeaders, emulatedHeaders), BoundedBody.handler(config.maxResponseSize()));
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        // A copy of our own carries the deadline: the JDK's future is not ours to complete.
        CompletableFuture<HttpResponse<byte[]>> timed = new CompletableFuture<>();
        CompletableFuture<HttpResponse<byte[]>> exchange = sent;
        exchange.whenComplete((r, e) -> {
            if (e != null) {
                timed.completeExceptionally(e);
            } else {
                timed.complete(r);
            }
        });
        timed.orTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
        return timed.handleAsync(
                (response, err) -> {
                    if (err != null && unwrap(err) instanceof TimeoutException) {
                        exchange.cancel(true);
                    }
                    return finish(started, response, err, decoder);
                },
                executor);
    }

    HttpRequest request(byte[] body, Map<String, List<String>> clientHeaders, Map<String, String> emulatedHeaders) {
        HttpRequest.Builder b = HttpRequest.newBuilder(config.endpoint())
                .timeout(config.timeout())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        // Static first so that a client's header of the same name replaces it, as Centrifugo.
        Map<String, List<String>> headers = new LinkedHashMap<>();
        config.staticHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.of(v)));
        // Emulated (client-sent, untrusted) headers next, only the allow-listed ones...
        for (String h : config.emulatedHeaders()) {
            String value = emulatedHeaders.get(h);
            if (value != null) {
                headers.put(h, List.of(value));
            }
        }
        // ...and a real header of the request that opened the connection always wins over both.
        for (String h : config.httpHeaders()) {
            List<String> values = clientHeaders.get(h);
            if (values != null && !values.isEmpty()) {
                headers.put(h, values);
            }
        }
        headers.forEach((h, values) -> {
            for (String v : values) {
                try {
                    b.header(h, v);
                } catch (IllegalArgumentException e) {
                    // A value the JDK refuses (a control character): left out, never logged.
                    log.debug("{} proxy: header {} left out, its value is not valid", name, h);
                }
            }
        });
        b.header("Content-Type", "application/json");
        return b.build();
    }

    private <T> T finish(long started, HttpResponse<byte[]> response, Throwable err, Function<JsonNode, T> decoder) {
        ProxyOutcome outcome = ProxyOutcome.OK;
        String why = null;
        T value = null;
        try {
            if (err != null) {
                Throwable cause = unwrap(err);
                if (cause instanceof ProxyException pe) {
                    outcome = pe.outcome();
                    why = pe.getMessage();
                } else if (cause instanceof TimeoutException || cause instanceof HttpTimeoutException) {
                    outcome = ProxyOutcome.TIMEOUT;
                    why = "no answer within " + config.timeout().toMillis() + "ms";
                } else {
                    outcome = ProxyOutcome.UNAVAILABLE;
                    why = "cannot reach " + config.endpoint() + ": "
                            + cause.getClass().getSimpleName()
                            + (cause instanceof IOException && cause.getMessage() != null
                                    ? " " + cause.getMessage()
                                    : "");
                }
            } else if (decoder == null ? response.statusCode() / 100 != 2 : response.statusCode() != 200) {
                outcome = ProxyOutcome.ERROR;
                why = "backend answered HTTP " + response.statusCode();
            } else if (decoder == null) {
                // A webhook's answer says nothing beyond its status.
            } else if (response.body() == null) {
                outcome = ProxyOutcome.MALFORMED;
                why = "answer larger than " + config.maxResponseSize() + " bytes";
            } else {
                JsonNode json = parse(response.body());
                value = decoder.apply(json);
            }
        } catch (MalformedAnswerException e) {
            outcome = ProxyOutcome.MALFORMED;
            why = "answer is not the proxy protocol's: " + e.getMessage();
        }
        long elapsed = nanoTime.getAsLong() - started;
        inFlight.decrementAndGet();
        metrics.record(outcome);
        metrics.recordDuration(elapsed);
        if (outcome.countsAsFailure()) {
            breaker.onFailure();
        } else {
            breaker.onSuccess();
        }
        if (outcome != ProxyOutcome.OK) {
            burstLog.warn(name, outcome.tag() + ": " + why);
            throw new ProxyException(outcome, why);
        }
        return value;
    }

    private static JsonNode parse(byte[] body) {
        JsonNode json;
        try {
            json = ProtocolCodec.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            // Jackson's message quotes the body: only its size is logged.
            throw new MalformedAnswerException("not JSON (" + body.length + " bytes)");
        } catch (IOException e) {
            throw new MalformedAnswerException("unreadable");
        }
        if (json == null || !json.isObject()) {
            throw new MalformedAnswerException("not a JSON object");
        }
        return json;
    }

    private <T> CompletableFuture<T> refused(ProxyOutcome outcome, String why) {
        metrics.record(outcome);
        burstLog.warn(name, outcome.tag() + ": " + why);
        return CompletableFuture.failedFuture(new ProxyException(outcome, why));
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
