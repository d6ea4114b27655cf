package dev.switchboard.transport.websocket;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether a WebSocket upgrade may proceed given its {@code Origin} header: the guard
 * against cross-site WebSocket hijacking, where a page on another site opens a connection with
 * the visitor's cookies. Browsers always send {@code Origin} on a WebSocket upgrade and scripts
 * cannot change it; other clients (servers, apps, SDKs on Node) usually send none and pass.
 *
 * <ul>
 *   <li><b>No patterns</b> (the default): the same-origin rule. The origin's host and port must
 *       equal those of the {@code Host} header, case-insensitively, a missing port being the
 *       scheme's default ({@code http://a.com} matches {@code Host: a.com} and {@code a.com:80},
 *       {@code https://a.com} matches {@code a.com} and {@code a.com:443}). The scheme itself is
 *       not compared: a TLS-terminating proxy in front makes the two differ legitimately.</li>
 *   <li><b>Patterns</b>, as Centrifugo's {@code allowed_origins}: the origin must match one of
 *       them, and the same-origin rule no longer applies (list your own site too). A pattern is a
 *       whole origin, {@code https://example.com}, where {@code *} stands for any run of
 *       characters: {@code https://*.example.com}. Compared in ASCII lower case, default ports
 *       dropped on both sides ({@code https://a.com:443} is {@code https://a.com}).</li>
 *   <li>{@code *} alone allows every origin, {@code null} and malformed ones included.</li>
 * </ul>
 *
 * <p>{@code Origin: null}, which browsers send from sandboxed frames and {@code file:} pages,
 * matches nothing but an explicit {@code null} pattern (or {@code *}): it is some browser page,
 * and nothing says whose. A malformed origin (not {@code scheme://host[:port]}, or with a path,
 * user or non-ASCII character) is refused unless {@code *} is listed. A missing or empty
 * {@code Origin} always passes.
 *
 * <pre>{@code
 * OriginCheck check = OriginCheck.of(List.of("https://app.example.com", "https://*.example.com"));
 * check.allows("https://eu.example.com", "ws.example.com");  // true
 * check.allows("https://evil.test", "ws.example.com");       // false
 * check.allows(null, "ws.example.com");                      // true: not a browser
 * OriginCheck.SAME_ORIGIN.allows("http://a.com", "A.com:80"); // true
 * }</pre>
 *
 * <p>Immutable and thread-safe; JDK only, so the config can validate patterns with it.
 */
public final class OriginCheck {

    /** The pattern that allows every origin. */
    public static final String ANY = "*";
    /** The origin browsers send from opaque origins (sandboxed frames, {@code file:} pages). */
    public static final String NULL_ORIGIN = "null";
    /** Longest pattern accepted; no real origin comes close. */
    public static final int MAX_PATTERN_LENGTH = 512;
    /**
     * Longer {@code Origin} values are malformed. A real origin is a scheme and a host name (at
     * most 253 characters); the cap keeps the pattern match, linear in pattern times origin,
     * trivially cheap whatever a peer sends.
     */
    static final int MAX_ORIGIN_LENGTH = 1024;

    /** The default: no patterns, the origin must match the {@code Host} header. */
    public static final OriginCheck SAME_ORIGIN = new OriginCheck(List.of(), false);

    private final List<String> patterns;
    private final boolean any;

    private OriginCheck(List<String> patterns, boolean any) {
        this.patterns = patterns;
        this.any = any;
    }

    /**
     * A check with these allowed origin patterns; an empty list is {@link #SAME_ORIGIN}.
     *
     * @throws IllegalArgumentException naming the first bad pattern and what is wrong with it
     */
    public static OriginCheck of(List<String> allowedOrigins) {
        if (allowedOrigins.isEmpty()) {
            return SAME_ORIGIN;
        }
        List<String> normalized = new ArrayList<>(allowedOrigins.size());
        boolean any = false;
        for (int i = 0; i < allowedOrigins.size(); i++) {
            String p = allowedOrigins.get(i);
            String problem = problem(p);
            if (problem != null) {
                throw new IllegalArgumentException("allowed origin [" + i + "] " + problem);
            }
            any |= p.trim().equals(ANY);
            normalized.add(normalizePattern(p.trim()));
        }
        return new OriginCheck(List.copyOf(normalized), any);
    }

    /**
     * What is wrong with {@code pattern} as an allowed origin, or {@code null} when nothing is.
     * Patterns that could never match a browser's {@code Origin} are refused here rather than
     * silently matching nothing: a path ({@code https://a.com/}), a missing scheme
     * ({@code a.com}), Centrifugo's other glob characters ({@code ? { }}).
     */
    public static String problem(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            return "must not be empty";
        }
        String p = pattern.trim();
        if (p.length() > MAX_PATTERN_LENGTH) {
            return "is longer than " + MAX_PATTERN_LENGTH + " characters";
        }
        if (!visibleAscii(p)) {
            return "must be visible ASCII without spaces (international domain names in their xn-- form)";
        }
        if (p.equals(ANY) || p.equalsIgnoreCase(NULL_ORIGIN)) {
            return null;
        }
        if (p.indexOf('?') >= 0 || p.indexOf('{') >= 0 || p.indexOf('}') >= 0) {
            return "\"" + p + "\": only * is a wildcard (? { } are not)";
        }
        int sep = p.indexOf("://");
        String authority = sep >= 0 ? p.substring(sep + 3) : p;
        if (authority.indexOf('/') >= 0 || authority.indexOf('#') >= 0 || authority.indexOf('@') >= 0) {
            return "\"" + p + "\": an origin has no path or user; write scheme://host[:port], e.g. https://example.com";
        }
        // With a wildcard, the scheme may be in it (*.example.com, as Centrifugo allows); without
        // one, the pattern must be a whole origin, or it could never match.
        boolean wildcard = p.indexOf('*') >= 0;
        boolean origin = wildcard ? sep > 0 || p.charAt(0) == '*' : parseOrigin(asciiLower(p)) != null;
        if (!origin) {
            return "\"" + p + "\" is not an origin; write scheme://host[:port], e.g. https://example.com,"
                    + " with * for any run of characters";
        }
        return null;
    }

    /** True when {@code *} is listed: no origin is refused. */
    public boolean allowsAll() {
        return any;
    }

    /** True when no pattern is set and the same-origin rule applies. */
    public boolean isSameOriginRule() {
        return patterns.isEmpty();
    }

    /** The patterns, normalized (lower case, default ports dropped); empty for the same-origin rule. */
    public List<String> patterns() {
        return patterns;
    }

    /**
     * Whether a request with these headers may proceed: its one {@code Origin} (or the
     * {@code Sec-WebSocket-Origin} of WebSocket drafts 7 and 8) is allowed for its one
     * {@code Host}. A browser sends one of each; with several we could not tell which one it meant.
     */
    public boolean allowsRequest(io.netty.handler.codec.http.HttpHeaders headers) {
        List<String> origin = headers.getAll(io.netty.handler.codec.http.HttpHeaderNames.ORIGIN);
        if (origin.isEmpty()) {
            origin = headers.getAll(io.netty.handler.codec.http.HttpHeaderNames.SEC_WEBSOCKET_ORIGIN);
        }
        List<String> host = headers.getAll(io.netty.handler.codec.http.HttpHeaderNames.HOST);
        return any
                || origin.size() <= 1
                        && allows(origin.isEmpty() ? null : origin.get(0), host.size() == 1 ? host.get(0) : null);
    }

    /**
     * Whether an upgrade with this {@code Origin} may proceed.
     *
     * @param origin the {@code Origin} header, or {@code null} when there is none
     * @param host the {@code Host} header, or {@code null} when there is none (or several)
     */
    public boolean allows(String origin, String host) {
        if (origin == null || origin.isEmpty() || any) {
            return true;
        }
        if (origin.length() > MAX_ORIGIN_LENGTH || !visibleAscii(origin)) {
            return false;
        }
        String lower = asciiLower(origin);
        if (lower.equals(NULL_ORIGIN)) {
            return patterns.contains(NULL_ORIGIN);
        }
        Origin o = parseOrigin(lower);
        if (o == null) {
            return false;
        }
        if (patterns.isEmpty()) {
            return sameAsHost(o, host);
        }
        String serialized = o.serialize();
        for (String p : patterns) {
            if (glob(p, serialized)) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameAsHost(Origin o, String host) {
        if (host == null || host.length() > MAX_ORIGIN_LENGTH || !visibleAscii(host)) {
            return false;
        }
        Origin h = parseAuthority("", asciiLower(host));
        if (h == null || h.host.isEmpty() || !h.host.equals(o.host)) {
            return false;
        }
        // Host without a port means the default port of whatever scheme the client used: only an
        // origin on its scheme's default port matches it. An explicit port must be the origin's.
        return h.port < 0 ? o.port < 0 : o.effectivePort() == h.port;
    }

    /**
     * A serialized origin, {@code scheme://host[:port]}, already in lower case; its port is -1
     * when absent or the scheme's default.
     */
    private record Origin(String scheme, String host, int port) {
        String serialize() {
            return scheme + "://" + host + (port < 0 ? "" : ":" + port);
        }

        int effectivePort() {
            return port >= 0 ? port : defaultPort(scheme);
        }
    }

    /** The origin in {@code s} (lower case), or {@code null} when it is not one. */
    private static Origin parseOrigin(String s) {
        int sep = s.indexOf("://");
        if (sep <= 0) {
            return null;
        }
        String scheme = s.substring(0, sep);
        if (!isScheme(scheme)) {
            return null;
        }
        return parseAuthority(scheme, s.substring(sep + 3));
    }

    /**
     * {@code host[:port]} as in an origin or a {@code Host} header: a name of letters, digits,
     * {@code . - _}, or a bracketed IPv6 address. Anything else (a user, a path, a second colon)
     * is not an authority: strict, so that nothing can hide a foreign host from a pattern.
     */
    private static Origin parseAuthority(String scheme, String a) {
        String host;
        String rest;
        if (a.startsWith("[")) {
            int close = a.indexOf(']');
            if (close < 0 || !allIn(a.substring(1, close), "0123456789abcdef:.") || close == 1) {
                return null;
            }
            host = a.substring(0, close + 1);
            rest = a.substring(close + 1);
        } else {
            int colon = a.indexOf(':');
            host = colon >= 0 ? a.substring(0, colon) : a;
            rest = colon >= 0 ? a.substring(colon) : "";
            if (!allIn(host, "abcdefghijklmnopqrstuvwxyz0123456789.-_")) {
                return null;
            }
        }
        int port = -1;
        if (!rest.isEmpty()) {
            if (rest.charAt(0) != ':' || host.isEmpty()) {
                return null;
            }
            port = parsePort(rest.substring(1));
            if (port < 0) {
                return null;
            }
            if (port == defaultPort(scheme)) {
                port = -1;
            }
        }
        return new Origin(scheme, host, port);
    }

    /** 1 to 65535 in at most five digits, or -1. */
    private static int parsePort(String s) {
        if (s.isEmpty() || s.length() > 5 || !allIn(s, "0123456789")) {
            return -1;
        }
        int port = Integer.parseInt(s);
        return port >= 1 && port <= 65_535 ? port : -1;
    }

    private static int defaultPort(String scheme) {
        return switch (scheme) {
            case "http", "ws" -> 80;
            case "https", "wss" -> 443;
            default -> -2; // no default: never equal to a parsed port, nor to "absent" (-1)
        };
    }

    private static boolean isScheme(String s) {
        if (s.isEmpty() || s.charAt(0) < 'a' || s.charAt(0) > 'z') {
            return false;
        }
        return allIn(s, "abcdefghijklmnopqrstuvwxyz0123456789+.-");
    }

    /** Lower case, and a literal scheme's default port dropped, so a pattern compares like an origin. */
    private static String normalizePattern(String p) {
        String lower = asciiLower(p);
        if (lower.equals(ANY) || lower.equals(NULL_ORIGIN)) {
            return lower;
        }
        if (lower.indexOf('*') < 0) {
            return parseOrigin(lower).serialize();
        }
        int sep = lower.indexOf("://");
        if (sep > 0) {
            int port = defaultPort(lower.substring(0, sep));
            if (port > 0 && lower.endsWith(":" + port)) {
                return lower.substring(0, lower.length() - (":" + port).length());
            }
        }
        return lower;
    }

    /**
     * Whether {@code s} matches {@code pattern}, where {@code *} is any run of characters. One
     * backtracking point: time at most pattern length times string length, no recursion.
     */
    static boolean glob(String pattern, String s) {
        int p = 0;
        int i = 0;
        int star = -1;
        int mark = 0;
        while (i < s.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = i;
            } else if (p < pattern.length() && pattern.charAt(p) == s.charAt(i)) {
                p++;
                i++;
            } else if (star >= 0) {
                p = star + 1;
                i = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    /**
     * Lower case for ASCII letters only: {@link String#toLowerCase} would map some non-ASCII
     * letters onto ASCII ones (the Kelvin sign onto {@code k}), letting a look-alike match.
     */
    private static String asciiLower(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (b == null) {
                    b = new StringBuilder(s);
                }
                b.setCharAt(i, (char) (c + ('a' - 'A')));
            }
        }
        return b == null ? s : b.toString();
    }

    private static boolean visibleAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c > '~') {
                return false;
            }
        }
        return true;
    }

    private static boolean allIn(String s, String allowed) {
        for (int i = 0; i < s.length(); i++) {
            if (allowed.indexOf(s.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    /** A peer-sent value made safe for a log line: visible ASCII only, at most {@code max} characters. */
    static String printable(String s, int max) {
        if (s == null) {
            return "(none)";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), max) + 3);
        for (int i = 0; i < s.length() && i < max; i++) {
            char c = s.charAt(i);
            b.append(c < ' ' || c > '~' ? '?' : c);
        }
        return s.length() > max ? b.append("...").toString() : b.toString();
    }

    @Override
    public String toString() {
        return patterns.isEmpty() ? "same origin as Host" : patterns.toString();
    }
}
