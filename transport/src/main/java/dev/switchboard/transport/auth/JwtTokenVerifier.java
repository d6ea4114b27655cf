package dev.switchboard.transport.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import dev.switchboard.core.auth.ConnectToken;
import dev.switchboard.core.auth.SubscriptionToken;
import dev.switchboard.core.auth.TokenException;
import dev.switchboard.core.auth.TokenVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies Centrifugo-compatible connection and subscription JWTs.
 *
 * <p>Accepts HS256/384/512 with a shared secret, RS256/384/512 and PS256/384/512 with RSA public
 * keys, and ES256/384/512 with EC public keys (from PEM or a JWKS file, where the token's
 * {@code kid} picks the key). Unsigned ({@code alg: none}) tokens are always refused, and HMAC
 * tokens are refused unless an HMAC secret is configured, so a public key can never be abused as
 * an HMAC secret. Keys are loaded and verifiers built at construction: verification does no I/O.
 * Instances are immutable and thread-safe.
 *
 * <pre>{@code
 * TokenVerifier verifier = JwtTokenVerifier.builder()
 *         .hmacSecret(System.getenv("SWITCHBOARD_TOKEN_SECRET"))
 *         .publicKeyPemFile(Path.of("/etc/switchboard/token.pub"))
 *         .audience("switchboard")
 *         .clockSkew(Duration.ofSeconds(5))
 *         .build();
 * ConnectToken claims = verifier.verifyConnectToken(jwt); // throws TokenException
 * }</pre>
 */
public final class JwtTokenVerifier implements TokenVerifier {

    /** Tolerance for clocks running behind the issuer's: none, as in Centrifugo. */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ZERO;

    /**
     * Longest token accepted, in characters. Generous for large {@code info} claims while bounding
     * the work an anonymous client can make the node do before any signature check.
     */
    public static final int MAX_TOKEN_LENGTH = 64 * 1024;

    /**
     * HMAC secrets shorter than this many bytes (the HS256 output size, RFC 7518 §3.2) are accepted
     * for Centrifugo compatibility but logged as weak.
     */
    public static final int RECOMMENDED_HMAC_SECRET_BYTES = 32;

    private static final Logger log = LoggerFactory.getLogger(JwtTokenVerifier.class);

    private static final Set<JWSAlgorithm> RSA_ALGORITHMS = Set.of(
            JWSAlgorithm.RS256,
            JWSAlgorithm.RS384,
            JWSAlgorithm.RS512,
            JWSAlgorithm.PS256,
            JWSAlgorithm.PS384,
            JWSAlgorithm.PS512);
    private static final Set<JWSAlgorithm> EC_ALGORITHMS =
            Set.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    private final JWSVerifier hmac;
    private final List<PublicKeyEntry> publicKeys;
    private final TokenClaims claims;

    private JwtTokenVerifier(Builder builder) {
        this.hmac = builder.hmacSecret == null ? null : new HmacJws(builder.hmacSecret);
        this.publicKeys = List.copyOf(builder.publicKeys);
        this.claims = new TokenClaims(builder.clock, builder.clockSkew, builder.audience, builder.issuer);
    }

    /** A verifier for HS256/384/512 tokens signed with {@code secret} (UTF-8 bytes). */
    public static JwtTokenVerifier hmac(String secret) {
        return builder().hmacSecret(secret).build();
    }

    /** A verifier for RSA or EC tokens signed with the private half of the given PEM public key. */
    public static JwtTokenVerifier publicKeyPem(String pem) {
        return builder().publicKeyPem(pem).build();
    }

    /** A verifier for RSA or EC tokens whose {@code kid} names a key in the given JWKS file. */
    public static JwtTokenVerifier jwksFile(Path file) throws IOException {
        return builder().jwksFile(file).build();
    }

