package dev.switchboard.core.node;

import dev.switchboard.core.engine.Publication;
import dev.switchboard.core.engine.StreamPosition;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest publication this node delivered in each channel that allows deltas: what the next
 * publication's Fossil delta is made against. Only a publication exactly one offset before, in the
 * same epoch, qualifies, so a subscriber that holds that offset holds the delta's base. Entries
 * live while the node is subscribed to the channel (one publication per such channel).
 */
final class DeltaBases {

    private record Base(String epoch, Publication pub) {}

    private final Map<String, Base> latest = new ConcurrentHashMap<>();

    /**
     * Records {@code pub} as the channel's latest and returns the publication just before it,
     * or {@code null} when this node did not see that one (first after subscribing, a gap, a new
     * epoch). Called in offset order per channel, as the engine delivers.
     */
    Publication advance(String channel, Publication pub, StreamPosition position) {
        if (pub.offset() <= 0) {
            return null;
        }
        Base before = latest.put(channel, new Base(position.epoch(), pub));
        return before != null && before.epoch.equals(position.epoch()) && before.pub.offset() == pub.offset() - 1
                ? before.pub
                : null;
    }

    /** The node left the channel: it will see no more of its publications. */
    void forget(String channel) {
        latest.remove(channel);
    }
}
