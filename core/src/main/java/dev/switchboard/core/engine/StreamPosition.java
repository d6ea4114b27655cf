package dev.switchboard.core.engine;

import java.util.Objects;

/**
 * A position in a channel's publication stream.
 *
 * @param offset the offset of the latest publication ({@code 0} before the first)
 * @param epoch identifies the stream's life: a new epoch means its history was lost
 */
public record StreamPosition(long offset, String epoch) {
    public StreamPosition {
        Objects.requireNonNull(epoch, "epoch");
    }
}
