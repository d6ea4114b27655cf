package dev.switchboard.server.admin;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed, stateless admin sessions: the cookie value is {@code <expiry>.<id>.<mac>}, where
 * {@code expiry} is Unix seconds, {@code id} 128 random bits and {@code mac} the HMAC-SHA256 of
 * both under {@code admin.secret}. Nothing is stored on the node, so any node with the same
 * secret accepts the cookie (nodes behind one address), and a restart with a random secret ends
 * every session. The CSRF token of a session is another HMAC of its id, which a page on another
 * site cannot compute or read.
 *
 * <pre>{@code
 * AdminSessions sessions = new AdminSessions(secretBytes, Duration.ofHours(8), Clock.systemUTC());
 * String cookie = sessions.issue();
 * sessions.verify(cookie).map(sessions::csrfToken); // the header the page must echo
 * }</pre>
 */
final class AdminSessions {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final String MAC = "HmacSHA256";
    /** Longest cookie value we look at: ours is about 80 characters. */
    private static final int MAX_TOKEN_LENGTH = 200;

    private final SecretKeySpec key;
    private final Duration ttl;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param secret the signing key ({@code admin.secret} as UTF-8, or random bytes)
     * @param ttl how long a session lasts from login
     */
    AdminSessions(byte[] secret, Duration ttl, Clock clock) {
        this.key = new SecretKeySpec(secret.clone(), MAC);
        this.ttl = ttl;
        this.clock = clock;
    }

    /** A key for a node without {@code admin.secret}: 256 random bits, gone with the process. */
    static byte[] randomSecret() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return b;
    }

    Duration ttl() {
        return ttl;
    }

    /** A new session's cookie value, valid for {@link #ttl()}. */
    String issue() {
        byte[] id = new byte[16];
        random.nextBytes(id);
        long expiry = clock.instant().plus(ttl).getEpochSecond();
        String payload = expiry + "." + B64.encodeToString(id);
        return payload + "." + B64.encodeToString(mac("session." + payload));
    }

    /**
     * The session id of a cookie value that we signed and that has not expired; empty for
     * anything else (tampered, expired, malformed, {@code null}).
     */
    Optional<String> verify(String token) {
        if (token == null || token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        int last = token.lastIndexOf('.');
        int first = token.indexOf('.');
        if (first <= 0 || last <= first) {
            return Optional.empty();
        }
        String payload = token.substring(0, last);
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(token.substring(last + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        // Constant time, and before parsing anything else: a forged value learns nothing.
        if (!MessageDigest.isEqual(given, mac("session." + payload))) {
            return Optional.empty();
        }
        long expiry;
        try {
            expiry = Long.parseLong(token.substring(0, first));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (clock.instant().getEpochSecond() >= expiry) {
            return Optional.empty();
        }
        return Optional.of(token.substring(first + 1, last));
    }

    /** The CSRF token of a session: what {@code X-CSRF-Token} must carry. */
    String csrfToken(String sessionId) {
        return B64.encodeToString(mac("csrf." + sessionId));
    }

    /** Whether {@code given} is the CSRF token of {@code sessionId}, compared in constant time. */
    boolean csrfMatches(String sessionId, String given) {
        return given != null
                && MessageDigest.isEqual(
                        csrfToken(sessionId).getBytes(StandardCharsets.US_ASCII),
                        given.getBytes(StandardCharsets.UTF_8));
    }

    private byte[] mac(String text) {
        try {
            Mac mac = Mac.getInstance(MAC);
            mac.init(key);
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
