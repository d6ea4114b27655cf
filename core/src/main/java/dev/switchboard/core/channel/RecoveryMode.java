package dev.switchboard.core.channel;

import dev.switchboard.core.InvalidOptionException;
import java.util.Locale;

/**
 * What a recovering subscriber gets back: every missed publication ({@link #STREAM}) or only the
 * channel's latest one, as its current state ({@link #CACHE}). Centrifugo's
 * {@code force_recovery_mode}.
 *
 * <pre>{@code
 * ChannelOptions nowPlaying = ChannelOptions.builder()
 *     .historySize(1).historyTtl(Duration.ofHours(1)).forceRecovery(true)
 *     .recoveryMode(RecoveryMode.CACHE).autoCacheRecover(true)
 *     .build();
 * }</pre>
 */
public enum RecoveryMode {
    /** Recovery returns exactly the publications missed since the client's position, or none. */
    STREAM,
    /** Recovery returns the latest publication of the channel, whatever the client's position. */
    CACHE;

    /** The name in configuration: {@code stream} or {@code cache}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads a configuration value.
     *
     * @throws InvalidOptionException naming {@code force_recovery_mode} for anything else
     */
    public static RecoveryMode of(String name) {
        for (RecoveryMode m : values()) {
            if (m.configName().equals(name)) {
                return m;
            }
        }
        throw new InvalidOptionException("force_recovery_mode", "must be stream or cache, got " + name);
    }
}
