package dev.switchboard.client;

/**
 * A change of a subscription's state, with why.
 *
 * <p>For {@link SubscriptionState#UNSUBSCRIBED}, {@code code} is {@link #UNSUBSCRIBE_CALLED}, a server
 * error code of a refused subscribe (e.g. 103 permission denied), or the code of the server's
 * {@code unsubscribe} push (below 2500, e.g. 2000 server unsubscribe). For
 * {@link SubscriptionState#SUBSCRIBING} it is {@link #SUBSCRIBE_CALLED}, {@link #TRANSPORT_CLOSED}, or
 * an {@code unsubscribe} push code of 2500 or more (the server asks to resubscribe, e.g. 2500
 * insufficient state).
 *
 * @param channel the subscription's channel
 * @param state the new state
 * @param code why
 * @param reason a human-readable reason
 */
public record SubscriptionStateEvent(String channel, SubscriptionState state, int code, String reason) {

    /** SUBSCRIBING 0: {@code subscribe()} was called. */
    public static final int SUBSCRIBE_CALLED = 0;
    /** SUBSCRIBING 1: the client lost its connection; the subscription comes back after reconnecting. */
    public static final int TRANSPORT_CLOSED = 1;
    /** UNSUBSCRIBED 0: {@code unsubscribe()} was called. */
    public static final int UNSUBSCRIBE_CALLED = 0;
    /** UNSUBSCRIBED 1: the subscription token supplier returned no token (null or empty). */
    public static final int UNAUTHORIZED = 1;

    public SubscriptionStateEvent {
        reason = reason == null ? "" : reason;
    }
}
