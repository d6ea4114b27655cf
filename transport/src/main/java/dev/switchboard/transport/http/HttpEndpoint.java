package dev.switchboard.transport.http;

import java.util.concurrent.CompletableFuture;

/**
 * An application's own HTTP handler, mounted under a path prefix of the node's internal port (or
 * of its only port without {@code internal_port}) with
 * {@link dev.switchboard.transport.SwitchboardServer.Builder#mount}. It sees a plain
 * {@link EndpointRequest} and answers an {@link HttpAnswer}: no Netty type on either side.
 *
 * <p>The node has already bounded the request before it gets here: headers, body
 * ({@code http.max_body_size}) and time ({@code http.*_timeout}) as for every other path. The
 * future may complete on any thread; a future that fails (or a handler that throws) answers a
 * JSON 500 and is logged. Handlers must not block the calling thread, which is an I/O thread:
 * move slow work elsewhere and complete the future from there.
 *
 * <pre>{@code
 * SwitchboardServer server = SwitchboardServer.builder()
 *     .config(config)
 *     .mount("/hello", s -> req -> CompletableFuture.completedFuture(
 *         HttpAnswer.text(200, "hello from " + s.node().info().name() + "\n")))
 *     .build()
 *     .start();
 * }</pre>
 */
@FunctionalInterface
public interface HttpEndpoint {

    /**
     * Answers one request whose path is the mount prefix or below it.
     *
     * @return the answer; never {@code null}
     */
    CompletableFuture<HttpAnswer> handle(EndpointRequest request);
}
