package dev.switchboard.transport.auth;

import static dev.switchboard.transport.auth.HmacTokenVerificationTest.assertInvalid;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.auth.ConnectToken;
import dev.switchboard.core.auth.SubscriptionToken;
import dev.switchboard.core.auth.TokenException;
import dev.switchboard.core.auth.TokenException.Reason;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenClaimsTest {

    final TokenGenerator generator = TokenGenerator.hmac(TestKeys.SECRET);
    final JwtTokenVerifier verifier = JwtTokenVerifier.hmac(TestKeys.SECRET);

    @Test
    void parsesInfoChannelsAndMetaOfConnectionToken() throws Exception {
        ConnectToken claims = connect("{\"sub\":\"42\",\"exp\":4102444800,"
                + "\"info\":{\"name\":\"Ann\",\"tags\":[1,2.50,12345678901234567890]},"
                + "\"channels\":[\"news\",\"chat:lobby\"],\"meta\":{\"plan\":\"pro\"}}");

        assertThat(claims.userId()).isEqualTo("42");
        assertThat(claims.expireAt()).isEqualTo(4102444800L);
        assertThat(new String(claims.info(), UTF_8))
                .isEqualTo("{\"name\":\"Ann\",\"tags\":[1,2.50,12345678901234567890]}");
        assertThat(claims.channels()).containsExactly("news", "chat:lobby");
        assertThat(new String(claims.meta(), UTF_8)).isEqualTo("{\"plan\":\"pro\"}");
    }

    @Test
    void leavesOptionalClaimsEmptyWhenAbsent() throws Exception {
        ConnectToken claims = connect("{\"sub\":\"42\"}");

        assertThat(claims.info()).isNull();
        assertThat(claims.meta()).isNull();
        assertThat(claims.channels()).isEmpty();
        assertThat(claims.expireAt()).isZero();
    }

    @Test
    void acceptsAnyJsonValueAsInfo() throws Exception {
        assertThat(new String(connect("{\"info\":\"text\"}").info(), UTF_8)).isEqualTo("\"text\"");
        assertThat(new String(connect("{\"info\":[true,null]}").info(), UTF_8)).isEqualTo("[true,null]");
        assertThat(connect("{\"info\":null}").info()).isNull();
    }

    @Test
    void missingOrEmptySubMeansAnonymousUser() throws Exception {
        assertThat(connect("{}").userId()).isEmpty();
        assertThat(connect("{\"sub\":\"\"}").userId()).isEmpty();
    }

    @Test
    void decodesB64InfoWhichWinsOverInfo() throws Exception {
        String raw = "{\"x\": 1}";
        String b64 = Base64.getEncoder().encodeToString(raw.getBytes(UTF_8));

        assertThat(new String(
                        connect("{\"b64info\":\"" + b64 + "\",\"info\":{\"y\":2}}")
                                .info(),
                        UTF_8))
                .isEqualTo(raw);
        assertThat(new String(
                        subscription("{\"channel\":\"c\",\"b64info\":\"" + b64 + "\"}")
                                .info(),
                        UTF_8))
                .isEqualTo(raw);
        assertThat(new String(connect("{\"b64info\":\"\",\"info\":{\"y\":2}}").info(), UTF_8))
                .isEqualTo("{\"y\":2}");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"sub\":42}",
                "{\"sub\":[\"a\"]}",
                "{\"exp\":\"soon\"}",
                "{\"iat\":\"today\"}",
                "{\"nbf\":true}",
                "{\"channels\":\"news\"}",
                "{\"channels\":[1]}",
                "{\"channels\":[\"\"]}",
                "{\"b64info\":\"%%%\"}",
                "{\"b64info\":\"bm90IGpzb24=\"}",
                "{\"b64info\":5}"
            })
    void rejectsClaimsOfTheWrongShape(String claims) {
        assertInvalid(verifier, generator.signClaims(claims));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e300", "253402300800", "9223372036854775807"})
    void refusesAnExpiryBeyondTheYear9999AsInvalidNotAsAnImmediateExpiry(String exp) {
        assertInvalid(verifier, generator.signClaims("{\"sub\":\"u1\",\"exp\":" + exp + "}"));
    }

    @Test
    void acceptsTheLastSecondOfTheYear9999() throws Exception {
        assertThat(connect("{\"exp\":253402300799}").expireAt()).isEqualTo(253402300799L);
    }

    @Test
    void acceptsFractionalNumericDates() throws Exception {
        assertThat(connect("{\"exp\":4102444800.75,\"iat\":1700000000.5}").expireAt())
                .isEqualTo(4102444800L);
    }

    @Test
    void parsesSubscriptionToken() throws Exception {
        SubscriptionToken claims = subscription(
                "{\"sub\":\"42\",\"channel\":\"$private\",\"exp\":4102444800,\"info\":{\"role\":\"mod\"}}");

        assertThat(claims.userId()).isEqualTo("42");
        assertThat(claims.channel()).isEqualTo("$private");
        assertThat(claims.expireAt()).isEqualTo(4102444800L);
        assertThat(new String(claims.info(), UTF_8)).isEqualTo("{\"role\":\"mod\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"sub\":\"42\"}", "{\"channel\":\"\"}", "{\"channel\":null}", "{\"channel\":[\"a\"]}"})
    void subscriptionTokenRequiresAChannel(String claims) {
        String token = generator.signClaims(claims);

        assertThatThrownBy(() -> verifier.verifySubscriptionToken(token))
                .isInstanceOfSatisfying(
                        TokenException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID));
    }

    @Test
    void subscriptionTokenCannotBeUsedToConnect() {
        assertInvalid(verifier, generator.subscriptionToken("42", "news", null, null));
    }

    private ConnectToken connect(String claims) throws TokenException {
        return verifier.verifyConnectToken(generator.signClaims(claims));
    }

    private SubscriptionToken subscription(String claims) throws TokenException {
        return verifier.verifySubscriptionToken(generator.signClaims(claims));
    }
}
