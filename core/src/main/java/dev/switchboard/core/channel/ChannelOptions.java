package dev.switchboard.core.channel;

import dev.switchboard.core.InvalidOptionException;
import java.time.Duration;
import java.util.List;

/**
 * Options of a channel namespace: what a channel keeps and what its clients may do.
 *
 * <p>Immutable; build with {@link #builder()} and change a copy with {@link #toBuilder()}.
 *
 * <pre>{@code
 * ChannelOptions chat = ChannelOptions.builder()
 *     .historySize(100).historyTtl(Duration.ofMinutes(5)).forceRecovery(true)
 *     .presence(true).joinLeave(true)
 *     .build();
 * }</pre>
 */
public final class ChannelOptions {

    /** Default {@link #historySize()}: no history kept. */
    public static final int DEFAULT_HISTORY_SIZE = 0;
    /** Default {@link #historyTtl()}: zero, meaning no history kept. */
    public static final Duration DEFAULT_HISTORY_TTL = Duration.ZERO;
    /**
     * Default {@link #historyMetaTtl()}: how long a channel's stream position (epoch and top offset)
     * outlives its last publication. Recovery needs the position, so this is long.
     */
    public static final Duration DEFAULT_HISTORY_META_TTL = Duration.ofDays(30);
    /** Default {@link #recoveryMaxPublicationLimit()}: at most this many publications are recovered. */
    public static final int DEFAULT_RECOVERY_MAX_PUBLICATION_LIMIT = 0;

    /** The delta type Centrifugo and its SDKs know: Fossil's delta format. */
    public static final String DELTA_FOSSIL = "fossil";

    private final int historySize;
    private final Duration historyTtl;
    private final Duration historyMetaTtl;
    private final boolean forceRecovery;
    private final boolean allowRecovery;
    private final boolean forcePositioning;
    private final boolean allowPositioning;
    private final int recoveryMaxPublicationLimit;
    private final RecoveryMode recoveryMode;
    private final boolean autoCacheRecover;
    private final boolean presence;
    private final boolean joinLeave;
    private final boolean forcePushJoinLeave;
    private final boolean allowPublishForSubscriber;
    private final boolean allowPublishForClient;
    private final boolean allowSubscribeForClient;
    private final boolean allowSubscribeForAnonymous;
    private final boolean allowPresenceForSubscriber;
    private final boolean allowPresenceForClient;
    private final boolean allowHistoryForSubscriber;
    private final boolean allowHistoryForClient;
    private final boolean allowUserLimitedChannels;
    private final boolean subscribeProxyEnabled;
    private final boolean publishProxyEnabled;
    private final boolean subRefreshProxyEnabled;
    private final List<String> allowedDeltaTypes;

    private ChannelOptions(Builder b) {
        this.historySize = b.historySize;
        this.historyTtl = b.historyTtl;
        this.historyMetaTtl = b.historyMetaTtl;
        this.forceRecovery = b.forceRecovery;
        this.allowRecovery = b.allowRecovery;
        this.forcePositioning = b.forcePositioning;
        this.allowPositioning = b.allowPositioning;
        this.recoveryMaxPublicationLimit = b.recoveryMaxPublicationLimit;
        this.recoveryMode = b.recoveryMode;
        this.autoCacheRecover = b.autoCacheRecover;
        this.presence = b.presence;
        this.joinLeave = b.joinLeave;
        this.forcePushJoinLeave = b.forcePushJoinLeave;
        this.allowPublishForSubscriber = b.allowPublishForSubscriber;
        this.allowPublishForClient = b.allowPublishForClient;
        this.allowSubscribeForClient = b.allowSubscribeForClient;
        this.allowSubscribeForAnonymous = b.allowSubscribeForAnonymous;
        this.allowPresenceForSubscriber = b.allowPresenceForSubscriber;
        this.allowPresenceForClient = b.allowPresenceForClient;
        this.allowHistoryForSubscriber = b.allowHistoryForSubscriber;
        this.allowHistoryForClient = b.allowHistoryForClient;
        this.allowUserLimitedChannels = b.allowUserLimitedChannels;
        this.subscribeProxyEnabled = b.subscribeProxyEnabled;
        this.publishProxyEnabled = b.publishProxyEnabled;
        this.subRefreshProxyEnabled = b.subRefreshProxyEnabled;
        this.allowedDeltaTypes = b.allowedDeltaTypes;
    }

