package dev.switchboard.transport.auth;

import static dev.switchboard.transport.auth.HmacTokenVerificationTest.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwksTokenVerificationTest {

    static final KeyPair RSA_A = TestKeys.rsa();
    static final KeyPair RSA_B = TestKeys.rsa();
    static final KeyPair EC_C = TestKeys.ec("secp256r1");

    @TempDir
    Path dir;

    JwtTokenVerifier verifier;

    @BeforeEach
    void writeJwks() throws Exception {
        JWKSet set = new JWKSet(List.of(
                new RSAKey.Builder((RSAPublicKey) RSA_A.getPublic()).keyID("a").build(),
                new RSAKey.Builder((RSAPublicKey) RSA_B.getPublic())
                        .keyID("b")
                        .algorithm(JWSAlgorithm.RS256)
                        .build(),
                new ECKey.Builder(Curve.P_256, (ECPublicKey) EC_C.getPublic())
                        .keyID("c")
                        .build(),
                new RSAKey.Builder((RSAPublicKey) TestKeys.rsa().getPublic())
                        .keyID("enc")
                        .keyUse(KeyUse.ENCRYPTION)
                        .build()));
        Path file = dir.resolve("jwks.json");
        Files.writeString(file, set.toString());
        verifier = JwtTokenVerifier.jwksFile(file);
    }

    @Test
    void selectsTheKeyNamedByKid() throws Exception {
        assertThat(verifier.verifyConnectToken(token(RSA_A, "a")).userId()).isEqualTo("u");
        assertThat(verifier.verifyConnectToken(token(RSA_B, "b")).userId()).isEqualTo("u");
        assertThat(verifier.verifyConnectToken(token(EC_C, "c")).userId()).isEqualTo("u");
    }

    @Test
    void rejectsTokenWhoseKidNamesAnotherKey() {
        assertInvalid(verifier, token(RSA_A, "b"));
    }

    @Test
    void rejectsUnknownOrMissingKid() {
        assertInvalid(verifier, token(RSA_A, "zzz"));
        assertInvalid(verifier, token(RSA_A, null));
    }

    @Test
    void honoursAlgorithmPinnedByTheJwk() {
        assertInvalid(
                verifier,
                TokenGenerator.privateKey(RSA_B.getPrivate(), JWSAlgorithm.PS256)
                        .withKeyId("b")
                        .connectToken("u", null, null, null));
    }

    @Test
    void rejectsEcTokenLabelledWithAnRsaKid() {
        assertInvalid(verifier, token(EC_C, "a"));
    }

    @Test
    void rejectsHmacTokensWhenOnlyJwksIsConfigured() {
        assertInvalid(
                verifier, TokenGenerator.hmac(TestKeys.SECRET).withKeyId("a").connectToken("u", null, null, null));
    }

    @Test
    void skipsEncryptionKeys() {
        assertInvalid(verifier, token(TestKeys.rsa(), "enc"));
    }

    @Test
    void refusesJwksWithoutSigningKeys() {
        String onlySecret =
                new JWKSet(new OctetSequenceKey.Builder(new byte[32]).keyID("s").build()).toString(false);

        assertThatThrownBy(() -> JwtTokenVerifier.builder().jwksJson(onlySecret))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JwtTokenVerifier.builder().jwksJson("{not json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("not json");
    }

    private static String token(KeyPair pair, String kid) {
        return TokenGenerator.privateKey(pair.getPrivate(), null).withKeyId(kid).connectToken("u", null, null, null);
    }
}
