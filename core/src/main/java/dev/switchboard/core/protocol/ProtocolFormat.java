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
    PROTOBUF
}
