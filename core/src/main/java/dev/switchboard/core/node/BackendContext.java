package dev.switchboard.core.node;

import java.util.Map;

/**
 * What a connection carries for the application's hooks after its {@code connect}: the headers
 * the client sent in that command (headers emulation, untrusted) and the {@code meta} the connect
 * hook attached (the application's own, never sent to the client; a refresh may replace it).
 * Kept apart from {@link Client} so the connection's socket-facing state stays small.
 */
final class BackendContext {

    private volatile Map<String, String> emulatedHeaders = Map.of();
    private volatile byte[] meta;

    /** The headers the client sent in its {@code connect} (headers emulation); for all later hooks. */
    Map<String, String> emulatedHeaders() {
        return emulatedHeaders;
    }

    void emulatedHeaders(Map<String, String> headers) {
        this.emulatedHeaders = headers;
    }

    /** Raw JSON the connect hook (or a later refresh) attached to the connection, or {@code null}. */
    byte[] meta() {
        return meta;
    }

    void meta(byte[] json) {
        this.meta = json;
    }
}
