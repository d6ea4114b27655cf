package dev.switchboard.server.auth;

import dev.switchboard.core.auth.TokenVerifier;
import dev.switchboard.server.config.ConfigException;
import dev.switchboard.server.config.TokenConfig;
import java.io.IOException;
import java.nio.file.Path;

/** Builds the node's {@link TokenVerifier} from the {@code token} section of the config. */
public final class TokenVerifiers {

    private TokenVerifiers() {
    }

    /**
     * The verifier for a token config; {@link TokenVerifier#REJECT_ALL} when no key is set.
     *
     * @throws ConfigException naming the key whose file or PEM could not be read
     */
    public static TokenVerifier fromConfig(TokenConfig token) {
        if (!token.hasAnyKey()) {
            return TokenVerifier.REJECT_ALL;
        }
        JwtTokenVerifier.Builder b = JwtTokenVerifier.builder();
        if (token.hmacSecret() != null) {
            b.hmacSecret(token.hmacSecret());
        }
        addPem(b, "token.rsa_public_key", token.rsaPublicKey());
        addPem(b, "token.ecdsa_public_key", token.ecdsaPublicKey());
        if (token.jwksFile() != null) {
            try {
                b.jwksFile(Path.of(token.jwksFile()));
            } catch (IOException | IllegalArgumentException e) {
                throw new ConfigException("token.jwks_file", "cannot read JWKS: " + e.getMessage(), e);
            }
        }
        if (token.audience() != null) {
            b.audience(token.audience());
        }
        if (token.issuer() != null) {
            b.issuer(token.issuer());
        }
        return b.build();
    }

    private static void addPem(JwtTokenVerifier.Builder b, String key, String value) {
        if (value == null) {
            return;
        }
        try {
            if (TokenConfig.isInlinePem(value)) {
                b.publicKeyPem(value);
            } else {
                b.publicKeyPemFile(Path.of(value));
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(key, "cannot read public key: " + e.getMessage(), e);
        }
    }
}
