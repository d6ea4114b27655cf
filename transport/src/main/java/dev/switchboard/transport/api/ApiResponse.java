package dev.switchboard.transport.api;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The outcome of one server API call: the HTTP status to send and the JSON body.
 *
 * @param httpStatus 200 for results and API-level errors, 400 for malformed requests, 404 for
 *     unknown methods, 429/503 for temporary errors worth retrying, 500 for unexpected failures
 * @param json the response body, UTF-8 JSON ({@code Content-Type: application/json})
 */
public record ApiResponse(int httpStatus, byte[] json) {

    public ApiResponse {
        Objects.requireNonNull(json, "json");
    }

    /** The body as a string, for logs and tests. */
    public String body() {
        return new String(json, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ApiResponse{" + httpStatus + ", " + body() + '}';
    }
}
