package dev.switchboard.core.protocol;

/**
 * The encoding a connection speaks, chosen once when it opens (for WebSocket: by the
 * {@code centrifuge-protobuf} subprotocol or {@code ?cf_protocol=protobuf}) and kept for its life.
 *
 * <pre>{@code
 * ClientCodec codec = ClientCodec.of(ProtocolFormat.PROTOBUF);
 * }</pre>
 */
public enum ProtocolFormat {
    /** JSON text: one command or reply per line, several lines per text frame. */
    JSON,
    /**
     * Protobuf binary: varint length-delimited {@code Command}s in and {@code Reply}s out, several
     * per binary frame (schema: {@code wire/src/main/proto/switchboard/client_protocol.proto}).
     */
    PROTOBUF,
    /**
     * Centrifugo's unidirectional JSON: the client sends one {@code ConnectRequest} object and
     * then only receives {@code Push} objects without the reply envelope ({@code {"connect":{..}}},
     * {@code {"channel":"news","pub":{..}}}, {@code {}} as a ping that needs no pong), framed by its
     * transport (SSE events, newline-delimited HTTP stream, WebSocket text frames). A connection of
     * this format is unidirectional: it sends no further command and answers no ping.
     */
    UNI_JSON
}
