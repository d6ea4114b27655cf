package dev.switchboard.transport.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import dev.switchboard.core.auth.ConnectToken;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenGeneratorTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2031-05-05T10:00:00.250Z"), ZoneOffset.UTC);

    final TokenGenerator generator = TokenGenerator.hmac(TestKeys.SECRET).withClock(CLOCK);
    final JwtTokenVerifier verifier =
            JwtTokenVerifier.builder().hmacSecret(TestKeys.SECRET).clock(CLOCK).build();

    @Test
    void connectionTokenRoundTripsThroughTheVerifier() throws Exception {
        String token = generator.connectToken(
                "42", Duration.ofHours(1), List.of("a", "b"), "{\"name\": \"Ann\"}".getBytes(UTF_8));

        ConnectToken claims = verifier.verifyConnectToken(token);

        assertThat(claims.userId()).isEqualTo("42");
        assertThat(claims.channels()).containsExactly("a", "b");
        assertThat(new String(claims.info(), UTF_8)).isEqualTo("{\"name\":\"Ann\"}");
        assertThat(claims.expireAt())
                .isEqualTo(CLOCK.instant().plusSeconds(3600).getEpochSecond() + 1);
    }

    @Test
    void writesStandardHs256HeaderAndIssuedAt() throws Exception {
        JWSObject jws = JWSObject.parse(generator.connectToken("", null, null, null));
        Map<String, Object> claims = jws.getPayload().toJSONObject();

        assertThat(jws.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
        assertThat(jws.getHeader().getType().getType()).isEqualTo("JWT");
        assertThat(claims)
                .containsEntry("sub", "")
                .containsEntry("iat", CLOCK.instant().getEpochSecond())
                .doesNotContainKeys("exp", "channels", "info");
    }

    @Test
    void subscriptionTokenCarriesChannelAndInfo() throws Exception {
        var claims = verifier.verifySubscriptionToken(
                generator.subscriptionToken("42", "$room", Duration.ofMinutes(5), "[1]".getBytes(UTF_8)));

        assertThat(claims.channel()).isEqualTo("$room");
        assertThat(new String(claims.info(), UTF_8)).isEqualTo("[1]");
    }

    @Test
    void refusesBadArguments() {
        assertThatThrownBy(() -> generator.connectToken("1", null, null, "{oops".getBytes(UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> generator.connectToken("1", null, null, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> generator.connectToken("1", Duration.ZERO, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> generator.subscriptionToken("1", "", null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> generator.connectToken(null, null, null, null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> generator.signClaims("[]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TokenGenerator.hmac(new byte[0], JWSAlgorithm.HS256))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TokenGenerator.hmac(TestKeys.SECRET.getBytes(UTF_8), JWSAlgorithm.RS256))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void signsWithRsaOrEcPrivateKeyPem() throws Exception {
        KeyPair rsa = TestKeys.rsa();
        KeyPair ec = TestKeys.ec("secp384r1");
        String rsaToken =
                TokenGenerator.privateKeyPem(TestKeys.pem(rsa.getPrivate())).connectToken("r", null, null, null);
        String ecToken =
                TokenGenerator.privateKeyPem(TestKeys.pem(ec.getPrivate())).connectToken("e", null, null, null);

        assertThat(JWSObject.parse(rsaToken).getHeader().getAlgorithm())
                .isEqualTo(TokenGenerator.DEFAULT_RSA_ALGORITHM);
        assertThat(JWSObject.parse(ecToken).getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES384);
        assertThat(JwtTokenVerifier.publicKeyPem(TestKeys.pem(rsa.getPublic()))
                        .verifyConnectToken(rsaToken)
                        .userId())
                .isEqualTo("r");
        assertThat(JwtTokenVerifier.publicKeyPem(TestKeys.pem(ec.getPublic()))
                        .verifyConnectToken(ecToken)
                        .userId())
                .isEqualTo("e");
        assertThatThrownBy(() -> TokenGenerator.privateKey(ec.getPrivate(), JWSAlgorithm.ES256))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void setsKidIssuerAndAudience() throws Exception {
        String token =
                generator.withKeyId("k1").withIssuer("me").withAudience("you").connectToken("1", null, null, null);
        JWSObject jws = JWSObject.parse(token);

        assertThat(jws.getHeader().getKeyID()).isEqualTo("k1");
        assertThat(jws.getPayload().toJSONObject()).containsEntry("iss", "me").containsEntry("aud", "you");
    }
}
