package dev.switchboard.core.hook;

import dev.switchboard.core.engine.ClientInfo;

/**
 * A client's subscribe, as seen by a {@link SubscribeHandler}.
 *
 * @param client who subscribes
 * @param channel the channel
 * @param data raw JSON the client attached, or {@code null}
 * @param allowedByRules whether the channel's options alone would let the client in
 */
public record SubscribeRequest(ClientInfo client, String channel, byte[] data, boolean allowedByRules) {}
