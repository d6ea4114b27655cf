package dev.switchboard.server.admin;

import dev.switchboard.transport.http.EndpointRequest;
import dev.switchboard.transport.http.HttpAnswer;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * The checks every state-changing admin request passes before it runs, beyond the
 * {@code SameSite=Strict} cookie: a JSON body (a cross-site HTML form cannot send one, and a
 * cross-site {@code fetch} with it needs a CORS preflight that is never granted), an
 * {@code Origin} naming this very host when a browser sends one, and no {@code Sec-Fetch-Site}
 * but {@code same-origin} (or {@code none}, a typed URL). The session's CSRF token is
 * {@link AdminEndpoint}'s check, as it needs the session.
 */
final class AdminGuard {

    static final String SESSION_COOKIE = "sb_admin";

    private AdminGuard() {}

    /** The refusal for a POST that fails a check, or empty when it passes them all. */
    static Optional<HttpAnswer> refusePost(EndpointRequest r) {
        String type = r.header("content-type");
        if (type == null || !type.toLowerCase(Locale.ROOT).trim().startsWith("application/json")) {
            return Optional.of(AdminJson.error(415, "Content-Type must be application/json"));
        }
        String site = r.header("sec-fetch-site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            return Optional.of(AdminJson.error(403, "cross-site request refused (Sec-Fetch-Site: " + site + ")"));
        }
        String origin = r.header("origin");
        if (origin != null && !sameOrigin(origin, r.header("host"), r.tls())) {
            return Optional.of(AdminJson.error(403, "cross-origin request refused: Origin must match Host"));
        }
        return Optional.empty();
    }

    /**
     * Whether an {@code Origin} ({@code http://host:port}) is this very page's: the scheme of the
     * connection, and the {@code Host} header's host and port.
     */
    static boolean sameOrigin(String origin, String host, boolean tls) {
        if (host == null || origin.equals("null")) {
            return false;
        }
        try {
            URI o = new URI(origin);
            if (!(tls ? "https" : "http").equalsIgnoreCase(o.getScheme())) {
                return false;
            }
            if (o.getHost() == null || o.getRawPath() != null && !o.getRawPath().isEmpty()) {
                return false;
            }
            // A default port may be written or left out on either side.
            int defaultPort = "https".equals(o.getScheme()) ? 443 : 80;
            URI h = new URI("http://" + host.trim());
            return h.getHost() != null
                    && h.getHost().equalsIgnoreCase(o.getHost())
                    && (h.getPort() >= 0 ? h.getPort() : defaultPort) == (o.getPort() >= 0 ? o.getPort() : defaultPort);
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /** The session cookie's value in a {@code Cookie} header, or {@code null}. */
    static String sessionCookie(EndpointRequest r) {
        String header = r.header("cookie");
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            String p = part.trim();
            if (p.startsWith(SESSION_COOKIE + "=")) {
                return p.substring(SESSION_COOKIE.length() + 1);
            }
        }
        return null;
    }

    /** {@code Set-Cookie} for a session: script-proof, never sent cross-site, only to {@code /admin}. */
    static String setCookie(String value, long maxAgeSeconds, boolean tls) {
        return SESSION_COOKIE + "=" + value + "; Path=" + AdminEndpoint.PREFIX + "; Max-Age=" + maxAgeSeconds
                + "; HttpOnly; SameSite=Strict" + (tls ? "; Secure" : "");
    }
}
