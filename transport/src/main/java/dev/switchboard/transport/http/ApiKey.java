package dev.switchboard.transport.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The server API key check: {@code X-API-Key: <key>} or {@code Authorization: apikey <key>},
 * compared in constant time. Neither the expected nor the given key is ever logged.
 */
public final class ApiKey {

    /** The JSON body of every 401 the server API sends. */
    static final String UNAUTHORIZED_JSON =
            "{\"error\":{\"code\":401,\"message\":\"unauthorized: missing or wrong API key\"}}";

    private final byte[] key;

    /** @param key the key callers must present, or {@code null}: then every call is refused */
    public ApiKey(String key) {
        this.key = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether the request headers carry the key. */
    public boolean matches(HttpHeaders headers) {
        if (key == null) {
            return false;
        }
        String given = headers.get("X-API-Key");
        if (given == null) {
            String auth = headers.get(HttpHeaderNames.AUTHORIZATION);
            if (auth != null && auth.regionMatches(true, 0, "apikey ", 0, 7)) {
                given = auth.substring(7).trim();
            }
        }
        // isEqual's time does not depend on where the bytes differ, so a caller cannot guess the key byte by byte.
        return given != null && MessageDigest.isEqual(key, given.getBytes(StandardCharsets.UTF_8));
    }
}
