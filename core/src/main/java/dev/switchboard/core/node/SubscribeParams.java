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
 * @param rejectUnrecovered a failed recovery is error 112 instead of {@code recovered: false}
 *     (the subscribe {@code flag} bit {@link #FLAG_REJECT_UNRECOVERED})
 * @param delta the delta type asked for ({@code "fossil"}), or empty
 */
record SubscribeParams(
        boolean recover,
        String epoch,
        long offset,
        boolean recoverable,
        boolean positioned,
        boolean joinLeave,
        boolean rejectUnrecovered,
        String delta) {

    /**
     * The {@code SubscribeRequest.flag} bit asking that a recovery which fails be refused with
     * 112: Centrifugo's {@code subscriptionFlagRejectUnrecovered} ({@code 1 << 1}), which
     * centrifuge-js sets for subscriptions with a {@code getState} callback, so the app reloads
     * its state and a fresh position instead of continuing with a hole. Bit {@code 1 << 0} is
     * channel compaction, which we do not offer (the reply never carries {@code id}).
     */
    static final long FLAG_REJECT_UNRECOVERED = 1L << 1;

    static final SubscribeParams NONE = new SubscribeParams(false, "", 0, false, false, false, false, "");
}