    /** Options with every default: no history, no presence, clients may do nothing but receive. */
    public static ChannelOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Publications kept per channel; {@code 0} keeps none (then history and recovery are off). */
    public int historySize() {
        return historySize;
    }

    /** How long a publication stays in history; {@code 0} keeps none. */
    public Duration historyTtl() {
        return historyTtl;
    }

    /** How long a stream's epoch and offset are kept after its last publication. */
    public Duration historyMetaTtl() {
        return historyMetaTtl;
    }

    /** True when history is on: both a size and a TTL are set. */
    public boolean historyEnabled() {
        return historySize > 0 && !historyTtl.isZero();
    }

    /** Every subscription is recoverable, whatever the client asked. Needs history. */
    public boolean forceRecovery() {
        return forceRecovery;
    }

    /** A client may ask for a recoverable subscription ({@code recoverable: true}). Needs history. */
    public boolean allowRecovery() {
        return allowRecovery;
    }

    /** Every subscription is positioned: an offset gap unsubscribes it with code 2500. */
    public boolean forcePositioning() {
        return forcePositioning;
    }

    /** A client may ask for a positioned subscription ({@code positioned: true}). */
    public boolean allowPositioning() {
        return allowPositioning;
    }

    /**
     * The most publications one recovery returns; a larger gap is reported as
     * {@code recovered: false}. {@code 0} means the history size bounds it.
     */
    public int recoveryMaxPublicationLimit() {
        return recoveryMaxPublicationLimit;
    }

    /**
     * What a recovery returns: the missed publications ({@link RecoveryMode#STREAM}, the default)
     * or only the latest one ({@link RecoveryMode#CACHE}, for channels whose every publication is
     * the whole state).
     */
    public RecoveryMode recoveryMode() {
        return recoveryMode;
    }

    /**
     * Every subscription recovers in cache mode without asking: server-side subscriptions and
     * unidirectional clients, which cannot send {@code recover: true}, get the latest publication
     * on each (re)subscribe. Needs {@link #forceRecovery()} and {@link RecoveryMode#CACHE}.
     */
    public boolean autoCacheRecover() {
        return autoCacheRecover;
    }

    /** Channel presence is kept (who is subscribed). */
    public boolean presence() {
        return presence;
    }

    /** Join and leave pushes are sent to subscribers that ask for them ({@code join_leave: true}). */
    public boolean joinLeave() {
        return joinLeave;
    }

    /** Join and leave pushes are sent to every subscriber, asked or not. */
    public boolean forcePushJoinLeave() {
        return forcePushJoinLeave;
    }

    /** Subscribers of a channel may publish into it. */
    public boolean allowPublishForSubscriber() {
        return allowPublishForSubscriber;
    }

    /** Any connected client may publish, subscribed or not. */
    public boolean allowPublishForClient() {
        return allowPublishForClient;
    }

    /**
     * Any authenticated client may subscribe without a subscription token. When false, a
     * subscription token is required (unless the channel is user-limited and names the user).
     */
    public boolean allowSubscribeForClient() {
        return allowSubscribeForClient;
    }

    /** Anonymous clients (empty user) may subscribe too when {@link #allowSubscribeForClient()}. */
    public boolean allowSubscribeForAnonymous() {
        return allowSubscribeForAnonymous;
    }

    /** Subscribers may call {@code presence} and {@code presence_stats}. */
    public boolean allowPresenceForSubscriber() {
        return allowPresenceForSubscriber;
    }

    /** Any connected client may call {@code presence} and {@code presence_stats}. */
    public boolean allowPresenceForClient() {
        return allowPresenceForClient;
    }

    /** Subscribers may call {@code history}. */
    public boolean allowHistoryForSubscriber() {
        return allowHistoryForSubscriber;
    }

    /** Any connected client may call {@code history}. */
    public boolean allowHistoryForClient() {
        return allowHistoryForClient;
    }

    /** Channels like {@code dm:#42,43} may be subscribed only by the users listed after {@code #}. */
    public boolean allowUserLimitedChannels() {
        return allowUserLimitedChannels;
    }

    /**
     * Client subscriptions without a token are decided by the application's backend (the subscribe proxy), in place of the {@code allow_subscribe_*} rules. Which endpoint is the node's ({@code channel.proxy.*}); the core only carries the flag.
     */
    public boolean subscribeProxyEnabled() {
        return subscribeProxyEnabled;
    }

