package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Objects;

/**
 * A message published into a channel.
 *
 * <pre>{@code
 * sub.onPublication(pub -> {
 *     Order order = mapper.treeToValue(pub.json(), Order.class);
 *     log.info("order {} at offset {}", order.id(), pub.offset());
 * });
 * }</pre>
 *
 * <p>Immutable and thread-safe. {@link #data()} is the compact UTF-8 encoding of the JSON value
 * the server sent (same value, whitespace not preserved).
 */
public final class Publication {

    private final String channel;
    private final JsonNode json;
    private final long offset;
    private final ClientInfo info;
    private final Map<String, String> tags;
    private volatile byte[] bytes;

    /**
     * @param channel the channel
     * @param json the data
     * @param offset the offset in the channel's stream, {@code 0} when the channel keeps no history
     * @param info the publisher when a client published, else {@code null}
     * @param tags the publication's tags, empty when none
     */
    public Publication(String channel, JsonNode json, long offset, ClientInfo info, Map<String, String> tags) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.json = Objects.requireNonNull(json, "json");
        this.offset = offset;
        this.info = info;
        this.tags = Map.copyOf(tags);
    }

    /** The channel it was published into. */
    public String channel() {
        return channel;
    }

    /** The data as a Jackson tree. Do not modify it: other listeners see the same tree. */
    public JsonNode json() {
        return json;
    }

    /** The data as raw UTF-8 JSON bytes (a fresh copy each call). */
    public byte[] data() {
        byte[] b = bytes;
        if (b == null) {
            b = Codec.toBytes(json);
            bytes = b;
        }
        return b.clone();
    }

    /** The offset in the channel's stream ({@code 0} when the channel keeps no history). */
    public long offset() {
        return offset;
    }

    /** Who published it when a client did, else {@code null}. */
    public ClientInfo info() {
        return info;
    }

    /** Tags set by the publisher; empty when none. */
    public Map<String, String> tags() {
        return tags;
    }

    @Override
    public String toString() {
        return "Publication{channel=" + channel + ", offset=" + offset + ", data=" + json + '}';
    }
}
