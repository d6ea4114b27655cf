package dev.switchboard.core.engine.contract;

import dev.switchboard.core.engine.BrokerEventHandler;
import dev.switchboard.core.engine.ClientInfo;
import dev.switchboard.core.engine.Publication;
import dev.switchboard.core.engine.StreamPosition;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every broker event in arrival order, from any thread. */
public final class RecordingHandler implements BrokerEventHandler {

    /** One publication as the handler received it. */
    public record Delivery(String channel, Publication publication, StreamPosition position) {}

    /** A join or leave as the handler received it. */
    public record Presence(String kind, String channel, ClientInfo info) {}

    public final List<Delivery> publications = new CopyOnWriteArrayList<>();
    public final List<Presence> joinsAndLeaves = new CopyOnWriteArrayList<>();
    public final List<String> insufficientState = new CopyOnWriteArrayList<>();
    public final List<byte[]> nodeMessages = new CopyOnWriteArrayList<>();
    public final List<byte[]> controls = new CopyOnWriteArrayList<>();

    /** Payloads delivered on a channel, as text, in arrival order. */
    public List<String> texts(String channel) {
        return publications.stream()
                .filter(d -> d.channel().equals(channel))
                .map(d -> new String(d.publication().data(), java.nio.charset.StandardCharsets.UTF_8))
                .toList();
    }

    /** Offsets delivered on a channel, in arrival order. */
    public List<Long> offsets(String channel) {
        return publications.stream()
                .filter(d -> d.channel().equals(channel))
                .map(d -> d.publication().offset())
                .toList();
    }

    @Override
    public void handlePublication(String channel, Publication publication, StreamPosition position) {
        publications.add(new Delivery(channel, publication, position));
    }

    @Override
    public void handleJoin(String channel, ClientInfo info) {
        joinsAndLeaves.add(new Presence("join", channel, info));
    }

    @Override
    public void handleLeave(String channel, ClientInfo info) {
        joinsAndLeaves.add(new Presence("leave", channel, info));
    }

    @Override
    public void handleInsufficientState(String channel) {
        insufficientState.add(channel);
    }

    @Override
    public void handleNodeMessage(byte[] message) {
        nodeMessages.add(message);
    }

    @Override
    public void handleControl(byte[] message) {
        controls.add(message);
    }
}
