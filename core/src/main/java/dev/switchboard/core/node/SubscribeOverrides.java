package dev.switchboard.core.node;

import dev.switchboard.core.InvalidOptionException;
import dev.switchboard.core.channel.ChannelOptions;
import dev.switchboard.core.hook.SubscribeOverride;
import dev.switchboard.core.protocol.ProtocolError;

/** Applies a {@link SubscribeOverride} to a channel's options, for one subscription. */
final class SubscribeOverrides {

    private SubscribeOverrides() {}

    /**
     * The channel's options with the override's values.
     *
     * @throws dev.switchboard.core.InvalidOptionException when the result is not valid, e.g.
     *     {@code force_recovery} on a channel without history
     */
    static ChannelOptions apply(ChannelOptions opts, SubscribeOverride o) {
        if (o == null || o.isEmpty()) {
            return opts;
        }
        ChannelOptions.Builder b = opts.toBuilder();
        if (o.presence() != null) {
            b.presence(o.presence());
        }
        if (o.joinLeave() != null) {
            b.joinLeave(o.joinLeave());
        }
        if (o.forcePushJoinLeave() != null) {
            b.forcePushJoinLeave(o.forcePushJoinLeave());
        }
        if (o.forceRecovery() != null) {
            b.forceRecovery(o.forceRecovery());
        }
        if (o.forcePositioning() != null) {
            b.forcePositioning(o.forcePositioning());
        }
        return b.build();
    }

    /**
     * {@link #apply}, with an override the channel cannot take (e.g. {@code force_recovery}
     * without history) turned into error 100 for the client: the application's answer was wrong,
     * not the client's command, and the message says which option.
     */
    static ChannelOptions applyOrRefuse(ChannelOptions opts, SubscribeOverride o) {
        try {
            return apply(opts, o);
        } catch (InvalidOptionException e) {
            throw ProtocolError.INTERNAL.withMessage("override refused: " + e.getMessage());
        }
    }
}
