package dev.switchboard.transport.auth;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/** Key pairs generated per test run and their PEM encodings, so no key material is checked in twice. */
final class TestKeys {

    static final String SECRET = "a-32-byte-or-longer-test-secret-value!!";

    private TestKeys() {}

    static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** @param curve a JDK curve name: secp256r1, secp384r1 or secp521r1 */
    static KeyPair ec(String curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(curve));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** X.509 {@code PUBLIC KEY} or PKCS#8 {@code PRIVATE KEY} PEM, as {@code openssl} writes them. */
    static String pem(Key key) {
        String label = key instanceof java.security.PublicKey ? "PUBLIC KEY" : "PRIVATE KEY";
        String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded());
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }
}
