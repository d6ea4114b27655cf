package dev.switchboard.transport.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.core.auth.TokenException;
import dev.switchboard.core.auth.TokenException.Reason;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class MalformedTokenTest {

    final JwtTokenVerifier verifier = JwtTokenVerifier.builder()
            .hmacSecret(TestKeys.SECRET)
            .publicKeyPem(TestKeys.pem(PublicKeyTokenVerificationTest.RSA.getPublic()))
            .audience("switchboard")
            .build();
    final TokenGenerator generator = TokenGenerator.hmac(TestKeys.SECRET).withAudience("switchboard");

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(
            strings = {
                "abc",
                "a.b.c",
                "a.b",
                "...",
                "!!!.@@@.###",
                "e30.e30.",
                "e30.e30.e30",
                "eyJhbGciOiJIUzI1NiJ9..",
                "eyJhbGciOiJIUzI1NiJ9.!!!.AAAA",
                "bm90IGpzb24.e30.AAAA",
                "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d",
                " ",
                "\u0000\u0001"
            })
    void rejectsMalformedStringsAsInvalid(String token) {
        assertInvalid(token);
    }

    @Test
    void rejectsUnsignedAlgNoneTokens() {
        String payload = b64("{\"sub\":\"admin\",\"aud\":\"switchboard\",\"channel\":\"x\"}");
        for (String header :
                List.of("{\"alg\":\"none\"}", "{\"alg\":\"None\"}", "{\"alg\":\"NONE\",\"typ\":\"JWT\"}")) {
            assertInvalid(b64(header) + "." + payload + ".");
            String valid = generator.connectToken("admin", null, null, null);
            assertInvalid(b64(header) + "." + payload + "." + valid.split("\\.")[2]);
        }
    }

    @Test
    void rejectsUnknownCriticalHeaders() {
        String header = b64("{\"alg\":\"HS256\",\"crit\":[\"exp\"],\"exp\":1}");
        String token = header + "." + b64("{\"sub\":\"1\",\"aud\":\"switchboard\"}");
        String signed = resign(token);

        assertInvalid(signed);
    }

    @Test
    void rejectsUnencodedPayloadOption() {
        assertInvalid(resign(b64("{\"alg\":\"HS256\",\"b64\":false}") + "." + b64("{\"aud\":\"switchboard\"}")));
    }

    @Test
    void rejectsDuplicateClaimsThatLibrariesMightReadDifferently() {
        String signed = resign(
                b64("{\"alg\":\"HS256\"}") + "." + b64("{\"sub\":\"user\",\"sub\":\"admin\",\"aud\":\"switchboard\"}"));

        assertInvalid(signed);
    }

    @Test
    void rejectsNonObjectPayload() {
        assertInvalid(resign(b64("{\"alg\":\"HS256\"}") + "." + b64("[1,2]")));
        assertInvalid(resign(b64("{\"alg\":\"HS256\"}") + "." + b64("not json")));
    }

    @Test
    void rejectsOversizedTokensBeforeParsing() {
        String huge = "a".repeat(JwtTokenVerifier.MAX_TOKEN_LENGTH + 1);

        assertInvalid(huge);
    }

    @Test
    void exceptionMessagesNeverContainTheTokenOrSecret() {
        String valid = generator.connectToken("42", Duration.ofMinutes(1), List.of("c"), "{\"n\":1}".getBytes(UTF_8));
        String[] parts = valid.split("\\.");
        List<String> tokens = new ArrayList<>(List.of(
                valid.substring(0, valid.length() - 4) + "AAAA",
                parts[0] + "." + parts[1],
                parts[0] + ".!!" + parts[1] + "." + parts[2],
                b64("{\"alg\":\"none\"}") + "." + parts[1] + ".",
                TokenGenerator.hmac(TestKeys.SECRET).connectToken("1", null, null, null),
                generator
                        .withClock(Clock.offset(Clock.systemUTC(), Duration.ofDays(-1)))
                        .connectToken("42", Duration.ofMinutes(1), null, null),
                generator.subscriptionToken("42", "chan", null, null),
                "garbage" + TestKeys.SECRET));
        for (String token : tokens) {
            for (boolean subscription : new boolean[] {false, true}) {
                TokenException e = catchThrowableOfType(TokenException.class, () -> {
                    if (subscription) {
                        verifier.verifySubscriptionToken(token);
                    } else {
                        verifier.verifyConnectToken(token);
                    }
                });
                if (e == null) {
                    continue;
                }
                assertThat(e.getMessage()).isNotBlank().doesNotContain(TestKeys.SECRET);
                for (String part : token.split("\\.")) {
                    if (part.length() > 3) {
                        assertThat(e.getMessage()).doesNotContain(part);
                    }
                }
            }
        }
    }

    private void assertInvalid(String token) {
        for (var call : List.<ThrowingVerify>of(verifier::verifyConnectToken, verifier::verifySubscriptionToken)) {
            assertThatThrownBy(() -> call.verify(token))
                    .isInstanceOfSatisfying(
                            TokenException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID));
        }
    }

    /** Signs header.payload as given, so tests can send payloads the generator would never produce. */
    static String resign(String signingInput) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(TestKeys.SECRET.getBytes(UTF_8), "HmacSHA256"));
            return signingInput + "."
                    + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(signingInput.getBytes(UTF_8)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(UTF_8));
    }

    @FunctionalInterface
    interface ThrowingVerify {
        Object verify(String token) throws TokenException;
    }
}
