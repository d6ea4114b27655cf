package dev.switchboard.core.node;

/**
 * What a subscriber asked for.
 *
 * @param recover resume from {@code epoch}/{@code offset}
 * @param epoch the epoch the client last saw
 * @param offset the offset the client last saw
 * @param recoverable the client asks for a recoverable subscription (honoured if allowed)
 * @param positioned the client asks for a positioned subscription (honoured if allowed)
 * @param joinLeave the client wants join and leave pushes
 */
record SubscribeParams(
        boolean recover, String epoch, long offset, boolean recoverable, boolean positioned, boolean joinLeave) {

    static final SubscribeParams NONE = new SubscribeParams(false, "", 0, false, false, false);
}
