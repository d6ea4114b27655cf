package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;

/**
 * The state of one WebSocket connection: its transport, the calls sent on it and waiting for
 * replies, and what the connect reply said about pings. Confined to the client's event thread;
 * a new connection gets a new instance, so events of an old one are recognised and ignored.
 */
final class Connection {

    Transport transport;
    /** True once the server accepted {@code connect}. */
    boolean connected;
    /** Whether the server wants {@code {}} answers to its pings. */
    boolean pong;
    /** Nothing received for this long means the connection is dead; 0 = not checked. */
    long pingTimeoutNanos;

    long lastReceivedNanos = System.nanoTime();
    ScheduledFuture<?> watchdog;
    private final Map<Integer, Call> pending = new HashMap<>();

    /** Registers calls under the given ids and sends their commands in one frame, {@code \n}-separated. */
    void sendBatch(List<Call> calls, List<Integer> ids) {
        StringBuilder frame = new StringBuilder();
        for (int i = 0; i < calls.size(); i++) {
            Call c = calls.get(i);
            int id = ids.get(i);
            pending.put(id, c);
            if (frame.length() > 0) {
                frame.append('\n');
            }
            frame.append(Codec.encode(c.command(id)));
        }
        if (frame.length() > 0) {
            send(frame.toString());
        }
    }

    /** Sends a frame that expects no reply. */
    void sendRaw(JsonNode message) {
        send(Codec.encode(message));
    }

    private void send(String frame) {
        if (EventLoop.log.isTraceEnabled()) {
            EventLoop.log.trace("switchboard client -> {}", frame);
        }
        transport.send(frame);
    }

    /** The call waiting for this id, removed; {@code null} when unknown (timed out, or bogus). */
    Call take(int id) {
        return pending.remove(id);
    }

    void forget(Call call) {
        pending.values().remove(call);
    }

    /** Every call still waiting, removed. */
    List<Call> drain() {
        List<Call> all = new ArrayList<>(pending.values());
        pending.clear();
        return all;
    }
}
