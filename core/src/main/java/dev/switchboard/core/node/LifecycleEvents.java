package dev.switchboard.core.node;

/**
 * Which {@link dev.switchboard.core.engine.LifecycleEvent}s a node queues for the application's
 * backend (the webhooks). Queuing needs an engine with an event queue
 * ({@link dev.switchboard.core.engine.Engine#eventQueue()}); both built-in engines have one.
 *
 * <pre>{@code
 * Node node = Node.builder().lifecycleEvents(LifecycleEvents.CONNECTIONS).build();
 * }</pre>
 */
public enum LifecycleEvents {
    /** None: the default. */
    NONE,
    /** {@code connected} and {@code disconnected}. */
    CONNECTIONS,
    /** Those and {@code subscribed}/{@code unsubscribed}. */
    CONNECTIONS_AND_SUBSCRIPTIONS
}
