package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A subscription became subscribed: first time, or again after a reconnect or a server request
 * to resubscribe. Publications the server recovered are delivered to the publication listeners
 * right after this event, oldest first.
 *
 * @param channel the channel
 * @param wasRecovering whether the client asked to recover from a known position
 * @param recovered whether the server returned every missed publication; {@code false} with
 *     {@code wasRecovering} means some were lost and the app should reload its state
 * @param recoverable whether the channel's stream is recoverable (the client will recover on the next resubscribe)
 * @param positioned whether the server tracks the subscription's stream position
 * @param position the stream's top as the reply reports it (recovered publications end there), or
 *     {@code null} when the subscription is neither positioned nor recoverable
 * @param recoveredPublications how many publications the reply carried
 * @param data the subscribe hook's data, or {@code null}
 */
public record SubscribedEvent(
        String channel,
        boolean wasRecovering,
        boolean recovered,
        boolean recoverable,
        boolean positioned,
        StreamPosition position,
        int recoveredPublications,
        JsonNode data) {}
