package dev.switchboard.core.node;

import dev.switchboard.core.auth.ConnectToken;
import dev.switchboard.core.auth.SubscriptionToken;
import dev.switchboard.core.auth.TokenException;
import dev.switchboard.core.auth.TokenVerifier;
import java.time.Clock;
import java.util.List;

/**
 * A verifier for session tests that reads tokens of the form {@code user:<id>[:exp=<unix>]},
 * {@code user:<id>:meta} (a {@code meta} claim {@code {"from":"token"}}) and
 * {@code sub:<user>:<channel>}; anything else is invalid. JWT itself is tested in the server
 * module.
 */
final class TestTokens implements TokenVerifier {

    private final Clock clock;

    TestTokens() {
        this(Clock.systemUTC());
    }

    /** A verifier that judges expiry by the clock, as the node it serves does. */
    TestTokens(Clock clock) {
        this.clock = clock;
    }

    @Override
    public ConnectToken verifyConnectToken(String token) throws TokenException {
        String[] p = token.split(":");
        if (p.length < 2 || !p[0].equals("user")) {
            throw new TokenException(TokenException.Reason.INVALID, "bad test token");
        }
        long exp = 0;
        if (p.length == 3 && p[2].startsWith("exp=")) {
            exp = Long.parseLong(p[2].substring(4));
            if (exp < clock.millis() / 1000) {
                throw new TokenException(TokenException.Reason.EXPIRED, "expired");
            }
        }
        byte[] meta = p.length == 3 && p[2].equals("meta")
                ? "{\"from\":\"token\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)
                : null;
        return new ConnectToken(p[1], exp, null, List.of(), meta);
    }

    @Override
    public SubscriptionToken verifySubscriptionToken(String token) throws TokenException {
        String[] p = token.split(":", 3);
        if (p.length != 3 || !p[0].equals("sub")) {
            throw new TokenException(TokenException.Reason.INVALID, "bad test token");
        }
        return new SubscriptionToken(p[1], p[2], 0, null);
    }
}
