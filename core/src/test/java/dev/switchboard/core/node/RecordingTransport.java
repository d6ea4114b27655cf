package dev.switchboard.core.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.protocol.Disconnect;
import dev.switchboard.core.protocol.ProtocolCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A transport that keeps what the node wrote, for unit tests of the session logic. */
final class RecordingTransport implements Transport {

    final List<byte[]> messages = new CopyOnWriteArrayList<>();
    volatile Disconnect closed;
    /** What {@link #headers()} answers, as if the upgrade request had carried them. */
    volatile Map<String, List<String>> headers = Map.of();

    @Override
    public Map<String, List<String>> headers() {
        return headers;
    }

    @Override
    public String name() {
        return "test";
    }

    @Override
    public void write(byte[] message) {
        messages.add(message);
    }

    @Override
    public void close(Disconnect disconnect) {
        if (closed == null) {
            closed = disconnect;
        }
    }

    List<JsonNode> json() {
        List<JsonNode> out = new ArrayList<>();
        for (byte[] m : messages) {
            try {
                out.add(ProtocolCodec.mapper().readTree(m));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** The reply to command {@code id}. */
    JsonNode reply(long id) {
        return json().stream()
                .filter(n -> n.path("id").asLong() == id)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no reply to command " + id + " in " + json()));
    }

    /** Pushes of a kind ({@code pub}, {@code join}, ...) on a channel. */
    List<JsonNode> pushes(String channel, String kind) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode n : json()) {
            JsonNode p = n.path("push");
            if (p.has(kind) && p.path("channel").asText("").equals(channel)) {
                out.add(p.get(kind));
            }
        }
        return out;
    }
}
