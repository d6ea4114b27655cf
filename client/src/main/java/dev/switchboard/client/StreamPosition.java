package dev.switchboard.client;

import java.util.Objects;

/**
 * A position in a channel's stream: the offset of a publication and the stream's epoch. A new
 * epoch means the stream's history was lost and offsets restarted.
 *
 * @param offset the publication offset ({@code 0} before the first publication)
 * @param epoch the stream epoch, {@code ""} when unknown
 */
public record StreamPosition(long offset, String epoch) {
    public StreamPosition {
        Objects.requireNonNull(epoch, "epoch");
        if (offset < 0) {
            throw new IllegalArgumentException("offset < 0: " + offset);
        }
    }
}
