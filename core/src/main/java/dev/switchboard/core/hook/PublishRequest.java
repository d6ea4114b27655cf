package dev.switchboard.core.hook;

import dev.switchboard.core.engine.ClientInfo;

/**
 * A client's publish, as seen by a {@link PublishHandler}.
 *
 * @param client who publishes
 * @param channel the channel
 * @param data the raw JSON payload
 * @param allowedByRules whether the channel's options alone allow it
 */
public record PublishRequest(ClientInfo client, String channel, byte[] data, boolean allowedByRules) {}
