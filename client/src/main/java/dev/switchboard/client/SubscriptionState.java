package dev.switchboard.client;

/** The state of a {@link Subscription}. */
public enum SubscriptionState {
    /** Not subscribed and not trying: initial state, after {@code unsubscribe()}, or after a terminal error. */
    UNSUBSCRIBED,
    /** Wants to be subscribed: waiting for the connection, for the subscribe reply, or for a retry. */
    SUBSCRIBING,
    /** Subscribed: publications are delivered. */
    SUBSCRIBED
}
