package dev.switchboard.transport.auth;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.switchboard.core.auth.ConnectToken;
import dev.switchboard.core.auth.SubscriptionToken;
import dev.switchboard.core.auth.TokenException;
import dev.switchboard.core.auth.TokenException.Reason;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads and checks the claims of a token whose signature has already been verified.
 *
 * <p>Every other check runs before {@code exp}, so {@link Reason#EXPIRED} means "valid apart from
 * its age": clients react to it by fetching a fresh token, which would loop forever if the token
 * were also wrong in some other way.
 */
final class TokenClaims {

    /** Latest {@code exp} accepted: 9999-12-31T23:59:59Z, in milliseconds; later is refused as invalid. */
    static final long MAX_EXPIRY_MILLIS = 253_402_300_799_000L;

    /**
     * Shared by verifier and generator. Duplicate claims are refused because two JWT libraries may
     * pick different copies; exact decimals keep {@code info}/{@code meta} numbers as written.
     */
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private final Clock clock;
    private final long skewMillis;
    private final String audience;
    private final String issuer;

    TokenClaims(Clock clock, Duration clockSkew, String audience, String issuer) {
        this.clock = clock;
        this.skewMillis = clockSkew.toMillis();
        this.audience = audience;
        this.issuer = issuer;
    }

    JsonNode parse(byte[] payload) throws TokenException {
        JsonNode claims;
        try {
            claims = JSON.readTree(payload);
        } catch (IOException e) {
            throw invalid("token payload is not valid JSON"); // parser messages may quote the payload
        }
        if (claims == null || !claims.isObject()) {
            throw invalid("token payload is not a JSON object");
        }
        return claims;
    }

    ConnectToken connectToken(JsonNode claims) throws TokenException {
        // A subscription token is signed with the same key; without this it would open a connection.
        if (present(claims, "channel")) {
            throw invalid("connection token must not contain a channel claim");
        }
        String user = subject(claims);
        byte[] info = info(claims);
        List<String> channels = channels(claims);
        byte[] meta = present(claims, "meta") ? json(claims.get("meta")) : null;
        long expireAt = checkTimes(claims);
        JsonNode key = claims.get("routing_key");
        if (key != null && !key.isNull() && (!key.isTextual() || key.textValue().isEmpty())) {
            throw invalid("routing_key claim must be a non-empty string");
        }
        return new ConnectToken(
                user, expireAt, info, channels, meta, key == null || key.isNull() ? null : key.textValue());
    }

    SubscriptionToken subscriptionToken(JsonNode claims) throws TokenException {
        JsonNode channel = claims.get("channel");
        if (channel == null || !channel.isTextual() || channel.textValue().isEmpty()) {
            throw invalid("subscription token needs a non-empty string channel claim");
        }
        String user = subject(claims);
        byte[] info = info(claims);
        long expireAt = checkTimes(claims);
        return new SubscriptionToken(user, channel.textValue(), expireAt, info);
    }

    /** Checks aud, iss, iat, nbf and finally exp; returns exp in seconds or 0 when absent. */
    private long checkTimes(JsonNode claims) throws TokenException {
        checkAudience(claims.get("aud"));
        if (issuer != null) {
            JsonNode iss = claims.get("iss");
            if (iss == null || !iss.isTextual() || !issuer.equals(iss.textValue())) {
                throw invalid("token issuer does not match");
            }
        }
        long now = clock.millis();
        numericDateMillis(claims, "iat"); // only its type is checked: Centrifugo ignores its value
        Long nbf = numericDateMillis(claims, "nbf");
        if (nbf != null && now + skewMillis < nbf) {
            throw invalid("token is not valid yet");
        }
        Long exp = numericDateMillis(claims, "exp");
        if (exp == null) {
            return 0;
        }
        if (exp > MAX_EXPIRY_MILLIS) {
            // 1e300 would otherwise saturate, overflow later arithmetic and expire the connection at once.
            throw invalid("exp claim is after the year 9999");
        }
        if (now >= saturatedAdd(exp, skewMillis)) {
            throw new TokenException(Reason.EXPIRED, "token expired");
        }
        return Math.floorDiv(exp, 1000);
    }

    private void checkAudience(JsonNode aud) throws TokenException {
        if (audience == null) {
            return;
        }
        if (aud != null && aud.isTextual() && audience.equals(aud.textValue())) {
            return;
        }
        if (aud != null && aud.isArray()) {
            for (JsonNode each : aud) {
                if (each.isTextual() && audience.equals(each.textValue())) {
                    return;
                }
            }
        }
        throw invalid("token audience does not match");
    }

    private static String subject(JsonNode claims) throws TokenException {
        JsonNode sub = claims.get("sub");
        if (sub == null || sub.isNull()) {
            return "";
        }
        if (!sub.isTextual()) {
            throw invalid("sub claim must be a string");
        }
        return sub.textValue();
    }

    /** {@code b64info} wins over {@code info}, as in Centrifugo. */
    private static byte[] info(JsonNode claims) throws TokenException {
        JsonNode b64 = claims.get("b64info");
        if (b64 != null && !b64.isNull() && !(b64.isTextual() && b64.textValue().isEmpty())) {
            if (!b64.isTextual()) {
                throw invalid("b64info claim must be a string");
            }
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(b64.textValue());
            } catch (IllegalArgumentException e) {
                throw invalid("b64info claim is not valid base64");
            }
            // The JSON protocol embeds info verbatim in replies, so non-JSON bytes would corrupt them.
            JsonNode decoded;
            try {
                decoded = JSON.readTree(raw);
            } catch (IOException e) {
                decoded = null;
            }
            if (decoded == null || decoded.isMissingNode()) {
                throw invalid("b64info claim does not decode to JSON");
            }
            return raw;
        }
        return present(claims, "info") ? json(claims.get("info")) : null;
    }

    private static List<String> channels(JsonNode claims) throws TokenException {
        JsonNode node = claims.get("channels");
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw invalid("channels claim must be an array of strings");
        }
        List<String> channels = new ArrayList<>(node.size());
        for (JsonNode each : node) {
            if (!each.isTextual() || each.textValue().isEmpty()) {
                throw invalid("channels claim must be an array of non-empty strings");
            }
            channels.add(each.textValue());
        }
        return channels;
    }

    /** Returns the claim in milliseconds (fractional seconds are allowed by RFC 7519), or null. */
    private static Long numericDateMillis(JsonNode claims, String name) throws TokenException {
        JsonNode node = claims.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isNumber()) {
            throw invalid(name + " claim must be a number");
        }
        BigDecimal millis = node.decimalValue().movePointRight(3);
        if (millis.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) >= 0) {
            return Long.MAX_VALUE;
        }
        if (millis.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) <= 0) {
            return Long.MIN_VALUE;
        }
        return millis.longValue();
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    private static boolean present(JsonNode claims, String name) {
        JsonNode node = claims.get(name);
        return node != null && !node.isNull();
    }

    private static byte[] json(JsonNode node) throws TokenException {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw invalid("claim cannot be re-encoded as JSON");
        }
    }

    static TokenException invalid(String message) {
        return new TokenException(Reason.INVALID, message);
    }
}
