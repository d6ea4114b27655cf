package dev.switchboard.core.hook;

/**
 * Changes to a channel's options for one subscription, as the {@code override} of Centrifugo's
 * subscribe proxy result: each {@code null} keeps the channel's option.
 *
 * <pre>{@code
 * SubscribeDecision.allow().withOverride(new SubscribeOverride(true, null, null, null, null)); // presence on
 * }</pre>
 *
 * @param presence keep presence for this subscriber
 * @param joinLeave send join/leave for this subscriber
 * @param forcePushJoinLeave push join/leave to this subscriber whether it asked or not
 * @param forceRecovery make this subscription recoverable (the channel needs history)
 * @param forcePositioning make this subscription positioned (the channel needs history)
 */
public record SubscribeOverride(
        Boolean presence,
        Boolean joinLeave,
        Boolean forcePushJoinLeave,
        Boolean forceRecovery,
        Boolean forcePositioning) {

    /** True when nothing is overridden. */
    public boolean isEmpty() {
        return presence == null
                && joinLeave == null
                && forcePushJoinLeave == null
                && forceRecovery == null
                && forcePositioning == null;
    }
}
