package dev.switchboard.transport.api;

import dev.switchboard.core.node.Node;
import dev.switchboard.core.protocol.ProtocolError;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server API (Centrifugo v5/v6 HTTP JSON API shape), free of any transport: give it the
 * method name from {@code POST /api/<method>} and the request body, get back the HTTP status
 * and JSON body to send. Authentication is the transport's job.
 *
 * <p>Methods: {@code publish}, {@code broadcast}, {@code subscribe}, {@code unsubscribe},
 * {@code disconnect}, {@code refresh}, {@code presence}, {@code presence_stats}, {@code history},
 * {@code history_remove}, {@code channels}, {@code info} and {@code batch}.
 *
 * <p>Status mapping:
 * <ul>
 *   <li>200 {@code {"result":{...}}} on success; 200 {@code {"error":{code,message}}} for API
 *       errors such as 102 unknown channel or 108 not available (as Centrifugo does);</li>
 *   <li>400 {@code {"error":{"code":107,"message":"bad request: ..."}}} when the body is not a
 *       JSON object, a field has the wrong type, or a required field is missing or invalid;</li>
 *   <li>404 {@code {"error":{"code":104,...}}} for an unknown method;</li>
 *   <li>503 (429 for code 111) with the error body when the error is temporary (engine down),
 *       so callers know a retry may succeed (with an {@code idempotency_key} it is safe);</li>
 *   <li>500 with error 100 for unexpected failures.</li>
 * </ul>
 * {@code broadcast} and {@code batch} answer 200 whenever their body was readable; each item
 * carries its own result or error.
 *
 * <p>Responses are bounded: one larger than {@code maxResponseBytes} is replaced by error 106
 * (limit exceeded), and a batch stops running commands once its replies reach that size (see
 * {@link ApiBatch}).
 *
 * <p>Thread-safe. The returned future never completes exceptionally; it completes on the thread
 * that completes the engine's operation, so callers must not block it.
 *
 * <pre>{@code
 * ApiExecutor api = new ApiExecutor(node);
 * api.execute("publish", "{\"channel\":\"news\",\"data\":{\"x\":1}}".getBytes(UTF_8))
 *    .thenAccept(r -> respond(r.httpStatus(), r.json()));
 * }</pre>
 */
