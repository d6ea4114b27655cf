package dev.switchboard.core.engine;

import java.util.Objects;

/** An {@link Engine} put together from parts with {@link Engine#of}. */
record ComposedEngine(
        Broker broker,
        PresenceManager presenceManager,
        NodeRegistry nodeRegistry,
        ConnectionRegistry connectionRegistry)
        implements Engine {

    ComposedEngine {
        Objects.requireNonNull(broker, "broker");
        Objects.requireNonNull(presenceManager, "presenceManager");
        Objects.requireNonNull(nodeRegistry, "nodeRegistry");
        Objects.requireNonNull(connectionRegistry, "connectionRegistry");
    }
}
