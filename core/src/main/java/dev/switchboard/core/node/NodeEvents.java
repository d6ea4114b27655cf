package dev.switchboard.core.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.channel.ChannelOptions;
import dev.switchboard.core.engine.BrokerEventHandler;
import dev.switchboard.core.engine.ClientInfo;
import dev.switchboard.core.engine.Publication;
import dev.switchboard.core.engine.StreamPosition;
import dev.switchboard.core.protocol.ProtocolCodec;
import dev.switchboard.core.protocol.SharedPush;
import java.io.IOException;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the engine delivers, handed to this node's clients. A publication is encoded at most once
 * per encoding (JSON, protobuf), when the first subscriber of that encoding takes it, and the same
 * bytes go to every local subscriber of that encoding.
 */
final class NodeEvents implements BrokerEventHandler {

    private static final Logger log = LoggerFactory.getLogger(NodeEvents.class);

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
        ChannelOptions opts = node.options().channelRules().optionsFor(channel).orElse(null);
        SharedPush push = opts != null && !opts.allowedDeltaTypes().isEmpty()
                ? SharedPush.publication(
                        channel, publication, node.deltaBases().advance(channel, publication, position))
                : SharedPush.publication(channel, publication);
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
        JsonNode n;
        try {
            n = ProtocolCodec.mapper().readTree(message);
        } catch (IOException e) {
            log.warn("dropping malformed node message");
            return;
        }
        String type = n.path("t").asText("");
        if (type.equals(ChannelSurvey.ANSWER_TYPE)) {
            node.channelSurvey().answered(n);
        } else if (type.equals(Emulation.NODE_MESSAGE_TYPE)) {
            node.emulation().handleNodeMessage(n);
        } else {
            node.invocations().handleNodeMessage(n);
        }
    }

    @Override
    public void handleControl(byte[] message) {
        node.control().apply(message);
    }
}
