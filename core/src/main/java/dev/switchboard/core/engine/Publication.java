package dev.switchboard.core.engine;

import java.util.Map;
import java.util.Objects;

/**
 * One message published into a channel.
 *
 * @param offset its place in the channel's stream, {@code 0} for channels without history
 * @param data the payload as raw JSON bytes (UTF-8)
 * @param info the publishing client, or {@code null} when published by the server
 * @param tags string tags, never {@code null}
 * @param time publish time in Unix milliseconds
 */
public record Publication(long offset, byte[] data, ClientInfo info, Map<String, String> tags, long time) {
    public Publication {
        Objects.requireNonNull(data, "data");
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }
}
