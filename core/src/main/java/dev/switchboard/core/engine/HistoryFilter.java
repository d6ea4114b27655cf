package dev.switchboard.core.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * Which part of a channel's history to read.
 *
 * <p>Reading a channel nobody has published to yet fixes its position (a new epoch at offset 0)
 * so that the reader and the first publisher agree on the epoch. That position then lives for
 * {@code metaTtl}, the channel's {@code history_meta_ttl}: callers that know the channel's options
 * pass it, so reads of many never-published channels cost no more than their namespace allows.
 *
 * <pre>{@code
 * HistoryFilter f = new HistoryFilter(since, 100, false).withMetaTtl(options.historyMetaTtl());
 * }</pre>
 *
 * @param since read publications after this position, or {@code null} from the start (or the
 *     end, when {@code reverse})
 * @param limit most publications to return; {@code 0} returns only the stream position;
 *     {@link #NO_LIMIT} returns all
 * @param reverse newest first
 * @param metaTtl how long a position this read creates lives; positive
 */
public record HistoryFilter(StreamPosition since, int limit, boolean reverse, Duration metaTtl) {

    /** A limit meaning "everything the history holds". */
    public static final int NO_LIMIT = -1;

    /**
     * The {@code metaTtl} of a filter made without one: 30 days, the default
     * {@code history_meta_ttl} of a channel ({@code ChannelOptions.DEFAULT_HISTORY_META_TTL}).
     */
    public static final Duration DEFAULT_META_TTL = Duration.ofDays(30);

    /** Only the current stream position, no publications. */
    public static final HistoryFilter POSITION_ONLY = new HistoryFilter(null, 0, false);

    public HistoryFilter {
        Objects.requireNonNull(metaTtl, "metaTtl");
        if (metaTtl.isZero() || metaTtl.isNegative()) {
            throw new IllegalArgumentException("metaTtl must be positive, got " + metaTtl);
        }
    }

    /** A filter whose created position lives {@link #DEFAULT_META_TTL}. */
    public HistoryFilter(StreamPosition since, int limit, boolean reverse) {
        this(since, limit, reverse, DEFAULT_META_TTL);
    }

    /** The same filter with another {@code metaTtl}. */
    public HistoryFilter withMetaTtl(Duration ttl) {
        return new HistoryFilter(since, limit, reverse, ttl);
    }
}
