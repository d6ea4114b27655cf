package dev.switchboard.client;

import java.util.List;

/**
 * A page of a channel's history and the stream's current top.
 *
 * @param publications the publications read, in the order asked for (oldest first unless reversed)
 * @param position the stream's top: the offset of its latest publication, and its epoch
 */
public record HistoryResult(List<Publication> publications, StreamPosition position) {
    public HistoryResult {
        publications = List.copyOf(publications);
    }
}
