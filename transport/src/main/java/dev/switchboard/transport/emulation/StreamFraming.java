package dev.switchboard.transport.emulation;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/** How a stream response carries one encoded message, as centrifuge-js reads each transport. */
enum StreamFraming {
    /** HTTP-streaming, JSON: one reply per line. */
    JSON_LINES("application/json"),
    /** HTTP-streaming, protobuf: each reply preceded by its length as a varint. */
    PROTOBUF("application/octet-stream"),
    /** Server-sent events: one reply per event's {@code data} line (JSON never holds a raw newline). */
    SSE("text/event-stream");

    private static final byte[] SSE_DATA = "data: ".getBytes(StandardCharsets.US_ASCII);

    final String contentType;

    StreamFraming(String contentType) {
        this.contentType = contentType;
    }

    ByteBuf frame(ByteBufAllocator alloc, byte[] message) {
        return switch (this) {
            case JSON_LINES ->
                alloc.buffer(message.length + 1).writeBytes(message).writeByte('\n');
            case PROTOBUF -> {
                ByteBuf b = alloc.buffer(message.length + 5);
                int v = message.length;
                while ((v & ~0x7F) != 0) {
                    b.writeByte((v & 0x7F) | 0x80);
                    v >>>= 7;
                }
                yield b.writeByte(v).writeBytes(message);
            }
            case SSE ->
                alloc.buffer(message.length + SSE_DATA.length + 2)
                        .writeBytes(SSE_DATA)
                        .writeBytes(message)
                        .writeByte('\n')
                        .writeByte('\n');
        };
    }
}
