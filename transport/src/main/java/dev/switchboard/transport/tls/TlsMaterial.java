package dev.switchboard.transport.tls;

import dev.switchboard.transport.auth.PemKeys;
import dev.switchboard.transport.config.ConfigException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;

/**
 * One certificate chain and its private key, read from PEM files and checked, with the Netty
 * server context made of them (the JDK's TLS, nothing native).
 *
 * <p>Accepted: a chain of {@code CERTIFICATE} blocks, leaf first; a key in any form
 * {@link PemKeys} reads (PKCS#8 RSA/EC/Ed25519/Ed448, PKCS#1 RSA, SEC1 EC). Encrypted keys are
 * refused with a message saying how to decrypt them.
 *
 * <pre>{@code
 * TlsMaterial m = TlsMaterial.read(Path.of("fullchain.pem"), Path.of("privkey.pem"));
 * SslHandler h = m.context().newHandler(channel.alloc());
 * }</pre>
 */
public final class TlsMaterial {

    /** Key names in messages, so that each failure names the key to fix. */
    static final String CERT_KEY = "tls.cert_pem_file";

    static final String KEY_KEY = "tls.key_pem_file";

    private final SslContext context;
    private final List<X509Certificate> chain;
    private final byte[] digest;

    private TlsMaterial(SslContext context, List<X509Certificate> chain, byte[] digest) {
        this.context = context;
        this.chain = chain;
        this.digest = digest;
    }

    /**
     * Reads and checks both files: readable, at least one certificate, a key of a supported
     * format that belongs to the first (leaf) certificate.
     *
     * @throws ConfigException naming {@code tls.cert_pem_file} or {@code tls.key_pem_file}
     */
    public static TlsMaterial read(Path certFile, Path keyFile) {
        byte[] certPem = readFile(CERT_KEY, certFile);
        byte[] keyPem = readFile(KEY_KEY, keyFile);
        return of(certPem, keyPem, digest(certPem, keyPem));
    }

    /** The SHA-256 of both files' bytes: what the reloader compares to see a change. */
    static byte[] digest(byte[] certPem, byte[] keyPem) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(certPem);
            md.update((byte) 0);
            md.update(keyPem);
            return md.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * Largest PEM file read: a certificate chain or key is a few kilobytes, and the files are read
     * again every reload interval, so a wrong path (a log, a disk image) must not be read whole.
     */
    static final long MAX_PEM_BYTES = 1 << 20;

    static byte[] readFile(String key, Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_PEM_BYTES) {
                throw new ConfigException(
                        key,
                        file + " is " + size + " bytes, more than a PEM file holds (at most " + MAX_PEM_BYTES + ")");
            }
            try (java.io.InputStream in = Files.newInputStream(file)) {
                // Bounded again while reading: the file may grow between the size check and the read.
                byte[] bytes = in.readNBytes((int) MAX_PEM_BYTES + 1);
                if (bytes.length > MAX_PEM_BYTES) {
                    throw new ConfigException(key, file + " grew past " + MAX_PEM_BYTES + " bytes while read");
                }
                return bytes;
            }
        } catch (IOException e) {
            throw new ConfigException(key, "cannot read " + file + ": " + e);
        }
    }

    static TlsMaterial of(byte[] certPem, byte[] keyPem, byte[] digest) {
        List<X509Certificate> chain = certificates(certPem);
        PrivateKey key = privateKey(keyPem);
        checkMatch(key, chain.get(0));
        try {
            SslContext ctx = SslContextBuilder.forServer(key, chain.toArray(X509Certificate[]::new))
                    .sslProvider(SslProvider.JDK)
                    .build();
            return new TlsMaterial(ctx, chain, digest);
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(CERT_KEY, "the JDK refused the certificate and key: " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> certificates(byte[] pem) {
        List<X509Certificate> out;
        try {
            out = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem)).stream()
                    .map(c -> (X509Certificate) c)
                    .toList();
        } catch (GeneralSecurityException e) {
            throw new ConfigException(CERT_KEY, "is not a PEM certificate chain: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new ConfigException(CERT_KEY, "holds no -----BEGIN CERTIFICATE----- block");
        }
        return out;
    }

    /** The key, read by the same PEM reader as the token keys ({@link PemKeys}). */
    private static PrivateKey privateKey(byte[] pem) {
        try {
            return PemKeys.readPrivateKey(new String(pem, StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            // PemKeys' messages never hold key material.
            throw new ConfigException(KEY_KEY, e.getMessage(), e);
        }
    }

    /**
     * Signs a random challenge with the key and verifies it with the leaf's public key: a key
     * from another certificate (a renewal half copied) would otherwise only fail at handshakes.
     */
    private static void checkMatch(PrivateKey key, X509Certificate leaf) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> null;
        };
        if (algorithm == null) {
            return; // RSASSA-PSS and other rare kinds: the JDK checks them at the first handshake
        }
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        boolean matches;
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] sig = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(challenge);
            matches = verifier.verify(sig);
        } catch (GeneralSecurityException e) {
            matches = false; // a key of another kind than the certificate's
        }
        if (!matches) {
            throw new ConfigException(
                    KEY_KEY,
                    "does not belong to the first certificate of tls.cert_pem_file (" + subject(leaf)
                            + "); the chain must start with the key's own certificate");
        }
    }

    /** The Netty server context: {@code newHandler(alloc)} per connection. */
    public SslContext context() {
        return context;
    }

    /** The leaf certificate: the one this node presents. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The whole chain, leaf first. */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** Whether these are the same file contents. */
    boolean sameAs(byte[] otherDigest) {
        return MessageDigest.isEqual(digest, otherDigest);
    }

    /** A log line about the certificate: subject, issuer, serial and expiry; nothing of the key. */
    public String describe() {
        X509Certificate c = certificate();
        return "subject \"" + subject(c) + "\", issuer \""
                + c.getIssuerX500Principal().getName() + "\", serial "
                + HexFormat.of().formatHex(c.getSerialNumber().toByteArray()) + ", expires "
                + c.getNotAfter().toInstant() + " (chain of " + chain.size() + ")";
    }

    private static String subject(X509Certificate c) {
        return c.getSubjectX500Principal().getName();
    }
}