    /** Starts configuring a verifier; at least one key is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ConnectToken verifyConnectToken(String token) throws TokenException {
        return claims.connectToken(verifiedClaims(token));
    }

    @Override
    public SubscriptionToken verifySubscriptionToken(String token) throws TokenException {
        return claims.subscriptionToken(verifiedClaims(token));
    }

    private JsonNode verifiedClaims(String token) throws TokenException {
        if (token == null || token.isEmpty()) {
            throw TokenClaims.invalid("token is empty");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw TokenClaims.invalid("token is longer than " + MAX_TOKEN_LENGTH + " characters");
        }
        JWSObject jws;
        try {
            // Refuses alg "none" (PlainObject) and encrypted tokens: neither parses as a JWS.
            jws = JWSObject.parse(token);
        } catch (ParseException | RuntimeException e) {
            throw TokenClaims.invalid("token is not a signed JWT"); // parser messages may quote it
        }
        JWSHeader header = jws.getHeader();
        // No extension is understood, and RFC 7515 §4.1.11 says to refuse unknown critical ones.
        if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
            throw TokenClaims.invalid("token has unsupported critical header parameters");
        }
        if (!header.isBase64URLEncodePayload()) {
            throw TokenClaims.invalid("token payload must be base64url-encoded");
        }
        for (JWSVerifier verifier : verifiersFor(header)) {
            try {
                if (verifier.verify(header, jws.getSigningInput(), jws.getSignature())) {
                    return claims.parse(jws.getPayload().toBytes());
                }
            } catch (JOSEException | RuntimeException e) {
                // a malformed signature for this key: try the next candidate, then refuse
            }
        }
        throw TokenClaims.invalid("token signature is invalid");
    }

    private List<JWSVerifier> verifiersFor(JWSHeader header) throws TokenException {
        JWSAlgorithm alg = header.getAlgorithm();
        if (HmacJws.ALGORITHMS.contains(alg)) {
            if (hmac == null) {
                throw TokenClaims.invalid("HMAC-signed tokens are not accepted");
            }
            return List.of(hmac);
        }
        if (!RSA_ALGORITHMS.contains(alg) && !EC_ALGORITHMS.contains(alg)) {
            throw TokenClaims.invalid("token algorithm is not supported");
        }
        String kid = header.getKeyID();
        List<JWSVerifier> byKid = new ArrayList<>();
        List<JWSVerifier> anonymous = new ArrayList<>();
        for (PublicKeyEntry key : publicKeys) {
            if (!key.accepts(alg)) {
                continue;
            }
            if (key.kid() == null) {
                anonymous.add(key.verifier());
            } else if (key.kid().equals(kid)) {
                byKid.add(key.verifier());
            }
        }
        // Keys without a kid (PEM keys) match any kid, so issuers may label tokens freely.
        if (!byKid.isEmpty()) {
            return byKid;
        }
        if (!anonymous.isEmpty()) {
            return anonymous;
        }
        throw TokenClaims.invalid(
                kid == null
                        ? "token has no kid and no key without one fits its algorithm"
                        : "no key with the token's kid fits its algorithm");
    }

    /**
     * A public key and the verifier built for it once, at construction.
     *
     * @param kid the JWK key id, or null for keys from PEM
     * @param curve the EC curve, or null for RSA keys
     * @param pinned the JWK {@code alg}, or null when any algorithm of the key's family is allowed
     */
    private record PublicKeyEntry(String kid, Curve curve, JWSAlgorithm pinned, JWSVerifier verifier) {

        static PublicKeyEntry of(PublicKey key, String kid, JWSAlgorithm pinned) {
            try {
                if (key instanceof RSAPublicKey rsa) {
                    return new PublicKeyEntry(kid, null, pinned, new RSASSAVerifier(rsa));
                }
                if (key instanceof ECPublicKey ec) {
                    Curve curve = Curve.forECParameterSpec(ec.getParams());
                    if (curve == null
                            || Curve.forJWSAlgorithm(JWSAlgorithm.ES256K).contains(curve)) {
                        throw new IllegalArgumentException("EC key must use curve P-256, P-384 or P-521");
                    }
                    return new PublicKeyEntry(kid, curve, pinned, new ECDSAVerifier(ec));
                }
            } catch (JOSEException e) {
                throw new IllegalArgumentException("unusable public key: " + e.getMessage());
            }
            throw new IllegalArgumentException("public key must be RSA or EC, not " + key.getAlgorithm());
        }

        boolean accepts(JWSAlgorithm alg) {
            if (pinned != null && !pinned.equals(alg)) {
                return false;
            }
            return curve == null
                    ? RSA_ALGORITHMS.contains(alg)
                    : EC_ALGORITHMS.contains(alg) && Curve.forJWSAlgorithm(alg).contains(curve);
        }
    }

    /** Collects keys and checks; keys are read as they are added, so errors point at their source. */
    public static final class Builder {
        private byte[] hmacSecret;
        private final List<PublicKeyEntry> publicKeys = new ArrayList<>();
        private String audience;
        private String issuer;
        private Duration clockSkew = DEFAULT_CLOCK_SKEW;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** Accepts HS256/384/512 tokens signed with the UTF-8 bytes of {@code secret}. */
        public Builder hmacSecret(String secret) {
            Objects.requireNonNull(secret, "secret");
            return hmacSecret(secret.getBytes(StandardCharsets.UTF_8));
        }