public final class ApiExecutor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApiExecutor.class);

    /**
     * Default largest response body: 4 MiB, as large as the largest request body and far above
     * what a history of {@code history_max_publication_limit} publications of a few KB needs.
     * A node holds a response whole while it is written, so this bounds what one caller costs.
     */
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 4L * 1024 * 1024;

    /** Threads that run {@code batch} calls, so a long batch never holds an I/O thread. */
    static final int BATCH_THREADS = 2;
    /** Batches started and not yet answered, per node; more are refused with 429 (error 111) at once. */
    static final int MAX_BATCHES_IN_PROGRESS = 64;

    private static final int MAX_ECHOED_METHOD_LENGTH = 64;

    private final ApiMethods methods;
    private final long maxResponseBytes;
    private final ThreadPoolExecutor batches;
    private final Semaphore batchesInProgress = new Semaphore(MAX_BATCHES_IN_PROGRESS);
    private final ApiMetrics metrics;

    /** An executor with {@link #DEFAULT_MAX_RESPONSE_BYTES}. */
    public ApiExecutor(Node node) {
        this(node, DEFAULT_MAX_RESPONSE_BYTES);
    }

    /**
     * @param node the node the calls act on
     * @param maxResponseBytes largest response body; larger results are answered with error 106
     */
    public ApiExecutor(Node node, long maxResponseBytes) {
        this(node, maxResponseBytes, ApiMetrics.NOOP);
    }

    /**
     * @param node the node the calls act on
     * @param maxResponseBytes largest response body; larger results are answered with error 106
     * @param metrics told of every call once it is answered
     */
    public ApiExecutor(Node node, long maxResponseBytes, ApiMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.methods = new ApiMethods(Objects.requireNonNull(node, "node"));
        if (maxResponseBytes < 1024) {
            throw new IllegalArgumentException("maxResponseBytes must be at least 1024, got " + maxResponseBytes);
        }
        this.maxResponseBytes = maxResponseBytes;
        // Threads time out when idle, so an executor that sees no batch holds none.
        // The queue is bounded by the in-progress permits: each batch queues its start and at most
        // ApiBatch.PARALLELISM continuations at a time.
        this.batches = new ThreadPoolExecutor(
                BATCH_THREADS, BATCH_THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "switchboard-api-batch");
                    t.setDaemon(true);
                    return t;
                });
        this.batches.allowCoreThreadTimeOut(true);
    }

    /**
     * Runs one API call.
     *
     * @param method the method name, as in {@code /api/<method>}
     * @param body the raw request body; empty means {@code {}}
     * @return the response; never completes exceptionally
     */
    public CompletableFuture<ApiResponse> execute(String method, byte[] body) {
        long start = System.nanoTime();
        if ("batch".equals(method)) {
            // Each item has its own result; the call as a whole is ok unless refused.
            return measured("batch", start, batch(() -> ApiBatch.run(body, methods, maxResponseBytes, batches)));
        }
        ApiOutcome.Method m = methods.get(method);
        if (m == null) {
            ProtocolError e = ProtocolError.METHOD_NOT_FOUND.withMessage("method not found: " + echo(method));
            // Never the caller's method name as a label: that would be theirs to multiply.
            metrics.call("unknown", ApiMetrics.outcome(404, true), System.nanoTime() - start);
            return CompletableFuture.completedFuture(new ApiResponse(404, ApiJson.encodeError(e)));
        }
        Params params;
        try {
            params = new Params(RequestJson.readObject(body));
        } catch (BadRequestException e) {
            metrics.call(method, ApiMetrics.outcome(400, true), System.nanoTime() - start);
            return CompletableFuture.completedFuture(
                    new ApiResponse(400, ApiJson.encodeError(ApiOutcome.badRequest(e))));
        }
        return ApiOutcome.invoke(m, params).thenApply(o -> {
            ApiResponse r = respond(o);
            // An API error answered with 200 (102 unknown channel, 106 response too large) is no "ok".
            boolean error = o.error() != null || isErrorBody(r.json());
            metrics.call(method, ApiMetrics.outcome(r.httpStatus(), error), System.nanoTime() - start);
            return r;
        });
    }

    /** Whether a body is {@code {"error":...}}, as {@link ApiJson#encodeError} writes it. */
    private static boolean isErrorBody(byte[] json) {
        return json.length > 3 && json[0] == '{' && json[1] == '"' && json[2] == 'e' && json[3] == 'r';
    }

    private CompletableFuture<ApiResponse> measured(
            String method, long start, CompletableFuture<ApiResponse> response) {
        return response.whenComplete((r, t) -> metrics.call(
                method, r == null ? "internal" : ApiMetrics.outcome(r.httpStatus(), false), System.nanoTime() - start));
    }

    /**
     * Runs the newline-delimited commands of {@code POST /api}, Centrifugo's first API form
     * ({@code {"id":1,"method":"publish","params":{...}}} per line, as cent.js's {@code pipeline()}
     * sends): 200 with one line per command, {@code {"id":1,"result":{...}}} or
     * {@code {"id":1,"error":{...}}}, joined by newlines; 400 when the body is not a sequence of
     * JSON objects. Bounded as {@code batch} is (same threads, in-progress limit, response budget).
     *
     * @param body the raw request body
     * @return the response; never completes exceptionally
     */
    public CompletableFuture<ApiResponse> executeCommandLines(byte[] body) {
        long start = System.nanoTime();
        return measured(
                "command_lines", start, batch(() -> ApiBatch.runLines(body, methods, maxResponseBytes, batches)));
    }

    /**
     * A batch runs up to thousands of commands and builds a reply of up to the response budget:
     * on a thread of its own, not the caller's (an I/O thread that serves other connections).
     */
    private CompletableFuture<ApiResponse> batch(Supplier<CompletableFuture<ApiResponse>> run) {
        if (!batchesInProgress.tryAcquire()) {
            ProtocolError busy = ProtocolError.TOO_MANY_REQUESTS.withMessage(
                    "too many requests: " + MAX_BATCHES_IN_PROGRESS + " batches are in progress already; retry later");
            return CompletableFuture.completedFuture(new ApiResponse(429, ApiJson.encodeError(busy)));
        }
        try {
            CompletableFuture<ApiResponse> response =
                    CompletableFuture.supplyAsync(run, batches).thenCompose(Function.identity());
            response.whenComplete((r, e) -> batchesInProgress.release());
            return response;
        } catch (RejectedExecutionException e) {
            // Only once closed.
            batchesInProgress.release();
            return CompletableFuture.completedFuture(new ApiResponse(503, ApiJson.encodeError(ProtocolError.INTERNAL)));
        }
    }

    /** Stops the batch threads; calls in flight finish. */
    @Override
    public void close() {
        batches.shutdown();
    }

    private ApiResponse respond(ApiOutcome o) {
        if (o.error() != null) {
            return new ApiResponse(o.status(), ApiJson.encodeError(o.error()));
        }
        byte[] json;
        try {
            json = ApiJson.encode(g -> {
                g.writeObjectFieldStart("result");
                o.result().write(g);
                g.writeEndObject();
            });
        } catch (RuntimeException e) {
            // A bug, never the caller's fault.
            log.error("server API response encoding failed", e);
            return new ApiResponse(500, ApiJson.encodeError(ProtocolError.INTERNAL));
        }
        if (json.length > maxResponseBytes) {
            return new ApiResponse(
                    200,
                    ApiJson.encodeError(ProtocolError.LIMIT_EXCEEDED.withMessage(
                            "limit exceeded: response of " + json.length + " bytes is larger than " + maxResponseBytes
                                    + "; ask for less (history limit, channels pattern)")));
        }
        return new ApiResponse(200, json);
    }

    private static String echo(String method) {
        if (method == null) {
            return "";
        }
        return method.length() <= MAX_ECHOED_METHOD_LENGTH
                ? method
                : method.substring(0, MAX_ECHOED_METHOD_LENGTH) + "...";
    }
}
