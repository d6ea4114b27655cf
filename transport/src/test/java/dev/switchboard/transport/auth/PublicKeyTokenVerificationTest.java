package dev.switchboard.transport.auth;

import static dev.switchboard.transport.auth.HmacTokenVerificationTest.assertInvalid;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PublicKeyTokenVerificationTest {

    static final KeyPair RSA = TestKeys.rsa();
    static final KeyPair EC_P256 = TestKeys.ec("secp256r1");

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"})
    void acceptsRsaTokensFromPemPublicKey(String alg) throws Exception {
        String token = TokenGenerator.privateKey(RSA.getPrivate(), JWSAlgorithm.parse(alg))
                .connectToken("42", Duration.ofMinutes(1), List.of("news"), null);

        var claims =
                JwtTokenVerifier.publicKeyPem(TestKeys.pem(RSA.getPublic())).verifyConnectToken(token);

        assertThat(claims.userId()).isEqualTo("42");
        assertThat(claims.channels()).containsExactly("news");
    }

    @ParameterizedTest
    @CsvSource({"secp256r1, ES256", "secp384r1, ES384", "secp521r1, ES512"})
    void acceptsEcTokensFromPemPublicKey(String curve, String alg) throws Exception {
        KeyPair pair = TestKeys.ec(curve);
        TokenGenerator generator = TokenGenerator.privateKeyPem(TestKeys.pem(pair.getPrivate()));
        String token = generator.subscriptionToken("42", "room", null, null);

        var claims =
                JwtTokenVerifier.publicKeyPem(TestKeys.pem(pair.getPublic())).verifySubscriptionToken(token);

        assertThat(JWSObject.parse(token).getHeader().getAlgorithm().getName()).isEqualTo(alg);
        assertThat(claims.channel()).isEqualTo("room");
    }

    @Test
    void readsPublicKeyFromPemFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("token.pub");
        Files.writeString(file, TestKeys.pem(EC_P256.getPublic()));
        JwtTokenVerifier verifier =
                JwtTokenVerifier.builder().publicKeyPemFile(file).build();

        String token = TokenGenerator.privateKey(EC_P256.getPrivate(), null).connectToken("9", null, null, null);

        assertThat(verifier.verifyConnectToken(token).userId()).isEqualTo("9");
    }

    @Test
    void acceptsTokensSignedByNimbusDirectly() throws Exception {
        JWSObject rsa = new JWSObject(new JWSHeader(JWSAlgorithm.RS256), new Payload("{\"sub\":\"r\"}"));
        rsa.sign(new RSASSASigner(RSA.getPrivate()));
        JWSObject ec = new JWSObject(new JWSHeader(JWSAlgorithm.ES256), new Payload("{\"sub\":\"e\"}"));
        ec.sign(new ECDSASigner((ECPrivateKey) EC_P256.getPrivate()));
        JwtTokenVerifier verifier = JwtTokenVerifier.builder()
                .publicKeyPem(TestKeys.pem(RSA.getPublic()))
                .publicKeyPem(TestKeys.pem(EC_P256.getPublic()))
                .build();

        assertThat(verifier.verifyConnectToken(rsa.serialize()).userId()).isEqualTo("r");
        assertThat(verifier.verifyConnectToken(ec.serialize()).userId()).isEqualTo("e");
    }

    @Test
    void rejectsTokenSignedByAnotherKeyAsInvalid() {
        JwtTokenVerifier verifier = JwtTokenVerifier.publicKeyPem(TestKeys.pem(RSA.getPublic()));

        assertInvalid(
                verifier,
                TokenGenerator.privateKey(TestKeys.rsa().getPrivate(), null).connectToken("42", null, null, null));
    }

    @Test
    void rejectsEcTokenWhenOnlyAnRsaKeyIsConfigured() {
        JwtTokenVerifier verifier = JwtTokenVerifier.publicKeyPem(TestKeys.pem(RSA.getPublic()));

        assertInvalid(
                verifier, TokenGenerator.privateKey(EC_P256.getPrivate(), null).connectToken("1", null, null, null));
    }

    @Test
    void rejectsHmacTokenSignedWithThePublicKeyAsSecret() {
        String pem = TestKeys.pem(RSA.getPublic());
        JwtTokenVerifier verifier = JwtTokenVerifier.publicKeyPem(pem);

        // The classic algorithm-confusion attack: the public key is public, so anyone can HMAC with it.
        assertInvalid(verifier, TokenGenerator.hmac(pem).connectToken("admin", null, null, null));
        assertInvalid(
                verifier,
                TokenGenerator.hmac(RSA.getPublic().getEncoded(), JWSAlgorithm.HS256)
                        .connectToken("admin", null, null, null));
    }

    @Test
    void acceptsEachFamilyWithItsOwnKeyWhenBothAreConfigured() throws Exception {
        String pem = TestKeys.pem(RSA.getPublic());
        JwtTokenVerifier verifier = JwtTokenVerifier.builder()
                .hmacSecret(TestKeys.SECRET)
                .publicKeyPem(pem)
                .build();

        assertThat(verifier.verifyConnectToken(
                                TokenGenerator.hmac(TestKeys.SECRET).connectToken("h", null, null, null))
                        .userId())
                .isEqualTo("h");
        assertThat(verifier.verifyConnectToken(TokenGenerator.privateKey(RSA.getPrivate(), null)
                                .connectToken("r", null, null, null))
                        .userId())
                .isEqualTo("r");
        assertInvalid(verifier, TokenGenerator.hmac(pem).connectToken("admin", null, null, null));
    }

    @Test
    void acceptsEveryConfiguredKeyDuringRotation() throws Exception {
        KeyPair next = TestKeys.rsa();
        JwtTokenVerifier verifier = JwtTokenVerifier.builder()
                .publicKeyPem(TestKeys.pem(RSA.getPublic()))
                .publicKeyPem(TestKeys.pem(next.getPublic()))
                .build();

        for (KeyPair pair : List.of(RSA, next)) {
            assertThat(verifier.verifyConnectToken(TokenGenerator.privateKey(pair.getPrivate(), null)
                                    .connectToken("u", null, null, null))
                            .userId())
                    .isEqualTo("u");
        }
    }

    @Test
    void refusesUnusablePublicKeyAtConstruction() {
        assertThatThrownBy(() -> JwtTokenVerifier.publicKeyPem("not a pem"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JwtTokenVerifier.publicKeyPem(TestKeys.pem(RSA.getPrivate())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ignoresKidForPemKeys() throws Exception {
        String token = TokenGenerator.privateKey(RSA.getPrivate(), null)
                .withKeyId("whatever")
                .connectToken("k", null, null, null);

        assertThat(JwtTokenVerifier.publicKeyPem(TestKeys.pem(RSA.getPublic()))
                        .verifyConnectToken(token)
                        .userId())
                .isEqualTo("k");
        assertThat(new String(JWSObject.parse(token).getHeader().toBase64URL().decode(), UTF_8))
                .contains("whatever");
    }

    @Test
    void neverTrustsAKeyEmbeddedInTheTokenHeader() throws Exception {
        KeyPair attacker = TestKeys.rsa();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256)
                .jwk(new RSAKey.Builder((RSAPublicKey) attacker.getPublic()).build())
                .build();
        JWSObject jws = new JWSObject(header, new Payload("{\"sub\":\"admin\"}"));
        jws.sign(new RSASSASigner(attacker.getPrivate()));

        assertInvalid(JwtTokenVerifier.publicKeyPem(TestKeys.pem(RSA.getPublic())), jws.serialize());
    }

    @Test
    void verifiesConcurrentlyFromManyThreads() throws Exception {
        JwtTokenVerifier verifier = JwtTokenVerifier.builder()
                .hmacSecret(TestKeys.SECRET)
                .publicKeyPem(TestKeys.pem(EC_P256.getPublic()))
                .build();
        List<String> tokens = List.of(
                TokenGenerator.hmac(TestKeys.SECRET).connectToken("h", null, null, null),
                TokenGenerator.privateKey(EC_P256.getPrivate(), null).connectToken("e", null, null, null));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 400; i++) {
                String token = tokens.get(i % 2);
                results.add(pool.submit(
                        () -> !verifier.verifyConnectToken(token).userId().isEmpty()));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
