package dev.switchboard.core.hook;

/**
 * How a connect hook subscribes a connection to one server-side channel, as a value of the
 * {@code subs} map of Centrifugo's connect proxy result: the subscriber's channel info, data for
 * the client and changes to the channel's options, each applied as for a client subscribe that a
 * {@link SubscribeHandler} allowed with the same values.
 *
 * <pre>{@code
 * ConnectDecision.allowAs("42", null).withSubs(Map.of("jobs:7",
 *     new SubscribeOptions(infoJson, jobs.stateJson(7), new SubscribeOverride(true, null, null, null, null))));
 * }</pre>
 *
 * @param info raw JSON channel info for this subscriber (presence, join/leave, publications it
 *     sends), or {@code null} for none
 * @param data raw JSON sent to the client in the connect reply's entry for this channel (the
 *     subscribe result's {@code data}, which SDKs surface in the server-side {@code subscribed}
 *     event), or {@code null}
 * @param override changes to the channel's options for this subscription, or {@code null}
 */
public record SubscribeOptions(byte[] info, byte[] data, SubscribeOverride override) {

    /** No info, no data, the channel's own options: as a plain server-side channel. */
    public static final SubscribeOptions DEFAULT = new SubscribeOptions(null, null, null);
}
