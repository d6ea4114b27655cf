package dev.switchboard.core.auth;

/**
 * Verifies the tokens clients present: connection tokens on {@code connect} and {@code refresh},
 * subscription tokens on {@code subscribe} and {@code sub_refresh}.
 *
 * <p>The node calls this on whatever thread handles the command, so implementations must be
 * thread-safe and must not block on I/O (keys are loaded up front).
 *
 * <pre>{@code
 * TokenVerifier verifier = JwtTokenVerifier.hmac("secret");
 * ConnectToken token = verifier.verifyConnectToken(jwt);
 * }</pre>
 */
public interface TokenVerifier {

    /**
     * Verifies a connection token.
     *
     * @param token the compact token string, never logged
     * @return the verified claims
     * @throws TokenException {@link TokenException.Reason#EXPIRED} when only the expiry failed,
     *     {@link TokenException.Reason#INVALID} for anything else
     */
    ConnectToken verifyConnectToken(String token) throws TokenException;

    /**
     * Verifies a subscription token.
     *
     * @param token the compact token string, never logged
     * @return the verified claims
     * @throws TokenException as for {@link #verifyConnectToken(String)}
     */
    SubscriptionToken verifySubscriptionToken(String token) throws TokenException;

    /** A verifier that accepts nothing: for nodes configured without any token key. */
    TokenVerifier REJECT_ALL = new TokenVerifier() {
        @Override
        public ConnectToken verifyConnectToken(String token) throws TokenException {
            throw new TokenException(TokenException.Reason.INVALID, "no token verification key configured");
        }

        @Override
        public SubscriptionToken verifySubscriptionToken(String token) throws TokenException {
            throw new TokenException(TokenException.Reason.INVALID, "no token verification key configured");
        }
    };
}
