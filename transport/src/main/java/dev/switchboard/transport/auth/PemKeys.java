package dev.switchboard.transport.auth;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads RSA and EC keys from PEM text with the JDK alone.
 *
 * <p>Nimbus can parse PEM only with BouncyCastle on the classpath; the handful of encodings that
 * key tools actually emit are simple enough to unwrap here instead of shipping another provider.
 * Supported blocks: {@code PUBLIC KEY} (X.509 SubjectPublicKeyInfo), {@code RSA PUBLIC KEY}
 * (PKCS#1), {@code CERTIFICATE} (its public key), {@code PRIVATE KEY} (PKCS#8), {@code RSA PRIVATE
 * KEY} (PKCS#1) and {@code EC PRIVATE KEY} (SEC1, as written by {@code openssl ecparam -genkey}).
 * Encrypted private keys are refused.
 *
 * <pre>{@code
 * PublicKey key = PemKeys.readPublicKey(Path.of("/etc/switchboard/token.pub"));
 * }</pre>
 *
 * <p>Errors are {@link IllegalArgumentException}s whose messages never contain key material.
 */
public final class PemKeys {

    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    private static final byte TAG_INTEGER = 0x02;
    private static final byte TAG_BIT_STRING = 0x03;
    private static final byte TAG_OCTET_STRING = 0x04;
    private static final byte TAG_OID = 0x06;
    private static final byte TAG_SEQUENCE = 0x30;
    private static final byte TAG_EC_PARAMETERS = (byte) 0xA0;

    /** DER of OID 1.2.840.113549.1.1.1 (rsaEncryption) followed by the NULL parameters. */
    private static final byte[] RSA_ALGORITHM = {
        0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x01, 0x01, 0x05, 0x00
    };

    /** DER of OID 1.2.840.10045.2.1 (id-ecPublicKey); the curve OID follows it. */
    private static final byte[] EC_ALGORITHM = {0x06, 0x07, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x02, 0x01};

    private static final byte[] PKCS8_VERSION = {TAG_INTEGER, 0x01, 0x00};

    private PemKeys() {}

    /**
     * Reads the first public key, RSA public key or certificate block of a PEM file.
     *
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException when it holds no usable RSA or EC public key
     */
    public static PublicKey readPublicKey(Path file) throws IOException {
        return readPublicKey(Files.readString(file, StandardCharsets.US_ASCII));
    }

    /**
     * Reads the first public key, RSA public key or certificate block of PEM text.
     *
     * @return an {@link RSAPublicKey} or an {@link ECPublicKey}
     * @throws IllegalArgumentException when the text holds no usable RSA or EC public key
     */
    public static PublicKey readPublicKey(String pem) {
        Matcher m = BLOCK.matcher(requirePem(pem));
        while (m.find()) {
            String label = m.group(1);
            switch (label) {
                case "PUBLIC KEY":
                    return decodePublic(body(m));
                case "RSA PUBLIC KEY":
                    return decodePublic(subjectPublicKeyInfo(body(m)));
                case "CERTIFICATE":
                    return certificateKey(body(m));
                default:
                // e.g. a private key or EC PARAMETERS block sharing the file: keep looking
            }
        }
        throw new IllegalArgumentException("no PUBLIC KEY, RSA PUBLIC KEY or CERTIFICATE block in PEM");
    }

    /**
     * Reads the first private key block of a PEM file.
     *
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException when it holds no usable unencrypted RSA or EC private key
     */
    public static PrivateKey readPrivateKey(Path file) throws IOException {
        return readPrivateKey(Files.readString(file, StandardCharsets.US_ASCII));
    }

    /**
     * Reads the first private key block of PEM text.
     *
     * @return an {@link RSAPrivateKey}, an {@link ECPrivateKey}, or an EdDSA key (TLS only)
     * @throws IllegalArgumentException when the text holds no usable unencrypted RSA, EC or EdDSA private key
     */
    public static PrivateKey readPrivateKey(String pem) {
        Matcher m = BLOCK.matcher(requirePem(pem));
        while (m.find()) {
            String label = m.group(1);
            switch (label) {
                case "PRIVATE KEY":
                    return decodePrivate(body(m));
                case "RSA PRIVATE KEY":
                    return decodePrivate(tlv(
                            TAG_SEQUENCE,
                            PKCS8_VERSION,
                            tlv(TAG_SEQUENCE, RSA_ALGORITHM),
                            tlv(TAG_OCTET_STRING, body(m))));
                case "EC PRIVATE KEY":
                    return decodePrivate(sec1ToPkcs8(body(m)));
                case "ENCRYPTED PRIVATE KEY":
                    throw new IllegalArgumentException("encrypted private keys are not supported; "
                            + "decrypt it first (openssl pkcs8 -topk8 -nocrypt)");
                default:
                // e.g. EC PARAMETERS written before the key by openssl ecparam
            }
        }
        throw new IllegalArgumentException("no PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block in PEM");
    }

    private static String requirePem(String pem) {
        if (pem == null || pem.isBlank()) {
            throw new IllegalArgumentException("PEM text is empty");
        }
        return pem;
    }

    private static byte[] body(Matcher m) {
        String text = m.group(2);
        // Legacy OpenSSL encryption puts "Proc-Type: 4,ENCRYPTED" headers inside the block.
        if (text.contains(":")) {
            throw new IllegalArgumentException(
                    "PEM " + m.group(1) + " block has headers; encrypted keys are not supported");
        }
        try {
            return Base64.getMimeDecoder().decode(text.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("PEM " + m.group(1) + " block is not valid base64");
        }
    }

    private static PublicKey decodePublic(byte[] spki) {
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(spki));
            } catch (GeneralSecurityException | RuntimeException e) {
                // not this key type: try the next one
            }
        }
        throw new IllegalArgumentException("PEM public key is neither an RSA nor an EC key");
    }

    private static PrivateKey decodePrivate(byte[] pkcs8) {
        try {
            // EdDSA keys serve TLS; token signing refuses them (TokenGenerator: RSA or EC only).
            for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448"}) {
                try {
                    return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
                } catch (GeneralSecurityException | RuntimeException e) {
                    // not this key type: try the next one
                }
            }
            throw new IllegalArgumentException("PEM private key is neither an RSA, EC, Ed25519 nor Ed448 key");
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    private static PublicKey certificateKey(byte[] der) {
        try {
            PublicKey key = CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der))
                    .getPublicKey();
            if (key instanceof RSAPublicKey || key instanceof ECPublicKey) {
                return key;
            }
            throw new IllegalArgumentException("certificate key is neither an RSA nor an EC key");
        } catch (CertificateException e) {
            throw new IllegalArgumentException("PEM certificate cannot be parsed");
        }
    }

    private static byte[] subjectPublicKeyInfo(byte[] pkcs1) {
        byte[] bits = new byte[pkcs1.length + 1]; // leading byte: zero unused bits
        System.arraycopy(pkcs1, 0, bits, 1, pkcs1.length);
        return tlv(TAG_SEQUENCE, tlv(TAG_SEQUENCE, RSA_ALGORITHM), tlv(TAG_BIT_STRING, bits));
    }

    /**
     * PKCS#8 names the curve in its algorithm identifier, SEC1 inside the key in the optional
     * {@code [0]} field, so the OID is lifted from one place to the other.
     */
    private static byte[] sec1ToPkcs8(byte[] sec1) {
        Der outer = new Der(sec1, 0, sec1.length);
        if (outer.tag() != TAG_SEQUENCE) {
            throw new IllegalArgumentException("EC PRIVATE KEY is not a DER sequence");
        }
        Der field = outer.firstChild();
        while (field != null) {
            if (field.tag() == TAG_EC_PARAMETERS) {
                Der curve = field.firstChild();
                if (curve == null || curve.tag() != TAG_OID) {
                    break;
                }
                byte[] algorithm = concat(EC_ALGORITHM, curve.encoded());
                return tlv(TAG_SEQUENCE, PKCS8_VERSION, tlv(TAG_SEQUENCE, algorithm), tlv(TAG_OCTET_STRING, sec1));
            }
            field = field.next();
        }
        throw new IllegalArgumentException("EC PRIVATE KEY does not name its curve");
    }

    private static byte[] tlv(byte tag, byte[]... parts) {
        byte[] content = concat(parts);
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** One DER element inside {@code buf}, read just far enough to walk a SEC1 key. */
    private record Der(byte[] buf, int start, int limit, byte tag, int contentStart, int end) {

        Der(byte[] buf, int start, int limit) {
            this(buf, start, limit, header(buf, start, limit));
        }

        private Der(byte[] buf, int start, int limit, int[] header) {
            this(buf, start, limit, buf[start], header[0], header[1]);
        }

        /** Returns {contentStart, end}; rejects lengths that run past {@code limit}. */
        private static int[] header(byte[] buf, int start, int limit) {
            if (start + 2 > limit) {
                throw malformed();
            }
            int pos = start + 1;
            int first = buf[pos++] & 0xFF;
            long length = first;
            if (first >= 0x80) {
                int bytes = first & 0x7F;
                if (bytes == 0 || bytes > 3 || pos + bytes > limit) {
                    throw malformed();
                }
                length = 0;
                for (int i = 0; i < bytes; i++) {
                    length = (length << 8) | (buf[pos++] & 0xFF);
                }
            }
            if (pos + length > limit) {
                throw malformed();
            }
            return new int[] {pos, (int) (pos + length)};
        }

        private static IllegalArgumentException malformed() {
            return new IllegalArgumentException("EC PRIVATE KEY is not valid DER");
        }

        Der firstChild() {
            return contentStart < end ? new Der(buf, contentStart, end) : null;
        }

        Der next() {
            return end < limit ? new Der(buf, end, limit) : null;
        }

        byte[] encoded() {
            return Arrays.copyOfRange(buf, start, end);
        }
    }
}
