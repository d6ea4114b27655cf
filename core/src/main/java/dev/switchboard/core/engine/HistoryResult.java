package dev.switchboard.core.engine;

import java.util.List;

/**
 * Publications read from a channel's history and the stream's current position.
 *
 * @param publications in the order asked for
 * @param position the latest offset and the epoch at the time of the read
 */
public record HistoryResult(List<Publication> publications, StreamPosition position) {
    public HistoryResult {
        publications = List.copyOf(publications);
    }
}
