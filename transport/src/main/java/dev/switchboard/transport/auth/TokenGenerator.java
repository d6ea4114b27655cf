package dev.switchboard.transport.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Mints Centrifugo-compatible connection and subscription JWTs, for the {@code gentoken} command,
 * for tests, and for Java backends that hand tokens to their clients.
 *
 * <pre>{@code
 * TokenGenerator tokens = TokenGenerator.hmac(secret);
 * String connect = tokens.connectToken("42", Duration.ofHours(1), List.of(), null);
 * String sub = tokens.subscriptionToken("42", "$private:room", Duration.ofMinutes(10),
 *         "{\"role\":\"admin\"}".getBytes(StandardCharsets.UTF_8));
 * }</pre>
 *
 * <p>Immutable and thread-safe; the {@code with*} methods return configured copies.
 */
public final class TokenGenerator {

    /** Algorithm for {@link #hmac(String)}: the one every Centrifugo deployment accepts. */
    public static final JWSAlgorithm DEFAULT_HMAC_ALGORITHM = JWSAlgorithm.HS256;

    /** Algorithm for RSA private keys when none is given: the most widely supported one. */
    public static final JWSAlgorithm DEFAULT_RSA_ALGORITHM = JWSAlgorithm.RS256;

    private final JWSSigner signer;
    private final JWSAlgorithm algorithm;
    private final String keyId;
    private final String issuer;
    private final String audience;
    private final Clock clock;

    private TokenGenerator(
            JWSSigner signer, JWSAlgorithm algorithm, String keyId, String issuer, String audience, Clock clock) {
        this.signer = signer;
        this.algorithm = algorithm;
        this.keyId = keyId;
        this.issuer = issuer;
        this.audience = audience;
        this.clock = clock;
    }

    /** Signs HS256 tokens with the UTF-8 bytes of {@code secret}. */
    public static TokenGenerator hmac(String secret) {
        Objects.requireNonNull(secret, "secret");
        return hmac(secret.getBytes(StandardCharsets.UTF_8), DEFAULT_HMAC_ALGORITHM);
    }

    /** Signs tokens with {@code secret} and HS256, HS384 or HS512. */
    public static TokenGenerator hmac(byte[] secret, JWSAlgorithm algorithm) {
        if (!HmacJws.ALGORITHMS.contains(algorithm)) {
            throw new IllegalArgumentException("not an HMAC algorithm: " + algorithm);
        }
        return new TokenGenerator(new HmacJws(secret), algorithm, null, null, null, Clock.systemUTC());
    }

    /**
     * Signs with an RSA ({@link #DEFAULT_RSA_ALGORITHM}) or EC (ES256/384/512 by curve) private key
     * in PEM ({@code PRIVATE KEY}, {@code RSA PRIVATE KEY} or {@code EC PRIVATE KEY}).
     */
    public static TokenGenerator privateKeyPem(String pem) {
        return privateKey(PemKeys.readPrivateKey(pem), null);
    }

    /**
     * Signs with an RSA or EC private key.
     *
     * @param algorithm RS256/384/512 or PS256/384/512 for RSA; for EC it must match the curve;
     *     null picks {@link #DEFAULT_RSA_ALGORITHM} or the curve's algorithm
     */
    public static TokenGenerator privateKey(PrivateKey key, JWSAlgorithm algorithm) {
        Objects.requireNonNull(key, "key");
        try {
            if (key instanceof RSAPrivateKey) {
                JWSAlgorithm alg = algorithm == null ? DEFAULT_RSA_ALGORITHM : algorithm;
                RSASSASigner signer = new RSASSASigner(key); // refuses keys under 2048 bits
                requireSupported(signer, alg);
                return new TokenGenerator(signer, alg, null, null, null, Clock.systemUTC());
            }
            if (key instanceof ECPrivateKey ec) {
                Curve curve = Curve.forECParameterSpec(ec.getParams());
                JWSAlgorithm alg = algorithm != null
                        ? algorithm
                        : Curve.P_256.equals(curve)
                                ? JWSAlgorithm.ES256
                                : Curve.P_384.equals(curve)
                                        ? JWSAlgorithm.ES384
                                        : Curve.P_521.equals(curve) ? JWSAlgorithm.ES512 : null;
                if (alg == null || !Curve.forJWSAlgorithm(alg).contains(curve)) {
                    throw new IllegalArgumentException(
                            "EC key must use curve P-256, P-384 or P-521 matching the algorithm");
                }
                return new TokenGenerator(new ECDSASigner(ec), alg, null, null, null, Clock.systemUTC());
            }
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable private key: " + e.getMessage());
        }
        throw new IllegalArgumentException("private key must be RSA or EC, not " + key.getAlgorithm());
    }

    private static void requireSupported(JWSSigner signer, JWSAlgorithm alg) {
        if (!signer.supportedJWSAlgorithms().contains(alg)) {
            throw new IllegalArgumentException(alg + " cannot be used with this key");
        }
    }

    /** A copy that puts {@code kid} in the header, so JWKS verifiers find the key. */
    public TokenGenerator withKeyId(String kid) {
        return new TokenGenerator(signer, algorithm, kid, issuer, audience, clock);
    }

