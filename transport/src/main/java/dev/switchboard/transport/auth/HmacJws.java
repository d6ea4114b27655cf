package dev.switchboard.transport.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HS256/HS384/HS512 signing and verification that accepts secrets of any non-empty length.
 *
 * <p>Nimbus' {@code MACSigner}/{@code MACVerifier} refuse secrets shorter than 256 bits, but
 * Centrifugo (and the backends that mint its tokens) accept any {@code token_hmac_secret_key};
 * refusing them would break drop-in compatibility. {@link JwtTokenVerifier} logs short secrets as
 * weak instead. Thread-safe: a fresh {@link Mac} per call, because {@code Mac} is not.
 */
final class HmacJws implements JWSSigner, JWSVerifier {

    static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512);

    private final byte[] secret;
    private final JCAContext jcaContext = new JCAContext();

    HmacJws(byte[] secret) {
        if (secret == null || secret.length == 0) {
            throw new IllegalArgumentException("HMAC secret must not be empty");
        }
        this.secret = secret.clone();
    }

    @Override
    public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
        return Base64URL.encode(mac(header.getAlgorithm(), signingInput));
    }

    @Override
    public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
        // Constant-time comparison so the signature cannot be guessed byte by byte from timing.
        return MessageDigest.isEqual(mac(header.getAlgorithm(), signingInput), signature.decode());
    }

    private byte[] mac(JWSAlgorithm algorithm, byte[] input) throws JOSEException {
        String name = jcaName(algorithm);
        try {
            Mac mac = Mac.getInstance(name);
            mac.init(new SecretKeySpec(secret, name));
            return mac.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new JOSEException("HMAC computation failed for " + algorithm, e);
        }
    }

    private static String jcaName(JWSAlgorithm algorithm) throws JOSEException {
        if (JWSAlgorithm.HS256.equals(algorithm)) {
            return "HmacSHA256";
        } else if (JWSAlgorithm.HS384.equals(algorithm)) {
            return "HmacSHA384";
        } else if (JWSAlgorithm.HS512.equals(algorithm)) {
            return "HmacSHA512";
        }
        throw new JOSEException("not an HMAC algorithm: " + algorithm);
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return ALGORITHMS;
    }

    @Override
    public JCAContext getJCAContext() {
        return jcaContext;
    }
}
