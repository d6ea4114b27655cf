package dev.switchboard.core.hook;

import dev.switchboard.core.engine.ClientInfo;

/**
 * A client's {@code rpc} command.
 *
 * @param client who calls
 * @param method the method name
 * @param data raw JSON arguments, or {@code null}
 */
public record RpcRequest(ClientInfo client, String method, byte[] data) {}