        /** Accepts HS256/384/512 tokens signed with {@code secret}. */
        public Builder hmacSecret(byte[] secret) {
            if (secret == null || secret.length == 0) {
                throw new IllegalArgumentException("HMAC secret must not be empty");
            }
            if (secret.length < RECOMMENDED_HMAC_SECRET_BYTES) {
                log.warn(
                        "HMAC token secret is only {} bytes; use at least {} random bytes",
                        secret.length,
                        RECOMMENDED_HMAC_SECRET_BYTES);
            }
            this.hmacSecret = secret.clone();
            return this;
        }

        /**
         * Adds an RSA or EC public key (PEM {@code PUBLIC KEY}, {@code RSA PUBLIC KEY} or
         * {@code CERTIFICATE}). May be called again to accept several keys during a rotation.
         */
        public Builder publicKeyPem(String pem) {
            return publicKey(PemKeys.readPublicKey(pem));
        }

        /** As {@link #publicKeyPem(String)}, reading the PEM from a file. */
        public Builder publicKeyPemFile(Path file) throws IOException {
            return publicKey(PemKeys.readPublicKey(file));
        }

        /** Adds an RSA or EC public key. */
        public Builder publicKey(PublicKey key) {
            publicKeys.add(PublicKeyEntry.of(Objects.requireNonNull(key, "key"), null, null));
            return this;
        }

        /** Adds the RSA and EC signing keys of a JWKS file; see {@link #jwksJson(String)}. */
        public Builder jwksFile(Path file) throws IOException {
            return jwksJson(Files.readString(file, StandardCharsets.UTF_8));
        }

        /**
         * Adds the RSA and EC signing keys of a JWK set ({@code {"keys": [...]}}). A token's
         * {@code kid} selects among them; a JWK {@code alg} restricts the key to that algorithm.
         * Symmetric ({@code oct}) and OKP keys and keys marked {@code "use": "enc"} are skipped.
         */
        public Builder jwksJson(String json) {
            JWKSet set;
            try {
                set = JWKSet.parse(json);
            } catch (ParseException e) {
                throw new IllegalArgumentException("JWKS is not a valid JWK set"); // may quote key data
            }
            int added = 0;
            for (JWK jwk : set.getKeys()) {
                if (KeyUse.ENCRYPTION.equals(jwk.getKeyUse())) {
                    continue;
                }
                Algorithm alg = jwk.getAlgorithm();
                JWSAlgorithm pinned = alg == null ? null : JWSAlgorithm.parse(alg.getName());
                try {
                    if (jwk instanceof RSAKey rsa) {
                        publicKeys.add(PublicKeyEntry.of(rsa.toRSAPublicKey(), jwk.getKeyID(), pinned));
                        added++;
                    } else if (jwk instanceof ECKey ec) {
                        publicKeys.add(PublicKeyEntry.of(ec.toECPublicKey(), jwk.getKeyID(), pinned));
                        added++;
                    } else {
                        log.warn(
                                "JWKS key {} of type {} skipped: only RSA and EC keys verify tokens",
                                jwk.getKeyID(),
                                jwk.getKeyType());
                    }
                } catch (JOSEException e) {
                    throw new IllegalArgumentException("JWKS key " + jwk.getKeyID() + " is unusable");
                }
            }
            if (added == 0) {
                throw new IllegalArgumentException("JWKS contains no RSA or EC signing key");
            }
            return this;
        }

        /** Requires the {@code aud} claim to be, or to contain, {@code audience}. */
        public Builder audience(String audience) {
            this.audience = audience == null || audience.isEmpty() ? null : audience;
            return this;
        }

        /** Requires the {@code iss} claim to equal {@code issuer}. */
        public Builder issuer(String issuer) {
            this.issuer = issuer == null || issuer.isEmpty() ? null : issuer;
            return this;
        }

        /** How far past {@code exp} (and before {@code nbf}) a token is still accepted. */
        public Builder clockSkew(Duration skew) {
            if (skew == null || skew.isNegative()) {
                throw new IllegalArgumentException("clock skew must be zero or positive");
            }
            this.clockSkew = skew;
            return this;
        }

        /** The clock that decides expiry; tests pass a fixed one. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @throws IllegalStateException when no key was configured; use
         *     {@link TokenVerifier#REJECT_ALL} for a node that accepts no tokens
         */
        public JwtTokenVerifier build() {
            if (hmacSecret == null && publicKeys.isEmpty()) {
                throw new IllegalStateException("configure an HMAC secret, a public key or a JWKS");
            }
            return new JwtTokenVerifier(this);
        }
    }
}
