package dev.switchboard.core.engine;

/**
 * Receives what a {@link Broker} delivers to this node. Called in per-channel offset order;
 * implementations must not block.
 */
public interface BrokerEventHandler {

    /** A publication arrived for a channel this node is subscribed to. */
    void handlePublication(String channel, Publication publication, StreamPosition position);

    /** A client joined a channel this node is subscribed to. */
    void handleJoin(String channel, ClientInfo info);

    /** A client left a channel this node is subscribed to. */
    void handleLeave(String channel, ClientInfo info);

    /**
     * The engine lost publications of a channel that it could not restore (the stream no longer
     * holds them, or the stream's epoch changed). Subscribers that track positions must
     * resubscribe and recover.
     */
    void handleInsufficientState(String channel);

    /** A message addressed to this node alone ({@link Broker#publishToNode}). */
    void handleNodeMessage(byte[] message);

    /** A control message for all nodes (cluster-wide disconnect, unsubscribe, ...). */
    void handleControl(byte[] message);
}
