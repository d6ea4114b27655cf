package dev.switchboard.transport.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What an {@link HttpEndpoint} answers: status, content type, extra headers (such as
 * {@code Set-Cookie} or {@code Content-Security-Policy}) and the complete body. The node sets
 * {@code Content-Length} and {@code Connection} itself.
 *
 * <pre>{@code
 * HttpAnswer.json(401, "{\"error\":\"log in first\"}").withHeader("Cache-Control", "no-store");
 * }</pre>
 *
 * @param status the HTTP status code (100-599)
 * @param contentType the {@code Content-Type}
 * @param headers further headers, one value each, in order
 * @param body the body; keep it small, it is held in memory until written
 */
public record HttpAnswer(int status, String contentType, Map<String, String> headers, byte[] body) {

    public HttpAnswer {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be 100-599, got " + status);
        }
        Objects.requireNonNull(contentType, "contentType");
        headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        Objects.requireNonNull(body, "body");
    }

    /** A JSON answer ({@code application/json}). */
    public static HttpAnswer json(int status, String json) {
        return new HttpAnswer(status, "application/json", Map.of(), json.getBytes(StandardCharsets.UTF_8));
    }

    /** A plain-text answer ({@code text/plain; charset=utf-8}). */
    public static HttpAnswer text(int status, String text) {
        return new HttpAnswer(status, "text/plain; charset=utf-8", Map.of(), text.getBytes(StandardCharsets.UTF_8));
    }

    /** This answer with one more header (replacing one of the same name). */
    public HttpAnswer withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new HttpAnswer(status, contentType, h, body);
    }
}
