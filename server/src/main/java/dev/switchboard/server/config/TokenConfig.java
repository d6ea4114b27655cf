package dev.switchboard.server.config;

import java.nio.charset.StandardCharsets;

/**
 * How connection and subscription tokens (JWT) are verified: the {@code token} section.
 *
 * <p>Any combination of keys may be set; a token is checked with the key that matches its
 * {@code alg}. With no key at all, {@code serve} falls back to {@link DevSecrets}. Unset values
 * are {@code null}. {@link #toString()} never shows the secret.
 *
 * <pre>{@code
 * TokenConfig token = TokenConfig.builder()
 *     .hmacSecret(System.getenv("MY_SECRET"))
 *     .audience("switchboard")
 *     .build();
 * }</pre>
 */
public final class TokenConfig {

    /** HS256 needs a key of at least 256 bits (nimbus-jose-jwt refuses shorter ones). */
    public static final int MIN_HMAC_SECRET_BYTES = 32;

    private static final TokenConfig EMPTY = builder().build();

    private final String hmacSecret;
    private final String rsaPublicKey;
    private final String ecdsaPublicKey;
    private final String jwksFile;
    private final String audience;
    private final String issuer;

    private TokenConfig(Builder b) {
        this.hmacSecret = b.hmacSecret;
        this.rsaPublicKey = b.rsaPublicKey;
        this.ecdsaPublicKey = b.ecdsaPublicKey;
        this.jwksFile = b.jwksFile;
        this.audience = b.audience;
        this.issuer = b.issuer;
    }

    /** No key, no audience, no issuer. */
    public static TokenConfig empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** {@code token.hmac_secret}: shared secret for HS256/384/512 tokens, or {@code null}. Never log it. */
    public String hmacSecret() { return hmacSecret; }

    /** {@code token.rsa_public_key}: PEM text or a path to a PEM file, for RS/PS tokens, or {@code null}. */
    public String rsaPublicKey() { return rsaPublicKey; }

    /** {@code token.ecdsa_public_key}: PEM text or a path to a PEM file, for ES tokens, or {@code null}. */
    public String ecdsaPublicKey() { return ecdsaPublicKey; }

    /** {@code token.jwks_file}: path to a JWK set file whose keys are matched by {@code kid}, or {@code null}. */
    public String jwksFile() { return jwksFile; }

    /** {@code token.audience}: when set, tokens must carry this {@code aud}. */
    public String audience() { return audience; }

    /** {@code token.issuer}: when set, tokens must carry this {@code iss}. */
    public String issuer() { return issuer; }

    /** True when at least one verification key is configured. */
    public boolean hasAnyKey() {
        return hmacSecret != null || rsaPublicKey != null || ecdsaPublicKey != null || jwksFile != null;
    }

    /** True when {@code value} is inline PEM text rather than a file path. */
    public static boolean isInlinePem(String value) {
        return value != null && value.contains("-----BEGIN");
    }

    /** Shows which keys are set, never their values (an inline PEM is public, but keep it short). */
    @Override
    public String toString() {
        return "TokenConfig{hmacSecret=" + (hmacSecret == null ? "unset" : "<redacted>")
            + ", rsaPublicKey=" + describeKey(rsaPublicKey) + ", ecdsaPublicKey=" + describeKey(ecdsaPublicKey)
            + ", jwksFile=" + jwksFile + ", audience=" + audience + ", issuer=" + issuer + '}';
    }

    private static String describeKey(String v) {
        return v == null ? "unset" : isInlinePem(v) ? "<inline PEM>" : v;
    }

    /** Builder of {@link TokenConfig}; blank strings mean "not set". */
    public static final class Builder {
        private String hmacSecret;
        private String rsaPublicKey;
        private String ecdsaPublicKey;
        private String jwksFile;
        private String audience;
        private String issuer;

        private Builder() {
        }

        private Builder(TokenConfig c) {
            hmacSecret = c.hmacSecret;
            rsaPublicKey = c.rsaPublicKey;
            ecdsaPublicKey = c.ecdsaPublicKey;
            jwksFile = c.jwksFile;
            audience = c.audience;
            issuer = c.issuer;
        }

        /**
         * Sets the HMAC secret.
         *
         * @throws ConfigException when shorter than {@link #MIN_HMAC_SECRET_BYTES} bytes; the
         *     message gives the length only
         */
        public Builder hmacSecret(String v) {
            // Not trimmed beyond blank check: a secret is used byte for byte as configured.
            String s = v == null || v.isBlank() ? null : v;
            if (s != null && s.getBytes(StandardCharsets.UTF_8).length < MIN_HMAC_SECRET_BYTES) {
                throw new ConfigException("token.hmac_secret", "must be at least " + MIN_HMAC_SECRET_BYTES
                    + " bytes (256 bits) for HS256, got " + s.getBytes(StandardCharsets.UTF_8).length
                    + " bytes; `switchboard genconfig` writes a good one");
            }
            hmacSecret = s;
            return this;
        }

        public Builder rsaPublicKey(String v) { rsaPublicKey = pem(v); return this; }
        public Builder ecdsaPublicKey(String v) { ecdsaPublicKey = pem(v); return this; }
        public Builder jwksFile(String v) { jwksFile = Check.optionalText(v); return this; }
        public Builder audience(String v) { audience = Check.optionalText(v); return this; }
        public Builder issuer(String v) { issuer = Check.optionalText(v); return this; }

        private static String pem(String v) {
            // Inline PEM keeps its line breaks; a path is trimmed.
            return v == null || v.isBlank() ? null : isInlinePem(v) ? v : v.trim();
        }

        public TokenConfig build() {
            return new TokenConfig(this);
        }
    }
}
