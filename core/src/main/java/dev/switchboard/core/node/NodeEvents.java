package dev.switchboard.core.node;

import dev.switchboard.core.engine.BrokerEventHandler;
import dev.switchboard.core.engine.ClientInfo;
import dev.switchboard.core.engine.Publication;
import dev.switchboard.core.engine.StreamPosition;
import dev.switchboard.core.protocol.ProtocolCodec;
import dev.switchboard.core.protocol.SharedPush;
import java.util.Set;

/**
 * What the engine delivers, handed to this node's clients. A publication is encoded at most once
 * per encoding (JSON, protobuf), when the first subscriber of that encoding takes it, and the same
 * bytes go to every local subscriber of that encoding.
 */
final class NodeEvents implements BrokerEventHandler {

    private final Node node;

    NodeEvents(Node node) {
        this.node = node;
    }

    @Override
    public void handlePublication(String channel, Publication publication, StreamPosition position) {
        Set<Client> subs = node.hub().subscribers(channel);
        if (subs.isEmpty()) {
            return;
        }
        SharedPush push = SharedPush.publication(channel, publication);
        for (Client c : subs) {
            c.deliverPublication(channel, publication.offset(), push);
        }
        node.metrics().delivered(subs.size());
    }

    @Override
    public void handleJoin(String channel, ClientInfo info) {
        Set<Client> subs = node.hub().subscribers(channel);
        if (!subs.isEmpty()) {
            SharedPush push = SharedPush.ofJson(ProtocolCodec.joinPush(channel, info));
            subs.forEach(c -> c.deliverJoinLeave(channel, push));
        }
    }

    @Override
    public void handleLeave(String channel, ClientInfo info) {
        Set<Client> subs = node.hub().subscribers(channel);
        if (!subs.isEmpty()) {
            SharedPush push = SharedPush.ofJson(ProtocolCodec.leavePush(channel, info));
            subs.forEach(c -> c.deliverJoinLeave(channel, push));
        }
    }

    @Override
    public void handleInsufficientState(String channel) {
        for (Client c : node.hub().subscribers(channel)) {
            c.subscriptions().insufficientState(channel);
        }
    }

    @Override
    public void handleNodeMessage(byte[] message) {
        node.invocations().handleNodeMessage(message);
    }

    @Override
    public void handleControl(byte[] message) {
        node.control().apply(message);
    }
}