    /**
     * Client publications are decided (and may be rewritten) by the application's backend (the publish proxy), in place of the {@code allow_publish_*} rules. Which endpoint is the node's ({@code channel.proxy.*}); the core only carries the flag.
     */
    public boolean publishProxyEnabled() {
        return publishProxyEnabled;
    }

    /**
     * Subscriptions with an expiry are extended by the application's backend (the sub_refresh proxy) instead of by the client with a token. Which endpoint is the node's ({@code channel.proxy.*}); the core only carries the flag.
     */
    public boolean subRefreshProxyEnabled() {
        return subRefreshProxyEnabled;
    }

    /**
     * Delta encodings a subscriber may ask for ({@code delta} in its subscribe request); empty
     * (the default) offers none. The only type is {@link #DELTA_FOSSIL}.
     */
    public List<String> allowedDeltaTypes() {
        return allowedDeltaTypes;
    }

    @Override
    public String toString() {
        return "ChannelOptions{historySize=" + historySize + ", historyTtl=" + historyTtl + ", forceRecovery="
                + forceRecovery + ", recoveryMode=" + recoveryMode + ", presence=" + presence + ", joinLeave="
                + joinLeave + '}';
    }

    /** Builder of {@link ChannelOptions}; every field starts at its documented default. */
    public static final class Builder {
        private int historySize = DEFAULT_HISTORY_SIZE;
        private Duration historyTtl = DEFAULT_HISTORY_TTL;
        private Duration historyMetaTtl = DEFAULT_HISTORY_META_TTL;
        private boolean forceRecovery;
        private boolean allowRecovery;
        private boolean forcePositioning;
        private boolean allowPositioning;
        private int recoveryMaxPublicationLimit = DEFAULT_RECOVERY_MAX_PUBLICATION_LIMIT;
        private RecoveryMode recoveryMode = RecoveryMode.STREAM;
        private boolean autoCacheRecover;
        private boolean presence;
        private boolean joinLeave;
        private boolean forcePushJoinLeave;
        private boolean allowPublishForSubscriber;
        private boolean allowPublishForClient;
        private boolean allowSubscribeForClient;
        private boolean allowSubscribeForAnonymous;
        private boolean allowPresenceForSubscriber;
        private boolean allowPresenceForClient;
        private boolean allowHistoryForSubscriber;
        private boolean allowHistoryForClient;
        private boolean allowUserLimitedChannels;
        private boolean subscribeProxyEnabled;
        private boolean publishProxyEnabled;
        private boolean subRefreshProxyEnabled;
        private List<String> allowedDeltaTypes = List.of();

        private Builder() {}

        private Builder(ChannelOptions o) {
            historySize = o.historySize;
            historyTtl = o.historyTtl;
            historyMetaTtl = o.historyMetaTtl;
            forceRecovery = o.forceRecovery;
            allowRecovery = o.allowRecovery;
            forcePositioning = o.forcePositioning;
            allowPositioning = o.allowPositioning;
            recoveryMaxPublicationLimit = o.recoveryMaxPublicationLimit;
            recoveryMode = o.recoveryMode;
            autoCacheRecover = o.autoCacheRecover;
            presence = o.presence;
            joinLeave = o.joinLeave;
            forcePushJoinLeave = o.forcePushJoinLeave;
            allowPublishForSubscriber = o.allowPublishForSubscriber;
            allowPublishForClient = o.allowPublishForClient;
            allowSubscribeForClient = o.allowSubscribeForClient;
            allowSubscribeForAnonymous = o.allowSubscribeForAnonymous;
            allowPresenceForSubscriber = o.allowPresenceForSubscriber;
            allowPresenceForClient = o.allowPresenceForClient;
            allowHistoryForSubscriber = o.allowHistoryForSubscriber;
            allowHistoryForClient = o.allowHistoryForClient;
            allowUserLimitedChannels = o.allowUserLimitedChannels;
            subscribeProxyEnabled = o.subscribeProxyEnabled;
            publishProxyEnabled = o.publishProxyEnabled;
            subRefreshProxyEnabled = o.subRefreshProxyEnabled;
            allowedDeltaTypes = o.allowedDeltaTypes;
        }

        public Builder historySize(int v) {
            if (v < 0) {
                throw new InvalidOptionException("history_size", "must be >= 0, got " + v);
            }
            historySize = v;
            return this;
        }

        public Builder historyTtl(Duration v) {
            if (v == null || v.isNegative()) {
                throw new InvalidOptionException("history_ttl", "must be >= 0");
            }
            historyTtl = v;
            return this;
        }

