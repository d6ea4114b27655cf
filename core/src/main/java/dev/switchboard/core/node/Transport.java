package dev.switchboard.core.node;

import dev.switchboard.core.protocol.Disconnect;
import dev.switchboard.core.protocol.ProtocolFormat;
import java.util.List;
import java.util.Map;

/**
 * What the node needs from a connection's transport: write encoded messages and close.
 * Implemented by the server's WebSocket handler; the node never sees sockets or frames.
 *
 * <p>Both methods are called from any thread and must not block. A transport bounds what it
 * buffers: when a client reads too slowly it closes itself with {@link Disconnect#SLOW} and
 * reports that through {@link Client#transportClosed(Disconnect)}.
 */
public interface Transport {

    /** Short name shown in stats and hooks, e.g. {@code "websocket"}. */
    String name();

    /**
     * Queues one encoded protocol message (a reply or push) for the client. The array may be
     * shared with other connections and must not be modified.
     */
    void write(byte[] message);

    /**
     * Headers of the request that opened the connection, kept by the transport for the
     * application's connect decision (e.g. a session {@code Cookie} a proxy forwards to the
     * backend). Names are lower case; a transport keeps only the names it was told to, so a
     * connection holds no more than it needs. Empty by default.
     */
    default Map<String, List<String>> headers() {
        return Map.of();
    }

    /**
     * The encoding the connection speaks, fixed when it opened: the client's session decodes
     * frames and encodes messages for it, and {@link #write} receives one message in it (the
     * transport frames it). JSON by default.
     */
    default ProtocolFormat format() {
        return ProtocolFormat.JSON;
    }

    /**
     * True for bidirectional emulation (HTTP-streaming, SSE): the server → client stream is this
     * transport, and the client's commands arrive separately, in {@code /emulation} requests that
     * name the session the connect reply gave (see {@link Node#emulate}), on any node.
     */
    default boolean emulated() {
        return false;
    }

    /** Flushes what is queued, sends the disconnect code and closes. Idempotent. */
    void close(Disconnect disconnect);
}
