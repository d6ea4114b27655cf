package dev.switchboard.transport.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import dev.switchboard.core.auth.ConnectToken;
import dev.switchboard.core.auth.TokenException;
import dev.switchboard.core.auth.TokenException.Reason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HmacTokenVerificationTest {

    static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    final TokenGenerator generator = TokenGenerator.hmac(TestKeys.SECRET).withClock(CLOCK);
    final JwtTokenVerifier verifier =
            JwtTokenVerifier.builder().hmacSecret(TestKeys.SECRET).clock(CLOCK).build();

    @ParameterizedTest
    @ValueSource(strings = {"HS256", "HS384", "HS512"})
    void acceptsEveryHmacAlgorithm(String alg) throws Exception {
        // 64 bytes so that even HS512 meets RFC 7518's key size
        byte[] secret = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef".getBytes(UTF_8);
        String token = TokenGenerator.hmac(secret, JWSAlgorithm.parse(alg))
                .withClock(CLOCK)
                .connectToken("42", Duration.ofMinutes(5), List.of(), null);
        JwtTokenVerifier v =
                JwtTokenVerifier.builder().hmacSecret(secret).clock(CLOCK).build();

        ConnectToken claims = v.verifyConnectToken(token);

        assertThat(JWSObject.parse(token).getHeader().getAlgorithm().getName()).isEqualTo(alg);
        assertThat(claims.userId()).isEqualTo("42");
        assertThat(claims.expireAt()).isEqualTo(NOW.getEpochSecond() + 300);
    }

    @Test
    void acceptsShortSecretsLikeCentrifugoDoes() throws Exception {
        String token = TokenGenerator.hmac("secret").connectToken("7", null, null, null);

        assertThat(JwtTokenVerifier.hmac("secret").verifyConnectToken(token).userId())
                .isEqualTo("7");
    }

    @Test
    void interoperatesWithNimbusMacSignerAndVerifier() throws Exception {
        JWSObject foreign = new JWSObject(new JWSHeader(JWSAlgorithm.HS256), new Payload("{\"sub\":\"ext\"}"));
        foreign.sign(new MACSigner(TestKeys.SECRET));
        assertThat(verifier.verifyConnectToken(foreign.serialize()).userId()).isEqualTo("ext");

        String ours = generator.connectToken("1", null, null, null);
        assertThat(JWSObject.parse(ours).verify(new MACVerifier(TestKeys.SECRET)))
                .isTrue();
    }

    @Test
    void rejectsTokenSignedWithAnotherSecretAsInvalid() {
        String token = TokenGenerator.hmac(TestKeys.SECRET + "x").connectToken("42", null, null, null);

        assertInvalid(token);
    }

    @Test
    void rejectsTamperedPayloadAsInvalid() {
        String token = generator.connectToken("42", null, null, null);
        String[] parts = token.split("\\.");
        String forged = parts[0] + "."
                + java.util.Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString("{\"sub\":\"admin\"}".getBytes(UTF_8))
                + "." + parts[2];

        assertInvalid(forged);
    }

    @Test
    void reportsExpiredTokenAsExpired() {
        String token = generator
                .withClock(Clock.offset(CLOCK, Duration.ofHours(-2)))
                .connectToken("42", Duration.ofHours(1), null, null);

        assertThatThrownBy(() -> verifier.verifyConnectToken(token))
                .isInstanceOfSatisfying(
                        TokenException.class, e -> assertThat(e.reason()).isEqualTo(Reason.EXPIRED));
        assertThatThrownBy(() -> verifier.verifySubscriptionToken(generator
                        .withClock(Clock.offset(CLOCK, Duration.ofHours(-2)))
                        .subscriptionToken("42", "news", Duration.ofHours(1), null)))
                .isInstanceOfSatisfying(
                        TokenException.class, e -> assertThat(e.reason()).isEqualTo(Reason.EXPIRED));
    }

    @Test
    void treatsExpEqualToNowAsExpired() {
        String token = generator.signClaims("{\"sub\":\"1\",\"exp\":" + NOW.getEpochSecond() + "}");

        assertThatThrownBy(() -> verifier.verifyConnectToken(token))
                .isInstanceOfSatisfying(
                        TokenException.class, e -> assertThat(e.reason()).isEqualTo(Reason.EXPIRED));
    }

    @Test
    void clockSkewAcceptsARecentlyExpiredToken() throws Exception {
        String token = generator.signClaims("{\"sub\":\"1\",\"exp\":" + (NOW.getEpochSecond() - 3) + "}");
        JwtTokenVerifier lenient = JwtTokenVerifier.builder()
                .hmacSecret(TestKeys.SECRET)
                .clock(CLOCK)
                .clockSkew(Duration.ofSeconds(5))
                .build();

        assertThat(lenient.verifyConnectToken(token).expireAt()).isEqualTo(NOW.getEpochSecond() - 3);
        assertThat(JwtTokenVerifier.DEFAULT_CLOCK_SKEW).isZero();
        assertThatThrownBy(() -> verifier.verifyConnectToken(token)).isInstanceOf(TokenException.class);
    }

    @Test
    void expiredTokenWithBadSignatureIsInvalidNotExpired() {
        String token = TokenGenerator.hmac("other-secret")
                .withClock(Clock.offset(CLOCK, Duration.ofDays(-1)))
                .connectToken("42", Duration.ofHours(1), null, null);

        assertInvalid(token);
    }

    @Test
    void tokenWithoutExpNeverExpires() throws Exception {
        assertThat(verifier.verifyConnectToken(generator.connectToken("42", null, null, null))
                        .expireAt())
                .isZero();
    }

    @Test
    void rejectsTokenNotValidYet() {
        String token = generator.signClaims("{\"sub\":\"1\",\"nbf\":" + (NOW.getEpochSecond() + 60) + "}");

        assertInvalid(token);
    }

    @Test
    void checksAudienceWhenConfigured() throws Exception {
        JwtTokenVerifier withAudience = JwtTokenVerifier.builder()
                .hmacSecret(TestKeys.SECRET)
                .audience("switchboard")
                .clock(CLOCK)
                .build();

        assertThat(withAudience
                        .verifyConnectToken(
                                generator.withAudience("switchboard").connectToken("1", null, null, null))
                        .userId())
                .isEqualTo("1");
        assertThat(withAudience
                        .verifyConnectToken(generator.signClaims("{\"sub\":\"2\",\"aud\":[\"other\",\"switchboard\"]}"))
                        .userId())
                .isEqualTo("2");
        assertInvalid(withAudience, generator.withAudience("other").connectToken("1", null, null, null));
        assertInvalid(withAudience, generator.connectToken("1", null, null, null));
        // without a configured audience any aud is fine
        assertThat(verifier.verifyConnectToken(generator.withAudience("other").connectToken("3", null, null, null))
                        .userId())
                .isEqualTo("3");
    }

    @Test
    void checksIssuerWhenConfigured() throws Exception {
        JwtTokenVerifier withIssuer = JwtTokenVerifier.builder()
                .hmacSecret(TestKeys.SECRET)
                .issuer("https://auth.example.com")
                .clock(CLOCK)
                .build();

        assertThat(withIssuer
                        .verifySubscriptionToken(generator
                                .withIssuer("https://auth.example.com")
                                .subscriptionToken("1", "news", null, null))
                        .channel())
                .isEqualTo("news");
        assertInvalid(
                withIssuer, generator.withIssuer("https://evil.example.com").connectToken("1", null, null, null));
        assertInvalid(withIssuer, generator.connectToken("1", null, null, null));
    }

    @Test
    void wrongAudienceOnExpiredTokenIsInvalidSoClientsDoNotRefreshForever() {
        JwtTokenVerifier withAudience = JwtTokenVerifier.builder()
                .hmacSecret(TestKeys.SECRET)
                .audience("switchboard")
                .clock(CLOCK)
                .build();
        String token = generator
                .withAudience("other")
                .withClock(Clock.offset(CLOCK, Duration.ofDays(-1)))
                .connectToken("1", Duration.ofMinutes(1), null, null);

        assertInvalid(withAudience, token);
    }

    @Test
    void buildingWithoutAnyKeyFails() {
        assertThatThrownBy(() -> JwtTokenVerifier.builder().build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> JwtTokenVerifier.builder().hmacSecret(""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private void assertInvalid(String token) {
        assertInvalid(verifier, token);
    }

    static void assertInvalid(JwtTokenVerifier verifier, String token) {
        assertThatThrownBy(() -> verifier.verifyConnectToken(token))
                .isInstanceOfSatisfying(
                        TokenException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID));
    }
}
