package dev.switchboard.redis;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Hands each pub/sub message to its consumer: control messages and node messages to the node,
 * routing-key changes to the {@link RoutingKeyCache}, a channel's messages to its
 * {@link StreamTracker}. Shared by both shapes of {@link PubSubSession}.
 */
final class PubSubRouter {

    private final RedisKeys keys;
    private final RedisBroker broker;
    private final RoutingKeyCache routingKeys;
    private final byte[] nodeChannel;
    private final byte[] controlChannel;
    private final byte[] changesChannel;

    PubSubRouter(RedisKeys keys, String nodeId, RedisBroker broker) {
        this.keys = keys;
        this.broker = broker;
        this.routingKeys = broker.routingKeyCache();
        this.nodeChannel = keys.node(nodeId);
        this.controlChannel = keys.control();
        this.changesChannel = keys.connectionChanges();
    }

    byte[] nodeChannel() {
        return nodeChannel;
    }

    byte[] controlChannel() {
        return controlChannel;
    }

    byte[] changesChannel() {
        return changesChannel;
    }

    RoutingKeyCache routingKeys() {
        return routingKeys;
    }

    /** Every channel's tracker reads what it may have missed from its stream. */
    void resyncAll() {
        broker.trackers().values().forEach(StreamTracker::resync);
    }

    /** The tracker of the channel behind a pub/sub channel reads what it may have missed. */
    void resync(byte[] pubSubChannel) {
        String ch = keys.channelOf(pubSubChannel);
        StreamTracker t = ch == null ? null : broker.trackers().get(ch);
        if (t != null) {
            t.resync();
        }
    }

    /**
     * Routes one message.
     *
     * @return {@code false} for a message on this node's channel that is not a node message (a
     *     probe), left to the caller
     */
    boolean route(byte[] channel, byte[] message) {
        if (Arrays.equals(channel, controlChannel)) {
            broker.handler().handleControl(message);
            return true;
        }
        if (Arrays.equals(channel, changesChannel)) {
            routingKeys.changed(new String(message, StandardCharsets.UTF_8));
            return true;
        }
        if (Arrays.equals(channel, nodeChannel)) {
            if (message.length > 0 && message[0] == 'm') {
                broker.handler().handleNodeMessage(Arrays.copyOfRange(message, 1, message.length));
                return true;
            }
            return false;
        }
        String ch = keys.channelOf(channel);
        StreamTracker t = ch == null ? null : broker.trackers().get(ch);
        if (t != null) {
            t.onMessage(message);
        }
        return true;
    }
}
