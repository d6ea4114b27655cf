package dev.switchboard.core.node;

import dev.switchboard.core.channel.ChannelOptions;
import dev.switchboard.core.hook.SubscribeOverride;

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
}
