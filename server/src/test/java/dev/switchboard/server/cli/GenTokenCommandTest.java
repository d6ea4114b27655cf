package dev.switchboard.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.auth.ConnectToken;
import dev.switchboard.core.auth.TokenException;
import dev.switchboard.server.config.DevSecrets;
import dev.switchboard.transport.auth.JwtTokenVerifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenTokenCommandTest {

    private static final String SECRET = "a-test-secret-that-is-long-enough-for-hs256!";

    @TempDir
    Path work;

    private static String tokenFrom(CliRunner cli) {
        String out = cli.out();
        assertThat(out.lines()).as("stdout holds the token and nothing else").hasSize(1);
        return out.trim();
    }

    @Test
    void printsOnlyATokenThatVerifiesWithTheEnvironmentSecret() throws TokenException {
        CliRunner cli = new CliRunner(work, Map.of("SWITCHBOARD_TOKEN_HMAC_SECRET", SECRET));
        assertThat(cli.run("gentoken", "--user", "alice", "--channels", "news,chat:lobby"))
                .isZero();
        ConnectToken token = JwtTokenVerifier.hmac(SECRET).verifyConnectToken(tokenFrom(cli));
        assertThat(token.userId()).isEqualTo("alice");
        assertThat(token.channels()).containsExactly("news", "chat:lobby");
        long inAnHour = Instant.now().plusSeconds(3600).getEpochSecond();
        assertThat(token.expireAt()).isBetween(inAnHour - 60, inAnHour + 5);
    }

    @Test
    void aRoutingKeyGoesIntoTheConnectionTokenAndChannelMintsASubscriptionToken() throws TokenException {
        CliRunner keyed = new CliRunner(work, Map.of("SWITCHBOARD_TOKEN_HMAC_SECRET", SECRET));
        assertThat(keyed.run("gentoken", "--user", "agent-7", "--routing-key", "proj-1:staging"))
                .isEqualTo(Main.EXIT_OK);
        assertThat(JwtTokenVerifier.hmac(SECRET)
                        .verifyConnectToken(tokenFrom(keyed))
                        .routingKey())
                .isEqualTo("proj-1:staging");

        CliRunner sub = new CliRunner(work, Map.of("SWITCHBOARD_TOKEN_HMAC_SECRET", SECRET));
        assertThat(sub.run("gentoken", "--user", "alice", "--channel", "jobs:42", "--info", "{\"role\":\"owner\"}"))
                .isEqualTo(Main.EXIT_OK);
        var token = JwtTokenVerifier.hmac(SECRET).verifySubscriptionToken(tokenFrom(sub));
        assertThat(token.channel()).isEqualTo("jobs:42");
        assertThat(token.userId()).isEqualTo("alice");

        CliRunner both = new CliRunner(work, Map.of("SWITCHBOARD_TOKEN_HMAC_SECRET", SECRET));
        assertThat(both.run("gentoken", "--user", "alice", "--channel", "jobs:42", "--routing-key", "k"))
                .isEqualTo(Main.EXIT_USAGE);
        assertThat(both.err()).contains("--channel mints a subscription token");
    }

    @Test
    void ttlAndInfoAreApplied() throws TokenException {
        CliRunner cli = new CliRunner(work, Map.of("SWITCHBOARD_TOKEN_HMAC_SECRET", SECRET));
        assertThat(cli.run("gentoken", "-u", "bob", "--ttl", "5m", "--info", "{\"name\":\"Bob\"}"))
                .isZero();
        ConnectToken token = JwtTokenVerifier.hmac(SECRET).verifyConnectToken(tokenFrom(cli));
        assertThat(token.expireAt())
                .isLessThanOrEqualTo(Instant.now().plusSeconds(301).getEpochSecond());
        assertThat(new String(token.info(), StandardCharsets.UTF_8)).isEqualTo("{\"name\":\"Bob\"}");

        CliRunner forever = new CliRunner(work, Map.of("SWITCHBOARD_TOKEN_HMAC_SECRET", SECRET));
        assertThat(forever.run("gentoken", "-u", "bob", "--ttl", "0")).isZero();
        assertThat(JwtTokenVerifier.hmac(SECRET)
                        .verifyConnectToken(tokenFrom(forever))
                        .expireAt())
                .isZero();
    }

    @Test
    void usesTheConfigFileSecretAudienceAndIssuer() throws Exception {
        Files.writeString(
                work.resolve("sb.yaml"), "token: {hmac_secret: '" + SECRET + "', audience: sb, issuer: me}\n");
        CliRunner cli = new CliRunner(work);
        assertThat(cli.run("gentoken", "--user", "carol", "--config", "sb.yaml"))
                .isZero();
        String jwt = tokenFrom(cli);
        JwtTokenVerifier strict = JwtTokenVerifier.builder()
                .hmacSecret(SECRET)
                .audience("sb")
                .issuer("me")
                .build();
        assertThat(strict.verifyConnectToken(jwt).userId()).isEqualTo("carol");
        assertThatThrownBy(() -> JwtTokenVerifier.hmac("another-secret-another-secret-another!")
                        .verifyConnectToken(jwt))
                .isInstanceOf(TokenException.class);
    }

    @Test
    void withoutConfiguredSecretUsesTheDevSecretsThatServeCreated() throws TokenException {
        DevSecrets dev = DevSecrets.loadOrCreate(work);
        CliRunner cli = new CliRunner(work);
        assertThat(cli.run("gentoken", "--user", "dave")).isZero();
        assertThat(JwtTokenVerifier.hmac(dev.hmacSecret())
                        .verifyConnectToken(tokenFrom(cli))
                        .userId())
                .isEqualTo("dave");
    }

    @Test
    void withNoSecretAnywhereExplainsWhatToDoAndCreatesNothing() {
        CliRunner cli = new CliRunner(work);
        assertThat(cli.run("gentoken", "--user", "erin")).isEqualTo(Main.EXIT_FAILURE);
        assertThat(cli.out()).isEmpty();
        assertThat(cli.err())
                .contains("token.hmac_secret")
                .contains("SWITCHBOARD_TOKEN_HMAC_SECRET")
                .contains("serve");
        assertThat(work.resolve(".switchboard")).doesNotExist();
    }

    @Test
    void configWithOnlyAPublicKeyCannotMintTokens() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(256);
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder()
                        .encodeToString(gen.generateKeyPair().getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        CliRunner cli = new CliRunner(work, Map.of("SWITCHBOARD_TOKEN_ECDSA_PUBLIC_KEY", pem));
        assertThat(cli.run("gentoken", "--user", "x")).isEqualTo(Main.EXIT_FAILURE);
        assertThat(cli.err()).contains("token.hmac_secret is not set").contains("private key");
        assertThat(cli.out()).isEmpty();
    }

    @Test
    void apiKeyWithoutTokenSecretDoesNotFallBackToDevSecrets() {
        DevSecrets.loadOrCreate(work);
        CliRunner cli = new CliRunner(work, Map.of("SWITCHBOARD_API_KEY", "k"));
        // serve would not use dev secrets with an api_key configured, so gentoken must not either.
        assertThat(cli.run("gentoken", "--user", "x")).isEqualTo(Main.EXIT_FAILURE);
        assertThat(cli.err()).contains("token.hmac_secret is not set");
    }

    @Test
    void badArgumentsAreUsageErrors() {
        Map<String, String> env = Map.of("SWITCHBOARD_TOKEN_HMAC_SECRET", SECRET);
        assertThat(new CliRunner(work, env).run("gentoken")).isEqualTo(Main.EXIT_USAGE);
        CliRunner badTtl = new CliRunner(work, env);
        assertThat(badTtl.run("gentoken", "--user", "a", "--ttl", "soon")).isEqualTo(Main.EXIT_USAGE);
        assertThat(badTtl.err()).contains("--ttl must be a duration");
        assertThat(new CliRunner(work, env).run("gentoken", "--user", "a", "--info", "{not json"))
                .isEqualTo(Main.EXIT_USAGE);
    }

    @Test
    void badConfigIsReportedWithTheKey() {
        CliRunner cli = new CliRunner(work, Map.of("SWITCHBOARD_PORT", "-1"));
        assertThat(cli.run("gentoken", "--user", "a")).isEqualTo(Main.EXIT_FAILURE);
        assertThat(cli.err()).contains("port (from SWITCHBOARD_PORT)");
    }
}