        public Builder historyMetaTtl(Duration v) {
            if (v == null || v.isNegative()) {
                throw new InvalidOptionException("history_meta_ttl", "must be >= 0");
            }
            historyMetaTtl = v;
            return this;
        }

        public Builder forceRecovery(boolean v) {
            forceRecovery = v;
            return this;
        }

        public Builder allowRecovery(boolean v) {
            allowRecovery = v;
            return this;
        }

        public Builder forcePositioning(boolean v) {
            forcePositioning = v;
            return this;
        }

        public Builder allowPositioning(boolean v) {
            allowPositioning = v;
            return this;
        }

        public Builder recoveryMaxPublicationLimit(int v) {
            if (v < 0) {
                throw new InvalidOptionException("recovery_max_publication_limit", "must be >= 0, got " + v);
            }
            recoveryMaxPublicationLimit = v;
            return this;
        }

        public Builder recoveryMode(RecoveryMode v) {
            if (v == null) {
                throw new InvalidOptionException("force_recovery_mode", "must be stream or cache");
            }
            recoveryMode = v;
            return this;
        }

        /** The configuration form: {@code stream} or {@code cache}. */
        public Builder recoveryMode(String v) {
            return recoveryMode(RecoveryMode.of(v));
        }

        public Builder autoCacheRecover(boolean v) {
            autoCacheRecover = v;
            return this;
        }

        public Builder presence(boolean v) {
            presence = v;
            return this;
        }

        public Builder joinLeave(boolean v) {
            joinLeave = v;
            return this;
        }

        public Builder forcePushJoinLeave(boolean v) {
            forcePushJoinLeave = v;
            return this;
        }

        public Builder allowPublishForSubscriber(boolean v) {
            allowPublishForSubscriber = v;
            return this;
        }

        public Builder allowPublishForClient(boolean v) {
            allowPublishForClient = v;
            return this;
        }

        public Builder allowSubscribeForClient(boolean v) {
            allowSubscribeForClient = v;
            return this;
        }

        public Builder allowSubscribeForAnonymous(boolean v) {
            allowSubscribeForAnonymous = v;
            return this;
        }

        public Builder allowPresenceForSubscriber(boolean v) {
            allowPresenceForSubscriber = v;
            return this;
        }

        public Builder allowPresenceForClient(boolean v) {
            allowPresenceForClient = v;
            return this;
        }

        public Builder allowHistoryForSubscriber(boolean v) {
            allowHistoryForSubscriber = v;
            return this;
        }

        public Builder allowHistoryForClient(boolean v) {
            allowHistoryForClient = v;
            return this;
        }

        public Builder allowUserLimitedChannels(boolean v) {
            allowUserLimitedChannels = v;
            return this;
        }

        public Builder subscribeProxyEnabled(boolean v) {
            subscribeProxyEnabled = v;
            return this;
        }

        public Builder publishProxyEnabled(boolean v) {
            publishProxyEnabled = v;
            return this;
        }

        public Builder subRefreshProxyEnabled(boolean v) {
            subRefreshProxyEnabled = v;
            return this;
        }

        /** Delta types subscribers may ask for; only {@value ChannelOptions#DELTA_FOSSIL} exists. */
        public Builder allowedDeltaTypes(List<String> v) {
            for (String t : v) {
                if (!DELTA_FOSSIL.equals(t)) {
                    throw new InvalidOptionException(
                            "allowed_delta_types", "unknown delta type \"" + t + "\" (the one type is fossil)");
                }
            }
            allowedDeltaTypes = List.copyOf(v);
            return this;
        }

        /**
         * Builds the options.
         *
         * @throws InvalidOptionException naming the option, when recovery is asked for without
         *     history, or automatic cache recovery without forced cache-mode recovery
         */
        public ChannelOptions build() {
            boolean history = historySize > 0 && !historyTtl.isZero();
            if ((forceRecovery || allowRecovery) && !history) {
                throw new InvalidOptionException(
                        forceRecovery ? "force_recovery" : "allow_recovery",
                        "needs history: set history_size > 0 and history_ttl > 0");
            }
            if (autoCacheRecover && !(forceRecovery && recoveryMode == RecoveryMode.CACHE)) {
                throw new InvalidOptionException(
                        "auto_cache_recover", "needs force_recovery: true and force_recovery_mode: cache");
            }
            return new ChannelOptions(this);
        }
    }
}
