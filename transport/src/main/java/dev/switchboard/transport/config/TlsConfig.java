package dev.switchboard.transport.config;

import java.time.Duration;

/**
 * TLS on the public port: the {@code tls} section. When enabled, every client transport on
 * {@code port} is served over TLS ({@code wss://}) with the certificate chain and key read from PEM
 * files, which are read again every {@link #reloadInterval()}: a renewed certificate is picked up by
 * new connections without a restart. The internal port ({@code internal_port}) stays plain: it is
 * meant for a private network.
 *
 * <pre>{@code
 * TlsConfig tls = TlsConfig.builder()
 *     .enabled(true)
 *     .certPemFile("/etc/switchboard/tls/fullchain.pem")
 *     .keyPemFile("/etc/switchboard/tls/privkey.pem")
 *     .build();
 * ServerConfig config = ServerConfig.builder().tls(tls).build().validate(); // reads and checks the files
 * }</pre>
 */
public final class TlsConfig {

    /** Default {@code tls.enabled}: off, the public port speaks plain HTTP and {@code ws://}. */
    public static final boolean DEFAULT_ENABLED = false;
    /**
     * Default {@code tls.reload_interval}: the files are read again every 5 s. Reading two small
     * files that often costs nothing, and a renewal (certbot, cert-manager) is live within seconds.
     */
    public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(5);
    /**
     * Default {@code tls.handshake_timeout}: a peer that has not finished its TLS handshake within
     * 10 s of connecting is cut, so half-open handshakes cannot pile up (the same bound as
     * {@code http.header_timeout}, which starts counting only once bytes are decrypted).
     */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private static final TlsConfig DISABLED = builder().build();

    private final boolean enabled;
    private final String certPemFile;
    private final String keyPemFile;
    private final Duration reloadInterval;
    private final Duration handshakeTimeout;

    private TlsConfig(Builder b) {
        enabled = b.enabled;
        certPemFile = b.certPemFile;
        keyPemFile = b.keyPemFile;
        reloadInterval = b.reloadInterval;
        handshakeTimeout = b.handshakeTimeout;
    }

    /** TLS off: every default. */
    public static TlsConfig disabled() {
        return DISABLED;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** {@code tls.enabled}. */
    public boolean enabled() {
        return enabled;
    }

    /** {@code tls.cert_pem_file}: the certificate chain, leaf first; {@code null} when unset. */
    public String certPemFile() {
        return certPemFile;
    }

    /** {@code tls.key_pem_file}: the leaf's private key; {@code null} when unset. Never log its content. */
    public String keyPemFile() {
        return keyPemFile;
    }

    /** {@code tls.reload_interval}: how often the files are read again for a change. */
    public Duration reloadInterval() {
        return reloadInterval;
    }

    /** {@code tls.handshake_timeout}: a connection that has not finished its handshake by then is closed. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    @Override
    public String toString() {
        return "TlsConfig{enabled=" + enabled + ", certPemFile=" + certPemFile + ", keyPemFile=" + keyPemFile
                + ", reloadInterval=" + Durations.format(reloadInterval) + ", handshakeTimeout="
                + Durations.format(handshakeTimeout) + '}';
    }

    /** Builder of {@link TlsConfig}; every field starts at its default. */
    public static final class Builder {
        private boolean enabled = DEFAULT_ENABLED;
        private String certPemFile;
        private String keyPemFile;
        private Duration reloadInterval = DEFAULT_RELOAD_INTERVAL;
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;

        private Builder() {}

        private Builder(TlsConfig c) {
            enabled = c.enabled;
            certPemFile = c.certPemFile;
            keyPemFile = c.keyPemFile;
            reloadInterval = c.reloadInterval;
            handshakeTimeout = c.handshakeTimeout;
        }

        public Builder enabled(boolean v) {
            enabled = v;
            return this;
        }

        /** A path, relative to the working directory; blank unsets it. */
        public Builder certPemFile(String v) {
            certPemFile = Check.optionalText(v);
            return this;
        }

        /** A path, relative to the working directory; blank unsets it. */
        public Builder keyPemFile(String v) {
            keyPemFile = Check.optionalText(v);
            return this;
        }

        public Builder reloadInterval(Duration v) {
            reloadInterval = Check.positive("tls.reload_interval", v);
            return this;
        }

        public Builder handshakeTimeout(Duration v) {
            handshakeTimeout = Check.positive("tls.handshake_timeout", v);
            return this;
        }

        /**
         * @throws ConfigException naming {@code tls.cert_pem_file} or {@code tls.key_pem_file} when
         *     TLS is enabled without it; whether the files are readable and match is
         *     {@link ServerConfig#validate()}'s check
         */
        public TlsConfig build() {
            if (enabled && certPemFile == null) {
                throw new ConfigException("tls.cert_pem_file", "must be set when tls.enabled is true");
            }
            if (enabled && keyPemFile == null) {
                throw new ConfigException("tls.key_pem_file", "must be set when tls.enabled is true");
            }
            return new TlsConfig(this);
        }
    }
}
