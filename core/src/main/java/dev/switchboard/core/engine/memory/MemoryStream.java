package dev.switchboard.core.engine.memory;

import dev.switchboard.core.engine.HistoryFilter;
import dev.switchboard.core.engine.Publication;
import dev.switchboard.core.engine.StreamPosition;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One channel's publication stream held in memory. Not thread-safe: {@link MemoryBroker} guards
 * each stream with its own lock.
 */
final class MemoryStream {

    private record Entry(Publication publication, long expireAtMillis) {}

    private final String epoch;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long top;
    private long metaExpireAtMillis;

    MemoryStream(String epoch) {
        this.epoch = epoch;
    }

    String epoch() {
        return epoch;
    }

    StreamPosition position() {
        return new StreamPosition(top, epoch);
    }

    long nextOffset() {
        return top + 1;
    }

    /** Appends a publication whose offset is {@link #nextOffset()} and trims by size. */
    void append(Publication publication, int maxSize, long ttlMillis, long metaTtlMillis, long now) {
        top = publication.offset();
        entries.addLast(new Entry(publication, now + ttlMillis));
        while (entries.size() > maxSize) {
            entries.removeFirst();
        }
        touch(metaTtlMillis, now);
    }

    /** Keeps the stream's position alive for another meta TTL. */
    void touch(long metaTtlMillis, long now) {
        metaExpireAtMillis = Math.max(metaExpireAtMillis, now + metaTtlMillis);
    }

    boolean metaExpired(long now) {
        return metaExpireAtMillis != 0 && now >= metaExpireAtMillis;
    }

    void clear() {
        entries.clear();
    }

    List<Publication> read(HistoryFilter filter, long now) {
        dropExpired(now);
        int limit = filter.limit();
        if (limit == 0 || entries.isEmpty()) {
            return List.of();
        }
        int max = limit < 0 ? Integer.MAX_VALUE : limit;
        List<Publication> out = new ArrayList<>(Math.min(max, entries.size()));
        Iterator<Entry> it = filter.reverse() ? entries.descendingIterator() : entries.iterator();
        Long since = filter.since() == null ? null : filter.since().offset();
        while (it.hasNext() && out.size() < max) {
            Publication p = it.next().publication();
            if (since != null) {
                if (!filter.reverse() && p.offset() <= since) {
                    continue;
                }
                if (filter.reverse() && p.offset() >= since) {
                    continue;
                }
            }
            out.add(p);
        }
        return out;
    }

    private void dropExpired(long now) {
        while (!entries.isEmpty() && entries.peekFirst().expireAtMillis() <= now) {
            entries.removeFirst();
        }
    }
}
