package dev.switchboard.core.rpc;

/**
 * One connection's answer in {@code invokeAll}.
 *
 * @param clientId the connection
 * @param data the raw JSON result, or {@code null} when it failed
 * @param error the failure, or {@code null}
 */
public record InvokeResult(String clientId, byte[] data, InvokeException error) {}