    /** A copy that sets the {@code iss} claim. */
    public TokenGenerator withIssuer(String iss) {
        return new TokenGenerator(signer, algorithm, keyId, iss, audience, clock);
    }

    /** A copy that sets the {@code aud} claim. */
    public TokenGenerator withAudience(String aud) {
        return new TokenGenerator(signer, algorithm, keyId, issuer, aud, clock);
    }

    /** A copy whose {@code iat}/{@code exp} come from {@code clock}; tests mint expired tokens so. */
    public TokenGenerator withClock(Clock clock) {
        return new TokenGenerator(signer, algorithm, keyId, issuer, audience, Objects.requireNonNull(clock));
    }

    /**
     * A connection token.
     *
     * @param user the {@code sub} claim; {@code ""} for an anonymous user
     * @param ttl lifetime, or null for a token without {@code exp}
     * @param channels server-side subscriptions ({@code channels} claim); null or empty for none
     * @param infoJson the {@code info} claim as UTF-8 JSON, or null
     * @throws IllegalArgumentException when {@code infoJson} is not JSON or {@code ttl} is not positive
     */
    public String connectToken(String user, Duration ttl, List<String> channels, byte[] infoJson) {
        return connectToken(user, ttl, channels, infoJson, null);
    }

    /**
     * A connection token with a {@code routing_key} claim too: the key the connection is found by
     * for invocations ({@code /api/invoke} with {@code routing_key}), e.g. {@code project:environment}.
     *
     * @param routingKey the {@code routing_key} claim, or null for none
     * @throws IllegalArgumentException as {@link #connectToken(String, Duration, List, byte[])}, or
     *     when {@code routingKey} is empty
     */
    public String connectToken(String user, Duration ttl, List<String> channels, byte[] infoJson, String routingKey) {
        if (routingKey != null && routingKey.isEmpty()) {
            throw new IllegalArgumentException("routing key must not be empty");
        }
        ObjectNode claims = baseClaims(user, ttl);
        if (routingKey != null) {
            claims.put("routing_key", routingKey);
        }
        if (channels != null && !channels.isEmpty()) {
            ArrayNode array = claims.putArray("channels");
            channels.forEach(array::add);
        }
        putInfo(claims, infoJson);
        return sign(claims);
    }

    /**
     * A subscription token for {@code channel}.
     *
     * @param user the {@code sub} claim: must equal the connection's user
     * @param ttl lifetime, or null for a token without {@code exp}
     * @param infoJson the channel {@code info} claim as UTF-8 JSON, or null
     * @throws IllegalArgumentException when {@code channel} is empty, {@code infoJson} is not JSON
     *     or {@code ttl} is not positive
     */
    public String subscriptionToken(String user, String channel, Duration ttl, byte[] infoJson) {
        if (channel == null || channel.isEmpty()) {
            throw new IllegalArgumentException("channel must not be empty");
        }
        ObjectNode claims = baseClaims(user, ttl);
        claims.put("channel", channel);
        putInfo(claims, infoJson);
        return sign(claims);
    }

    /**
     * Signs an arbitrary claims object as-is, for claims the typed methods do not cover
     * ({@code meta}, {@code b64info}, ...).
     *
     * @throws IllegalArgumentException when {@code claimsJson} is not a JSON object
     */
    public String signClaims(String claimsJson) {
        JsonNode node = readJson(claimsJson.getBytes(StandardCharsets.UTF_8), "claims");
        if (!node.isObject()) {
            throw new IllegalArgumentException("claims must be a JSON object");
        }
        return sign((ObjectNode) node);
    }

    private ObjectNode baseClaims(String user, Duration ttl) {
        Objects.requireNonNull(user, "user (use \"\" for anonymous)");
        if (ttl != null && (ttl.isZero() || ttl.isNegative())) {
            throw new IllegalArgumentException("ttl must be positive, or null for no expiry");
        }
        long nowMillis = clock.millis();
        ObjectNode claims = TokenClaims.JSON.createObjectNode();
        claims.put("sub", user);
        claims.put("iat", Math.floorDiv(nowMillis, 1000));
        if (ttl != null) {
            // Rounded up so a sub-second ttl never yields a token that is already expired.
            claims.put("exp", Math.floorDiv(nowMillis + ttl.toMillis() + 999, 1000));
        }
        if (issuer != null) {
            claims.put("iss", issuer);
        }
        if (audience != null) {
            claims.put("aud", audience);
        }
        return claims;
    }

    private static void putInfo(ObjectNode claims, byte[] infoJson) {
        if (infoJson != null) {
            claims.set("info", readJson(infoJson, "info"));
        }
    }

    private static JsonNode readJson(byte[] json, String what) {
        JsonNode node;
        try {
            node = TokenClaims.JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " is not valid JSON");
        }
        if (node == null || node.isMissingNode()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        return node;
    }

    private String sign(ObjectNode claims) {
        JWSHeader header = new JWSHeader.Builder(algorithm)
                .type(JOSEObjectType.JWT)
                .keyID(keyId)
                .build();
        try {
            JWSObject jws = new JWSObject(header, new Payload(TokenClaims.JSON.writeValueAsBytes(claims)));
            jws.sign(signer);
            return jws.serialize();
        } catch (JOSEException | IOException e) {
            throw new IllegalStateException("signing failed: " + e.getMessage(), e);
        }
    }
}
