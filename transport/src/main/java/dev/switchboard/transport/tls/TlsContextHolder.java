package dev.switchboard.transport.tls;

import dev.switchboard.transport.config.ConfigException;
import dev.switchboard.transport.config.TlsConfig;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS context of the public port, reloaded when its PEM files change: every
 * {@code tls.reload_interval} both files are read and hashed; on a change they are parsed and
 * checked, and a good pair becomes the context of every new connection. Connections already open
 * keep the context they shook hands with. A bad pair (half written, key of another certificate,
 * garbage) is logged once per change at WARN and the previous context stays: a botched renewal
 * never takes the port down.
 *
 * <pre>{@code
 * TlsContextHolder tls = TlsContextHolder.load(config.tls()); // throws ConfigException naming the key
 * tls.startReloading();
 * pipeline.addFirst("tls", tls.newHandler(channel.alloc()));
 * tls.close();
 * }</pre>
 */
public final class TlsContextHolder implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TlsContextHolder.class);

    private final Path certFile;
    private final Path keyFile;
    private final TlsConfig config;
    /** Read by every accept on the I/O threads, replaced by the reload thread. */
    private volatile TlsMaterial current;
    /** Digest of the last contents tried, good or bad: a bad one is warned about once, not every tick. */
    private byte[] lastSeen;

    private ScheduledExecutorService reloader;

    private TlsContextHolder(TlsConfig config, TlsMaterial first) {
        this.config = config;
        this.certFile = Path.of(config.certPemFile());
        this.keyFile = Path.of(config.keyPemFile());
        this.current = first;
    }

    /**
     * Reads the files once.
     *
     * @throws ConfigException naming {@code tls.cert_pem_file} or {@code tls.key_pem_file}
     * @throws IllegalArgumentException when TLS is not enabled
     */
    public static TlsContextHolder load(TlsConfig config) {
        if (!config.enabled()) {
            throw new IllegalArgumentException("tls.enabled is false");
        }
        TlsMaterial m = TlsMaterial.read(Path.of(config.certPemFile()), Path.of(config.keyPemFile()));
        TlsContextHolder h = new TlsContextHolder(config, m);
        log.info("TLS on the public port: {}", m.describe());
        warnIfExpired(m);
        return h;
    }

    /** Starts checking the files every {@code tls.reload_interval}, on a daemon thread of its own. */
    public synchronized void startReloading() {
        if (reloader != null) {
            return;
        }
        reloader = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "switchboard-tls-reload");
            t.setDaemon(true);
            return t;
        });
        long every = config.reloadInterval().toMillis();
        reloader.scheduleWithFixedDelay(this::reloadQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    private void reloadQuietly() {
        try {
            reloadIfChanged();
        } catch (RuntimeException e) {
            // Never let one bad tick cancel the schedule.
            log.warn("TLS reload check failed; serving the previous certificate: {}", e.toString());
        }
    }

    /**
     * Reads both files now and, if their contents changed and are good, serves them to new
     * connections.
     *
     * @return whether a new certificate is now served
     */
    public synchronized boolean reloadIfChanged() {
        byte[] certPem;
        byte[] keyPem;
        byte[] digest;
        try {
            certPem = TlsMaterial.readFile("tls.cert_pem_file", certFile);
            keyPem = TlsMaterial.readFile("tls.key_pem_file", keyFile);
            digest = TlsMaterial.digest(certPem, keyPem);
        } catch (ConfigException e) {
            // A file missing for a moment (renamed into place): keyed on the message, warned once.
            digest = TlsMaterial.digest(e.getMessage().getBytes(StandardCharsets.UTF_8), new byte[0]);
            if (changed(digest)) {
                log.warn("TLS files not reloaded, still serving {}: {}", current.describe(), e.getMessage());
            }
            return false;
        }
        if (current.sameAs(digest) || !changed(digest)) {
            lastSeen = digest;
            return false;
        }
        try {
            TlsMaterial next = TlsMaterial.of(certPem, keyPem, digest);
            current = next;
            log.info("TLS certificate reloaded: {}", next.describe());
            warnIfExpired(next);
            return true;
        } catch (ConfigException e) {
            log.warn(
                    "TLS files changed but are not usable, still serving {}: {} (checked again every {} ms)",
                    current.describe(),
                    e.getMessage(),
                    config.reloadInterval().toMillis());
            return false;
        }
    }

    /** Records {@code digest} as seen; whether it differs from the last one. */
    private boolean changed(byte[] digest) {
        boolean changed = lastSeen == null || !java.security.MessageDigest.isEqual(lastSeen, digest);
        lastSeen = digest;
        return changed;
    }

    private static void warnIfExpired(TlsMaterial m) {
        Instant now = Instant.now();
        if (m.certificate().getNotAfter().toInstant().isBefore(now)) {
            log.warn(
                    "the TLS certificate expired at {}: clients will refuse it",
                    m.certificate().getNotAfter().toInstant());
        } else if (m.certificate().getNotBefore().toInstant().isAfter(now)) {
            log.warn(
                    "the TLS certificate is not valid before {}: clients will refuse it until then",
                    m.certificate().getNotBefore().toInstant());
        }
    }

    /** A handler for one new connection, with the current context and the handshake timeout. */
    public SslHandler newHandler(ByteBufAllocator alloc) {
        SslHandler h = current.context().newHandler(alloc);
        h.setHandshakeTimeoutMillis(config.handshakeTimeout().toMillis());
        return h;
    }

    /** What new connections are served now. */
    public TlsMaterial current() {
        return current;
    }

    /** The served certificate's expiry, in seconds since the epoch (the Prometheus gauge). */
    public double notAfterEpochSeconds() {
        return current.certificate().getNotAfter().getTime() / 1000.0;
    }

    /** Stops the reload checks; connections keep working. */
    @Override
    public synchronized void close() {
        if (reloader != null) {
            reloader.shutdownNow();
            reloader = null;
        }
    }
}
