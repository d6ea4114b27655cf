package dev.switchboard.transport.api;

import dev.switchboard.core.protocol.ProtocolCodec;
import dev.switchboard.core.protocol.ProtocolError;
import dev.switchboard.core.rpc.InvokeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One API operation's outcome: a result body or an error, and the HTTP status it maps to when
 * it is the whole response.
 */
record ApiOutcome(ProtocolCodec.Body result, ProtocolError error, int status) {

    private static final Logger log = LoggerFactory.getLogger(ApiOutcome.class);

    /** One API method: validates its params (throwing {@link BadRequestException}) and starts the work. */
    @FunctionalInterface
    interface Method {
        CompletableFuture<ProtocolCodec.Body> call(Params params);
    }

    static ApiOutcome ok(ProtocolCodec.Body result) {
        return new ApiOutcome(result, null, 200);
    }

    /** An API-level error, answered with HTTP 200 as Centrifugo does. */
    static ApiOutcome error(ProtocolError e) {
        return new ApiOutcome(null, e, 200);
    }

    /** Runs a method; whatever it throws or fails with becomes an outcome. Never fails itself. */
    static CompletableFuture<ApiOutcome> invoke(Method m, Params p) {
        CompletableFuture<ProtocolCodec.Body> f;
        try {
            f = m.call(p);
        } catch (Throwable t) {
            return CompletableFuture.completedFuture(failure(t));
        }
        return f.handle((body, t) -> t == null ? ok(body) : failure(t));
    }

    static ProtocolError badRequest(BadRequestException e) {
        return ProtocolError.BAD_REQUEST.withMessage("bad request: " + e.getMessage());
    }

    static ApiOutcome failure(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof BadRequestException e) {
            return new ApiOutcome(null, badRequest(e), 400);
        }
        if (t instanceof InvokeException e) {
            // Each reason has its own status; a client's own error keeps the client's code.
            int code = e.reason() == InvokeException.Reason.CLIENT_ERROR
                    ? e.clientCode()
                    : e.reason().httpStatus();
            boolean temporary = e.reason().httpStatus() >= 500 && e.reason() != InvokeException.Reason.CLIENT_ERROR;
            return new ApiOutcome(
                    null,
                    ProtocolError.of(code, e.reason().wireName() + ": " + e.getMessage(), temporary),
                    e.reason().httpStatus());
        }
        if (t instanceof ProtocolError e) {
            if (!e.temporary()) {
                return error(e);
            }
            return new ApiOutcome(null, e, e.code() == ProtocolError.TOO_MANY_REQUESTS.code() ? 429 : 503);
        }
        if (t instanceof TimeoutException
                || t instanceof IOException
                || t instanceof UncheckedIOException
                || t instanceof RejectedExecutionException) {
            log.warn("server API call failed temporarily: {}", t.toString());
            return new ApiOutcome(null, ProtocolError.INTERNAL, 503);
        }
        log.error("server API call failed", t);
        return new ApiOutcome(null, ProtocolError.INTERNAL, 500);
    }
}
