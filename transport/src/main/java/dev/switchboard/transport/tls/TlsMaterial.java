package dev.switchboard.transport.tls;

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
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One certificate chain and its private key, read from PEM files and checked, with the Netty
 * server context made of them (the JDK's TLS, nothing native).
 *
 * <p>Accepted: a chain of {@code CERTIFICATE} blocks, leaf first; a key as PKCS#8
 * ({@code BEGIN PRIVATE KEY}: RSA, EC or Ed25519) or PKCS#1 ({@code BEGIN RSA PRIVATE KEY}).
 * Refused with a message saying how to convert: SEC1 EC keys ({@code BEGIN EC PRIVATE KEY}) and
 * encrypted keys.
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

    private static final Pattern PEM_BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

    /**
     * The DER prefix that wraps a PKCS#1 RSA key into PKCS#8: SEQUENCE { version 0,
     * AlgorithmIdentifier rsaEncryption NULL, OCTET STRING ... } with the lengths patched in.
     */
    private static final byte[] RSA_ALGORITHM_ID = {
        0x02,
        0x01,
        0x00,
        0x30,
        0x0d,
        0x06,
        0x09,
        0x2a,
        (byte) 0x86,
        0x48,
        (byte) 0x86,
        (byte) 0xf7,
        0x0d,
        0x01,
        0x01,
        0x01,
        0x05,
        0x00
    };

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

    static byte[] readFile(String key, Path file) {
        try {
            return Files.readAllBytes(file);
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

    private static PrivateKey privateKey(byte[] pem) {
        Matcher m = PEM_BLOCK.matcher(new String(pem, StandardCharsets.US_ASCII));
        while (m.find()) {
            String type = m.group(1);
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(KEY_KEY, "has a " + type + " block that is not valid base64");
            }
            switch (type) {
                case "PRIVATE KEY":
                    return pkcs8(der);
                case "RSA PRIVATE KEY":
                    return pkcs8(rsaPkcs1ToPkcs8(der));
                case "EC PRIVATE KEY":
                    throw new ConfigException(
                            KEY_KEY,
                            "holds a SEC1 EC key (BEGIN EC PRIVATE KEY); convert it to PKCS#8 with"
                                    + " `openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pk8.pem`");
                case "ENCRYPTED PRIVATE KEY":
                    throw new ConfigException(
                            KEY_KEY,
                            "holds an encrypted key; give an unencrypted PKCS#8 key (readable by this user only)");
                default:
                // EC PARAMETERS and the like: not the key, look further.
            }
        }
        throw new ConfigException(KEY_KEY, "holds no -----BEGIN PRIVATE KEY----- (or RSA PRIVATE KEY) block");
    }

    private static PrivateKey pkcs8(byte[] der) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // Not this algorithm: try the next.
            }
        }
        throw new ConfigException(KEY_KEY, "holds a private key this JDK cannot read (RSA, EC, Ed25519 and Ed448 are)");
    }

    /** Wraps a PKCS#1 RSAPrivateKey into a PKCS#8 PrivateKeyInfo, which the JDK reads. */
    private static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
        byte[] octets = concat(new byte[] {0x04}, derLength(pkcs1.length), pkcs1);
        byte[] body = concat(RSA_ALGORITHM_ID, octets);
        return concat(new byte[] {0x30}, derLength(body.length), body);
    }

    private static byte[] derLength(int n) {
        if (n < 0x80) {
            return new byte[] {(byte) n};
        }
        if (n < 0x100) {
            return new byte[] {(byte) 0x81, (byte) n};
        }
        if (n < 0x10000) {
            return new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
        }
        return new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
    }

    private static byte[] concat(byte[]... parts) {
        int n = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
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
