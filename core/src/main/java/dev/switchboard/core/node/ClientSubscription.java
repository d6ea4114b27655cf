package dev.switchboard.core.node;

import dev.switchboard.core.channel.ChannelOptions;
import dev.switchboard.core.engine.ClientInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * One subscription of one client. Guarded by its {@link Client}'s lock.
 *
 * <p>While {@link #subscribing}, publications that arrive are buffered; when the subscribe
 * reply goes out, those after the reply's position are delivered in order and the rest dropped,
 * so a subscriber sees no duplicate and no hole.
 */
final class ClientSubscription {

    /** A publication that came while subscribing, already in the connection's encoding. */
    record Buffered(long offset, byte[] push) {}

    final String channel;
    final ChannelOptions options;
    final boolean serverSide;
    final boolean recoverable;
    final boolean positioned;
    final boolean joinLeave;
    /** Replaced by a server-side sub refresh that brings new channel info. */
    volatile ClientInfo info;

    boolean subscribing = true;
    /** The expiry is refreshed by the node's {@code SubRefreshHandler}, not by the client. */
    boolean serverRefresh;
    /** A server-side sub refresh call is out for this subscription. */
    volatile boolean refreshing;

    /** The subscriber negotiated Fossil deltas ({@code delta: "fossil"}, allowed by the channel). */
    boolean delta;
    /** A delta subscription over JSON: every payload is a JSON string (the SDKs' convention). */
    boolean deltaAsText;
    /**
     * The subscriber holds the publication at {@link #offset} (delivered since it subscribed), so
     * the next one may come as a delta of it.
     */
    boolean deltaReady;

    long offset;
    String epoch = "";
    long expireAt;
    List<Buffered> buffer = new ArrayList<>(0);

    ClientSubscription(
            String channel,
            ChannelOptions options,
            boolean serverSide,
            boolean recoverable,
            boolean positioned,
            boolean joinLeave,
            ClientInfo info,
            long expireAt) {
        this.channel = channel;
        this.options = options;
        this.serverSide = serverSide;
        this.recoverable = recoverable;
        this.positioned = positioned;
        this.joinLeave = joinLeave;
        this.info = info;
        this.expireAt = expireAt;
    }

    /** True when offsets are checked for gaps and duplicates on delivery. */
    boolean tracksOffsets() {
        return positioned || recoverable;
    }
}
