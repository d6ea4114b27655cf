package dev.switchboard.core.engine;

/**
 * Which part of a channel's history to read.
 *
 * @param since read publications after this position, or {@code null} from the start (or the
 *     end, when {@code reverse})
 * @param limit most publications to return; {@code 0} returns only the stream position;
 *     {@link #NO_LIMIT} returns all
 * @param reverse newest first
 */
public record HistoryFilter(StreamPosition since, int limit, boolean reverse) {

    /** A limit meaning "everything the history holds". */
    public static final int NO_LIMIT = -1;

    /** Only the current stream position, no publications. */
    public static final HistoryFilter POSITION_ONLY = new HistoryFilter(null, 0, false);
}
