package dev.switchboard.server.admin;

import dev.switchboard.transport.api.ApiResponse;
import dev.switchboard.transport.http.EndpointRequest;
import dev.switchboard.transport.http.HttpAnswer;
import dev.switchboard.transport.http.HttpEndpoint;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin page's endpoint under {@code /admin}: the page itself (HTML, JS and CSS from the jar,
 * served to anyone: it shows a login form) and its JSON API, which needs a session:
 * <ul>
 *   <li>{@code POST /admin/api/login} {@code {"password": "..."}}: sets the session cookie;</li>
 *   <li>{@code POST /admin/api/logout}: clears it;</li>
 *   <li>{@code GET /admin/api/session}: the session's CSRF token, or 401;</li>
 *   <li>{@code GET /admin/api/stats}: this node's totals for the live charts ({@link AdminStats});</li>
 *   <li>{@code POST /admin/api/call/<method>}: one server API method, run in-process by the same
 *       executor as {@code /api/<method>}, restricted to {@link #METHODS}.</li>
 * </ul>
 * Every POST passes {@link AdminGuard}, and all but login carry {@code X-CSRF-Token}.
 */
final class AdminEndpoint implements HttpEndpoint {

    private static final Logger log = LoggerFactory.getLogger(AdminEndpoint.class);

    static final String PREFIX = "/admin";
    static final String API = PREFIX + "/api/";
    /**
     * The server API methods the page uses, the only ones it may call: reading the cluster and
     * the few actions an operator takes by hand. History removal, subscribe and the like stay
     * with the backend's API key.
     */
    static final Set<String> METHODS =
            Set.of("info", "channels", "connections", "connection", "publish", "invoke", "disconnect");
    /**
     * Largest login body read: a password in JSON. Anyone may post a login, so nothing bigger is
     * parsed (the node has bounded the body by {@code http.max_body_size} before this).
     */
    static final int MAX_LOGIN_BODY = 1024;
    /** How long a wrong password waits for its 401: guessing gets slow even below the limiter. */
    static final Duration FAILED_LOGIN_DELAY = Duration.ofMillis(400);

    private static final String CSP =
            "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private final byte[] passwordDigest;
    private final AdminSessions sessions;
    private final LoginLimiter limiter;
    private final BiFunction<String, byte[], CompletableFuture<ApiResponse>> api;
    private final Supplier<String> stats;
    private final AdminAssets assets;
    private final Executor failedLoginDelay;

    /**
     * @param password {@code admin.password}
     * @param api runs a server API method with a JSON body
     * @param stats the JSON {@code /admin/api/stats} answers
     */
    AdminEndpoint(
            String password,
            AdminSessions sessions,
            LoginLimiter limiter,
            BiFunction<String, byte[], CompletableFuture<ApiResponse>> api,
            Supplier<String> stats) {
        this.passwordDigest = sha256(password.getBytes(StandardCharsets.UTF_8));
        this.sessions = sessions;
        this.limiter = limiter;
        this.api = api;
        this.stats = stats;
        this.assets = AdminAssets.load();
        this.failedLoginDelay = CompletableFuture.delayedExecutor(FAILED_LOGIN_DELAY.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletableFuture<HttpAnswer> handle(EndpointRequest r) {
        if (!r.path().startsWith(API)) {
            return done(page(r));
        }
        String action = r.path().substring(API.length());
        boolean post = r.method().equals("POST");
        if (!post && !r.method().equals("GET")) {
            return done(AdminJson.error(405, "use GET or POST"));
        }
        if (post) {
            Optional<HttpAnswer> refused = AdminGuard.refusePost(r);
            if (refused.isPresent()) {
                return done(refused.get());
            }
            if (action.equals("login")) {
                return login(r);
            }
            if (action.equals("logout")) {
                return done(noStore(
                        HttpAnswer.json(200, "{}").withHeader("Set-Cookie", AdminGuard.setCookie("", 0, r.tls()))));
            }
        }
        Optional<String> session = sessions.verify(AdminGuard.sessionCookie(r));
        if (session.isEmpty()) {
            return done(AdminJson.error(401, "log in first"));
        }
        if (!post) {
            return switch (action) {
                case "session" ->
                    done(HttpAnswer.json(200, "{\"csrf\":" + AdminJson.quote(sessions.csrfToken(session.get())) + "}"));
                case "stats" -> done(HttpAnswer.json(200, stats.get()));
                default -> done(AdminJson.error(action.startsWith("call/") ? 405 : 404, "not found"));
            };
        }
        if (!sessions.csrfMatches(session.get(), r.header("x-csrf-token"))) {
            return done(AdminJson.error(403, "missing or wrong X-CSRF-Token: reload the page"));
        }
        if (!action.startsWith("call/")) {
            return done(AdminJson.error(404, "not found"));
        }
        String method = action.substring("call/".length());
        if (!METHODS.contains(method)) {
            return done(AdminJson.error(404, "method not available on the admin page: " + method));
        }
        // An audit line per action; the body stays out of the log (it may carry user data).
        log.info("admin: {} from {}", method, r.remoteAddress());
        return api.apply(method, r.body())
                .thenApply(res -> noStore(new HttpAnswer(res.httpStatus(), "application/json", Map.of(), res.json())));
    }

    private CompletableFuture<HttpAnswer> login(EndpointRequest r) {
        String address = r.remoteAddress();
        if (!limiter.mayTry(address)) {
            log.warn("admin: login from {} refused: too many failed attempts", address);
            return done(AdminJson.error(429, "too many failed logins; try again later")
                    .withHeader("Retry-After", Long.toString(limiter.retryAfterSeconds(address))));
        }
        if (r.body().length > MAX_LOGIN_BODY) {
            return done(AdminJson.error(413, "a login body is at most " + MAX_LOGIN_BODY + " bytes"));
        }
        String given = AdminJson.textField(r.body(), "password");
        if (given == null) {
            return done(AdminJson.error(400, "expected {\"password\": \"...\"}"));
        }
        // Digests first: equal lengths, so the comparison's time says nothing about the password.
        if (!MessageDigest.isEqual(passwordDigest, sha256(given.getBytes(StandardCharsets.UTF_8)))) {
            limiter.failed(address);
            log.warn("admin: failed login from {}", address);
            return CompletableFuture.supplyAsync(
                    () -> noStore(AdminJson.error(401, "wrong password")), failedLoginDelay);
        }
        log.info("admin: login from {}", address);
        String cookie = sessions.issue();
        String csrf = sessions.csrfToken(sessions.verify(cookie).orElseThrow());
        return done(noStore(HttpAnswer.json(200, "{\"csrf\":" + AdminJson.quote(csrf) + "}")
                .withHeader(
                        "Set-Cookie",
                        AdminGuard.setCookie(cookie, sessions.ttl().toSeconds(), r.tls()))));
    }

    /** The page's files; {@code /admin} itself redirects to {@code /admin/}, so relative links resolve under it. */
    private HttpAnswer page(EndpointRequest r) {
        if (!r.method().equals("GET") && !r.method().equals("HEAD")) {
            return AdminJson.error(405, "use GET");
        }
        if (r.path().equals(PREFIX)) {
            return secured(new HttpAnswer(302, "text/plain", Map.of("Location", PREFIX + "/"), new byte[0]));
        }
        return assets.get(r.path().substring(PREFIX.length()))
                .map(a -> secured(a).withHeader("Cache-Control", "no-cache"))
                .orElseGet(() -> noStore(AdminJson.error(404, "not found")));
    }

    /** An API answer: never cached (it may hold a CSRF token or cluster data). */
    private static HttpAnswer noStore(HttpAnswer a) {
        return secured(a).withHeader("Cache-Control", "no-store");
    }

    /** Headers on every answer: no framing, no inline script, no sniffing, no referrer. */
    private static HttpAnswer secured(HttpAnswer a) {
        return a.withHeader("Content-Security-Policy", CSP)
                .withHeader("X-Frame-Options", "DENY")
                .withHeader("X-Content-Type-Options", "nosniff")
                .withHeader("Referrer-Policy", "no-referrer");
    }

    private static CompletableFuture<HttpAnswer> done(HttpAnswer a) {
        return CompletableFuture.completedFuture(a.headers().containsKey("Cache-Control") ? a : noStore(a));
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
