package dev.switchboard.transport.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.switchboard.core.protocol.ProtocolCodec;
import dev.switchboard.core.protocol.ProtocolError;
import java.io.IOException;

/** JSON writing shared by the API's single calls and batches. */
final class ApiJson {

    private ApiJson() {}

    /** A result with no fields: {@code {}}. */
    static ProtocolCodec.Body empty() {
        return g -> {};
    }

    static void writeError(JsonGenerator g, ProtocolError e) throws IOException {
        g.writeObjectFieldStart("error");
        g.writeNumberField("code", e.code());
        g.writeStringField("message", e.getMessage());
        g.writeEndObject();
    }

    /** {@code {"error":{"code":..,"message":..}}}. */
    static byte[] encodeError(ProtocolError e) {
        return encode(g -> writeError(g, e));
    }

    /** An object holding what {@code body} writes. */
    static byte[] encode(ProtocolCodec.Body body) {
        return ProtocolCodec.encode(body);
    }
}
