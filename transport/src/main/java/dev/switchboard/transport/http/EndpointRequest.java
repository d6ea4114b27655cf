package dev.switchboard.transport.http;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One complete HTTP request as an {@link HttpEndpoint} sees it.
 *
 * <pre>{@code
 * HttpEndpoint hello = req -> CompletableFuture.completedFuture(
 *     req.method().equals("GET") && "application/json".equals(req.header("Accept"))
 *         ? HttpAnswer.json(200, "{\"from\":\"" + req.remoteAddress() + "\"}")
 *         : HttpAnswer.text(406, "ask for JSON"));
 * }</pre>
 *
 * @param method the method, upper case ({@code GET}, {@code POST}...)
 * @param path the path, without the query, with the mount prefix ({@code /admin/api/login})
 * @param query the raw query after {@code ?}, {@code ""} when none
 * @param headers header names in lower case to their first value
 * @param body the body, at most {@code http.max_body_size} bytes; empty when none
 * @param tls whether the request came over TLS (then a cookie should say {@code Secure})
 * @param remoteAddress the peer's IP address as text (not a forwarded header: the socket's)
 */
public record EndpointRequest(
        String method,
        String path,
        String query,
        Map<String, String> headers,
        byte[] body,
        boolean tls,
        String remoteAddress) {

    public EndpointRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        query = query == null ? "" : query;
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
        remoteAddress = remoteAddress == null ? "" : remoteAddress;
    }

    /** A header's first value, by name in any case; {@code null} when absent. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }
}
