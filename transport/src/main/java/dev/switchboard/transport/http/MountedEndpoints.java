package dev.switchboard.transport.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link HttpEndpoint}s of one port, by path prefix. A request belongs to an endpoint when
 * its path is the prefix or lies below it ({@code /admin}, {@code /admin/}, {@code /admin/api/x}
 * for {@code /admin}, never {@code /administrator}). {@code SwitchboardServer.Builder#mount}
 * builds one; the HTTP pipeline of a port takes it.
 *
 * <pre>{@code
 * MountedEndpoints endpoints = MountedEndpoints.of(Map.of("/status", statusEndpoint));
 * new HttpChannelInitializer(http, ClientTransports.NONE, api, apiKey, health, metrics, refusals, endpoints);
 * }</pre>
 */
public final class MountedEndpoints {

    /** No endpoint: every such path is the router's JSON 404. */
    public static final MountedEndpoints NONE = new MountedEndpoints(Map.of());

    /** Paths the node serves itself; an endpoint may not take them or a path below them. */
    private static final List<String> RESERVED = List.of("/api", "/health", "/ready", "/metrics", "/connection");

    private final Map<String, HttpEndpoint> byPrefix;

    private MountedEndpoints(Map<String, HttpEndpoint> byPrefix) {
        this.byPrefix = byPrefix;
    }

    /**
     * @param byPrefix endpoints by prefix, each checked with {@link #checkPrefix}
     * @throws IllegalArgumentException for a bad prefix
     */
    public static MountedEndpoints of(Map<String, HttpEndpoint> byPrefix) {
        byPrefix.keySet().forEach(MountedEndpoints::checkPrefix);
        return byPrefix.isEmpty() ? NONE : new MountedEndpoints(new LinkedHashMap<>(byPrefix));
    }

    /**
     * Checks a mount prefix: {@code /} and a name ({@code /admin}, {@code /ops/admin}), no
     * trailing slash, no query, none of the node's own paths.
     *
     * @return the prefix
     * @throws IllegalArgumentException saying what is wrong
     */
    public static String checkPrefix(String prefix) {
        if (prefix == null || !prefix.matches("(/[A-Za-z0-9._~-]+)+")) {
            throw new IllegalArgumentException(
                    "a mount prefix is \"/\" and a path without a trailing slash, such as /admin; got " + prefix);
        }
        for (String reserved : RESERVED) {
            if (under(prefix, reserved) || under(reserved, prefix)) {
                throw new IllegalArgumentException(prefix + " overlaps " + reserved + ", which the node serves itself");
            }
        }
        return prefix;
    }

    /** The endpoint serving {@code path}, or {@code null}. */
    HttpEndpoint find(String path) {
        for (Map.Entry<String, HttpEndpoint> e : byPrefix.entrySet()) {
            if (under(path, e.getKey())) {
                return e.getValue();
            }
        }
        return null;
    }

    boolean isEmpty() {
        return byPrefix.isEmpty();
    }

    private static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }
}
