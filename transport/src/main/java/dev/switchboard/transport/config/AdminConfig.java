package dev.switchboard.transport.config;

import java.time.Duration;

/**
 * The {@code admin} section: the operator's web page at {@code /admin} on the internal port
 * (docs/admin.md), served by the standalone server ({@code switchboard.jar}); an embedding
 * application mounts its own pages, so the library and the Spring Boot starter ignore it.
 *
 * <pre>{@code
 * AdminConfig admin = AdminConfig.builder()
 *     .enabled(true)
 *     .password(System.getenv("ADMIN_PASSWORD"))
 *     .secret(System.getenv("ADMIN_SECRET")) // the same on every node behind one address
 *     .build();
 * }</pre>
 */
public final class AdminConfig {

    /** Default {@code admin.enabled}: off, {@code /admin} is a 404 like any unknown path. */
    public static final boolean DEFAULT_ENABLED = false;
    /** Default {@code admin.session_ttl}: a working day; the operator logs in again after it. */
    public static final Duration DEFAULT_SESSION_TTL = Duration.ofHours(8);
    /** Shortest {@code admin.secret}: it is an HMAC-SHA256 key, so at least 256 bits of text. */
    public static final int MIN_SECRET_LENGTH = 32;
    /** Longest {@code admin.session_ttl}: a stolen cookie must not work for longer than this. */
    public static final Duration MAX_SESSION_TTL = Duration.ofDays(30);

    private static final AdminConfig DISABLED = builder().build();

    private final boolean enabled;
    private final String password;
    private final String secret;
    private final Duration sessionTtl;

    private AdminConfig(Builder b) {
        enabled = b.enabled;
        password = b.password;
        secret = b.secret;
        sessionTtl = b.sessionTtl;
    }

    /** The admin page off: every default. */
    public static AdminConfig disabled() {
        return DISABLED;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** {@code admin.enabled}. */
    public boolean enabled() {
        return enabled;
    }

    /** {@code admin.password}; {@code null} when unset. Never log it. */
    public String password() {
        return password;
    }

    /**
     * {@code admin.secret}, the key that signs session cookies; {@code null} when unset (then each
     * process makes a random one, and its sessions end with it). Never log it.
     */
    public String secret() {
        return secret;
    }

    /** {@code admin.session_ttl}: how long a login lasts. */
    public Duration sessionTtl() {
        return sessionTtl;
    }

    /** Safe to log: the password and the secret show as set or unset only. */
    @Override
    public String toString() {
        return "AdminConfig{enabled=" + enabled + ", password=" + (password == null ? "unset" : "<redacted>")
                + ", secret=" + (secret == null ? "unset" : "<redacted>") + ", sessionTtl="
                + Durations.format(sessionTtl) + '}';
    }

    /** Builder of {@link AdminConfig}; every field starts at its default. */
    public static final class Builder {
        private boolean enabled = DEFAULT_ENABLED;
        private String password;
        private String secret;
        private Duration sessionTtl = DEFAULT_SESSION_TTL;

        private Builder() {}

        private Builder(AdminConfig c) {
            enabled = c.enabled;
            password = c.password;
            secret = c.secret;
            sessionTtl = c.sessionTtl;
        }

        public Builder enabled(boolean v) {
            enabled = v;
            return this;
        }

        /** Blank unsets it; not trimmed (spaces may be part of a password). */
        public Builder password(String v) {
            password = v == null || v.isBlank() ? null : v;
            return this;
        }

        /** @throws ConfigException when set and shorter than {@link #MIN_SECRET_LENGTH} characters */
        public Builder secret(String v) {
            String s = Check.optionalText(v);
            if (s != null && s.length() < MIN_SECRET_LENGTH) {
                // The length only: the value is a secret.
                throw new ConfigException(
                        "admin.secret",
                        "must be at least " + MIN_SECRET_LENGTH + " characters (it signs session cookies), got "
                                + s.length());
            }
            secret = s;
            return this;
        }

        /** @throws ConfigException unless between 1 minute and {@link #MAX_SESSION_TTL} */
        public Builder sessionTtl(Duration v) {
            Check.positive("admin.session_ttl", v);
            if (v.compareTo(Duration.ofMinutes(1)) < 0 || v.compareTo(MAX_SESSION_TTL) > 0) {
                throw new ConfigException(
                        "admin.session_ttl", "must be between 1m and 720h, got " + Durations.format(v));
            }
            sessionTtl = v;
            return this;
        }

        /** @throws ConfigException naming {@code admin.password} when enabled without one */
        public AdminConfig build() {
            if (enabled && password == null) {
                throw new ConfigException(
                        "admin.password",
                        "must be set when admin.enabled is true: the admin page refuses to start without a password");
            }
            return new AdminConfig(this);
        }
    }
}
