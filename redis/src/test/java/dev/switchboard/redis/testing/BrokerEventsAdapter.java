package dev.switchboard.redis.testing;

import dev.switchboard.core.engine.BrokerEventHandler;
import dev.switchboard.core.engine.ClientInfo;
import dev.switchboard.core.engine.Publication;
import dev.switchboard.core.engine.StreamPosition;

/**
 * A broker event handler that ignores every event; tests override the events they watch.
 *
 * <pre>{@code
 * broker.start(new BrokerEventsAdapter() {
 *     @Override
 *     public void handlePublication(String channel, Publication p, StreamPosition position) {
 *         delivered.add(p.offset());
 *     }
 * });
 * }</pre>
 */
public class BrokerEventsAdapter implements BrokerEventHandler {

    @Override
    public void handlePublication(String channel, Publication publication, StreamPosition position) {}

    @Override
    public void handleJoin(String channel, ClientInfo info) {}

    @Override
    public void handleLeave(String channel, ClientInfo info) {}

    @Override
    public void handleInsufficientState(String channel) {}

    @Override
    public void handleNodeMessage(byte[] message) {}

    @Override
    public void handleControl(byte[] message) {}
}
