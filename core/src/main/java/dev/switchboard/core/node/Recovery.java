package dev.switchboard.core.node;

import dev.switchboard.core.engine.HistoryResult;
import dev.switchboard.core.engine.Publication;
import dev.switchboard.core.engine.StreamPosition;
import java.util.List;

/**
 * The recovery rule: a client asking to resume a channel from {@code (epoch, offset)} gets
 * every publication after that offset, or none and {@code recovered: false} — never a
 * partial set. In cache mode ({@link #cache}) the rule is the latest publication, or none.
 */
final class Recovery {

    /**
     * The outcome of one recovery.
     *
     * @param recovered true when {@link #publications} is exactly what the client missed
     * @param publications what the client missed, oldest first; empty when not recovered
     * @param position the stream's top at the time of the read
     */
    record Outcome(boolean recovered, List<Publication> publications, StreamPosition position) {}

    private Recovery() {}

    /**
     * Applies the rule to a history read made with {@code since = offset} and a limit of
     * {@code maxPublications + 1}.
     *
     * @param epoch the client's epoch; empty matches any epoch (SDKs send none before they know one)
     * @param offset the last offset the client saw
     * @param maxPublications the most publications one recovery may return
     * @param read the history read
     */
    static Outcome apply(String epoch, long offset, int maxPublications, HistoryResult read) {
        return apply(epoch, offset, maxPublications, Long.MAX_VALUE, read);
    }

    /**
     * As {@link #apply(String, long, int, HistoryResult)}, also refusing a recovery whose
     * publications hold more than {@code maxBytes} of data: the subscribe reply carrying them would
     * overflow the client's queue, close it as slow (3008) and, as the SDK reconnects and asks
     * again, do so forever. {@code recovered: false} lets the client reset its state instead.
     */
    static Outcome apply(String epoch, long offset, int maxPublications, long maxBytes, HistoryResult read) {
        StreamPosition top = read.position();
        List<Publication> pubs = read.publications();
        boolean epochOk = epoch == null || epoch.isEmpty() || epoch.equals(top.epoch());
        boolean recovered;
        if (!epochOk || pubs.size() > maxPublications || offset > top.offset() || dataBytes(pubs) > maxBytes) {
            recovered = false;
        } else if (pubs.isEmpty()) {
            recovered = top.offset() == offset;
        } else {
            recovered = pubs.get(0).offset() == offset + 1
                    && pubs.get(pubs.size() - 1).offset() == top.offset()
                    && contiguous(pubs);
        }
        return new Outcome(recovered, recovered ? pubs : List.of(), top);
    }

    /**
     * The cache-mode rule ({@code force_recovery_mode: cache}), applied to a read of the newest
     * publication only ({@code limit 1, reverse}). The client gets that publication as its state
     * with {@code recovered: true} when it is still the stream's top; when the client already holds
     * exactly that position ({@code offset > 0}, same epoch) it gets nothing and
     * {@code recovered: true}. An empty history (never published, expired, or a lost memory engine)
     * is {@code recovered: false} unless the client already holds the top; a publication larger than
     * {@code maxBytes} is {@code recovered: false} for the reason given at {@link #apply(String, long,
     * int, long, HistoryResult)}.
     *
     * @param epoch the client's epoch, possibly empty
     * @param offset the client's offset, {@code 0} when it holds nothing
     * @param maxBytes most data bytes the reply may carry
     * @param newest the read of the newest publication
     */
    static Outcome cache(String epoch, long offset, long maxBytes, HistoryResult newest) {
        StreamPosition top = newest.position();
        boolean sameState = offset > 0 && offset == top.offset() && top.epoch().equals(epoch);
        if (newest.publications().isEmpty()) {
            return new Outcome(sameState, List.of(), top);
        }
        Publication latest = newest.publications().get(0);
        boolean recovered = latest.offset() == top.offset() && latest.data().length <= maxBytes;
        return new Outcome(recovered, recovered && !sameState ? List.of(latest) : List.of(), top);
    }

    private static long dataBytes(List<Publication> pubs) {
        long n = 0;
        for (Publication p : pubs) {
            n += p.data().length;
        }
        return n;
    }

    private static boolean contiguous(List<Publication> pubs) {
        for (int i = 1; i < pubs.size(); i++) {
            if (pubs.get(i).offset() != pubs.get(i - 1).offset() + 1) {
                return false;
            }
        }
        return true;
    }
}
