package dev.switchboard.core.node;

/**
 * Counters the node reports as it works. The server binds this to Micrometer; the default does
 * nothing. Implementations must be cheap and thread-safe: some calls sit on the delivery path.
 */
public interface NodeMetrics {

    /** Reports nothing. */
    NodeMetrics NOOP = new NodeMetrics() {};

    /** A client command arrived. */
    default void command(String method) {}

    /** A command was refused before running (e.g. {@code "rate_limit"}). */
    default void commandRejected(String reason) {}

    /** A connection finished {@code connect}. */
    default void connected() {}

    /** A connection ended with this code. */
    default void disconnected(int code) {}

    /** A publication was handed to this many local subscribers. */
    default void delivered(int subscribers) {}

    /** A subscribe asked to recover; {@code recovered} tells the outcome. */
    default void recovery(boolean recovered) {}

    /**
     * An invocation ended.
     *
     * @param path {@code local}, {@code remote} or {@code rejected}
     * @param outcome {@code ok} or the failure reason ({@code timeout}, {@code not_connected}, ...)
     */
    default void invocation(String path, String outcome, long nanos) {}

    /** A subscriber's stream had a hole and was ended with insufficient state. */
    default void insufficientState() {}
}
