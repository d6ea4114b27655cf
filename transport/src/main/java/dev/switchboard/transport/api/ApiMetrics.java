package dev.switchboard.transport.api;

/**
 * Where the {@link ApiExecutor} reports each server API call once it is answered. The server
 * binds it to Micrometer; the default does nothing. Both labels are from bounded sets: a method
 * the API does not know is reported as {@code unknown}, never as the name the caller sent.
 */
@FunctionalInterface
public interface ApiMetrics {

    /** Reports nothing. */
    ApiMetrics NOOP = (method, outcome, nanos) -> {};

    /**
     * @param method a method name ({@code publish}, ..., {@code batch}), {@code command_lines} for
     *     {@code POST /api}, or {@code unknown}
     * @param outcome {@code ok}, {@code error} (an API error answered with 200, such as 102 unknown
     *     channel), or what the HTTP status says: {@code bad_request}, {@code not_found},
     *     {@code gone}, {@code too_many_requests}, {@code cancelled}, {@code internal},
     *     {@code client_error}, {@code unavailable}, {@code timeout}
     * @param nanos from the call's start to its answer
     */
    void call(String method, String outcome, long nanos);

    /** The outcome label of a response: bounded, since every status comes from this module's code. */
    static String outcome(int httpStatus, boolean error) {
        return switch (httpStatus) {
            case 200 -> error ? "error" : "ok";
            case 400 -> "bad_request";
            case 404 -> "not_found";
            case 410 -> "gone";
            case 429 -> "too_many_requests";
            case 499 -> "cancelled";
            case 500 -> "internal";
            case 502 -> "client_error";
            case 503 -> "unavailable";
            case 504 -> "timeout";
            default -> "http_" + httpStatus / 100 + "xx";
        };
    }
}
