package dev.switchboard.transport.config;

import dev.switchboard.core.auth.TokenVerifier;
import dev.switchboard.transport.auth.JwtTokenVerifier;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

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
    public String hmacSecret() {
        return hmacSecret;
    }

    /** {@code token.rsa_public_key}: PEM text or a path to a PEM file, for RS/PS tokens, or {@code null}. */
    public String rsaPublicKey() {
        return rsaPublicKey;
    }

    /** {@code token.ecdsa_public_key}: PEM text or a path to a PEM file, for ES tokens, or {@code null}. */
    public String ecdsaPublicKey() {
        return ecdsaPublicKey;
    }

    /** {@code token.jwks_file}: path to a JWK set file whose keys are matched by {@code kid}, or {@code null}. */
    public String jwksFile() {
        return jwksFile;
    }

    /** {@code token.audience}: when set, tokens must carry this {@code aud}. */
    public String audience() {
        return audience;
    }

    /** {@code token.issuer}: when set, tokens must carry this {@code iss}. */
    public String issuer() {
        return issuer;
    }

    /** True when at least one verification key is configured. */
    public boolean hasAnyKey() {
        return hmacSecret != null || rsaPublicKey != null || ecdsaPublicKey != null || jwksFile != null;
    }

    /** Reads every public key and JWKS once, so a bad one fails validation, naming its key. */
    void checkPublicKeys() {
        toVerifier();
    }

    /**
     * The node's token verifier for this section; {@link TokenVerifier#REJECT_ALL} when no key
     * is configured.
     *
     * @throws ConfigException naming the key whose file or PEM cannot be read
     */
    public TokenVerifier toVerifier() {
        if (!hasAnyKey()) {
            return TokenVerifier.REJECT_ALL;
        }
        JwtTokenVerifier.Builder b = JwtTokenVerifier.builder();
        if (hmacSecret != null) {
            b.hmacSecret(hmacSecret);
        }
        addKey("token.rsa_public_key", rsaPublicKey, b);
        addKey("token.ecdsa_public_key", ecdsaPublicKey, b);
        if (jwksFile != null) {
            readKey("token.jwks_file", jwksFile, () -> b.jwksFile(Path.of(jwksFile)));
        }
        if (audience != null) {
            b.audience(audience);
        }
        if (issuer != null) {
            b.issuer(issuer);
        }
        return b.build();
    }

    private static void addKey(String key, String value, JwtTokenVerifier.Builder b) {
        if (value == null) {
            return;
        }
        if (isInlinePem(value)) {
            readKey(key, "inline PEM", () -> b.publicKeyPem(value));
        } else {
            readKey(key, value, () -> b.publicKeyPemFile(Path.of(value)));
        }
    }

    private interface KeyRead {
        void run() throws IOException;
    }

    private static void readKey(String key, String source, KeyRead read) {
        try {
            read.run();
        } catch (NoSuchFileException e) {
            throw new ConfigException(key, "file " + Path.of(source).toAbsolutePath() + " does not exist");
        } catch (IOException e) {
            throw new ConfigException(key, "cannot read " + source + ": " + e.getMessage(), e);
        } catch (InvalidPathException e) {
            throw new ConfigException(key, "is neither inline PEM nor a valid file path");
        } catch (IllegalArgumentException e) {
            // The auth classes never quote key material in their messages.
            throw new ConfigException(key, source + ": " + e.getMessage(), e);
        }
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

        private Builder() {}

        private Builder(TokenConfig c) {
            hmacSecret = c.hmacSecret;
            rsaPublicKey = c.rsaPublicKey;
            ecdsaPublicKey = c.ecdsaPublicKey;
            jwksFile = c.jwksFile;
            audience = c.audience;
            issuer = c.issuer;
        }

        /**
         * Sets the HMAC secret. Short secrets are accepted for Centrifugo compatibility (the
         * verifier logs them as weak); {@code genconfig} writes 256 random bits.
         */
        public Builder hmacSecret(String v) {
            // Not trimmed: a secret is used byte for byte as configured.
            hmacSecret = v == null || v.isBlank() ? null : v;
            return this;
        }

        public Builder rsaPublicKey(String v) {
            rsaPublicKey = pem(v);
            return this;
        }

        public Builder ecdsaPublicKey(String v) {
            ecdsaPublicKey = pem(v);
            return this;
        }

        public Builder jwksFile(String v) {
            jwksFile = Check.optionalText(v);
            return this;
        }

        public Builder audience(String v) {
            audience = Check.optionalText(v);
            return this;
        }

        public Builder issuer(String v) {
            issuer = Check.optionalText(v);
            return this;
        }

        private static String pem(String v) {
            // Inline PEM keeps its line breaks; a path is trimmed.
            return v == null || v.isBlank() ? null : isInlinePem(v) ? v : v.trim();
        }

        public TokenConfig build() {
            return new TokenConfig(this);
        }
    }
}
